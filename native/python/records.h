// Reader records → Python (GEARS_API.md §2.4, §5.1).
//
// A reader copies a batch of keys out of the keyspace under the server lock into a KeyBatch
// (one byte arena and one small entry per key: no allocation per key or per value), lets the
// lock go, and then, holding the GIL, turns the batch into Python records. The lock and the
// GIL are never held together on this path (DESIGN.md "Threads and locks").
//
// KeysReader record: {'event': None, 'key': k, 'type': t, 'value': v} in that key order (the
// order RedisGears' dict gives them); with readValue=False only {'event', 'key'}. Values: a
// string is a str (bytearray when not UTF-8), a list a list of str, a hash a dict with fields
// in RedisGears' dict order; set, zset and stream values are None; a stream's type is
// 'unknown' and a missing key's type 'empty'.
#pragma once
#include <Python.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gearsd::python {

class KeyBatch {
 public:
  enum class Kind : uint8_t { String, List, Hash, Set, ZSet, Stream, Missing };

  struct Entry {
    uint32_t keyOff, keyLen;
    Kind kind;
    uint32_t valOff, valLen;  // String: the value; List/Hash: the item area
    uint32_t items;           // List: elements; Hash: fields (pairs follow as field, value)
  };

  void clear() {
    bytes_.clear();
    entries_.clear();
  }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  std::string_view key(const Entry& e) const { return {bytes_.data() + e.keyOff, e.keyLen}; }

  void addString(std::string_view key, std::string_view value);
  void addTyped(std::string_view key, Kind kind);  // no value to copy (set, zset, stream, missing)
  // A list or hash: start it, append its items (hash: field, value, field, value...), end it.
  void beginItems(std::string_view key, Kind kind);
  void addItem(std::string_view item);
  void endItems();

  // The KeysReader record of one entry (a new reference), or nullptr with a Python exception
  // set. GIL held.
  PyObject* keysRecord(const Entry& e, bool readValue) const;
  // The key name alone (KeysOnlyReader): str, or bytearray when not UTF-8.
  PyObject* keyName(const Entry& e) const;
  // A StreamReader record {'key': stream, 'id': id, 'value': {field: value}} of an entry added
  // with beginItems(id, Kind::Hash) and its field/value items. `stream` is borrowed.
  PyObject* streamRecord(const Entry& e, PyObject* stream) const;

 private:
  uint32_t put(std::string_view s);
  PyObject* valueOf(const Entry& e) const;

  std::string bytes_;
  std::vector<Entry> entries_;
};

// The interned strings records are made of; created once at start-up with the GIL held.
bool initRecordStrings();

// {'key': key, 'value': value} — what groupby/localgroupby/batchgroupby emit. Steals nothing.
PyObject* keyValueRecord(PyObject* key, PyObject* value);

}  // namespace gearsd::python
