// execute() and atomic(): Python reaching the commands (GEARS_API.md §4.4, §2.3).
//
// A data command runs natively: the server lock for this one call (without the GIL; kept when
// this thread already holds the lock inside atomic()), the one implementation in native/store
// writing into a PyReply, then the reply turned into Python objects. A command that lives in TS
// (PUBLISH, INFO, RG.*...) is run by the main thread: directly when we are on it, otherwise
// posted through the host channel while this thread waits holding neither the GIL nor the
// server lock. Inside atomic() that would mean waiting for JS with the lock held, so it is
// refused.
#pragma once
#include <Python.h>

#include <string>
#include <vector>

namespace gearsd::engine {

PyObject* executeCommand(PyObject* const* args, Py_ssize_t nargs);
// Appends execute()'s arguments to `out` as execute() reads them (bytes and bytearray as they
// are, anything else as str()). False with a Python exception set. GIL held.
bool appendArgv(PyObject* const* args, Py_ssize_t nargs, std::vector<std::string>& out);

PyObject* atomicEnter();
PyObject* atomicExit();

// A sync registration (or an onRegistered callback) may run inside another execution's
// atomic() block on the same thread: it gets an atomic() state of its own, and the outer
// block's is put back afterwards (its end must not close the outer block).
class AtomicFrame {
 public:
  AtomicFrame();
  ~AtomicFrame();
  AtomicFrame(const AtomicFrame&) = delete;
  AtomicFrame& operator=(const AtomicFrame&) = delete;

 private:
  bool outer_;
};
// Whether this thread is inside an atomic() block (an await there is refused).
bool inAtomicBlock();

// Ends an atomic() block the user's code left open (a script or a step returning inside one),
// releasing the server lock. True when there was one.
bool leaveForgottenAtomic();

}  // namespace gearsd::engine
