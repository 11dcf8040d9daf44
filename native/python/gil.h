// The one GIL guard type (DESIGN.md lock order: server lock before GIL, never after).
//
//  GilHold    — take the GIL for a scope (any thread, including pool threads).
//  GilSlot    — take and give it back at chosen points of a scope.
//  GilRelease — give it up for a scope while this thread waits for something else
//               (the server lock, JS, a condition). Always use this rather than waiting
//               with the GIL held.
#pragma once
#include <Python.h>

namespace gearsd::python {

class GilHold {
 public:
  GilHold() : state_(PyGILState_Ensure()) {}
  ~GilHold() { PyGILState_Release(state_); }
  GilHold(const GilHold&) = delete;
  GilHold& operator=(const GilHold&) = delete;

 private:
  PyGILState_STATE state_;
};

// A GIL hold taken and given back at chosen points of a scope; given back at its end if held.
class GilSlot {
 public:
  GilSlot() = default;
  ~GilSlot() { release(); }
  GilSlot(const GilSlot&) = delete;
  GilSlot& operator=(const GilSlot&) = delete;
  void take() {
    if (held_) return;
    state_ = PyGILState_Ensure();
    held_ = true;
  }
  void release() {
    if (!held_) return;
    held_ = false;
    PyGILState_Release(state_);
  }

 private:
  PyGILState_STATE state_ = PyGILState_UNLOCKED;
  bool held_ = false;
};

// Binds one Python thread state to the calling thread for the rest of its life, leaving the GIL
// free. For threads that take the GIL over and over (the execution pool): without it every
// GilHold on such a thread creates and destroys a thread state, frame stack mapping included.
inline void keepThreadState() {
  PyGILState_Ensure();
  PyEval_SaveThread();
}

class GilRelease {
 public:
  GilRelease() : saved_(PyEval_SaveThread()) {}
  ~GilRelease() { PyEval_RestoreThread(saved_); }
  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;

 private:
  PyThreadState* saved_;
};

}  // namespace gearsd::python
