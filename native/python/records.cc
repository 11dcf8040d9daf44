#include "python/records.h"

#include <cstring>

#include "python/gears_dict.h"
#include "python/reply_objects.h"

namespace gearsd::python {
namespace {

struct RecordStrings {
  PyObject* event;
  PyObject* id;
  PyObject* key;
  PyObject* type;
  PyObject* value;
  PyObject* typeNames[7];  // indexed by KeyBatch::Kind
};
RecordStrings gStr{};

PyObject* interned(const char* s) { return PyUnicode_InternFromString(s); }

// Reads a u32-length-prefixed item at `pos`.
std::string_view itemAt(const std::string& bytes, size_t& pos) {
  uint32_t len;
  std::memcpy(&len, bytes.data() + pos, 4);
  std::string_view s(bytes.data() + pos + 4, len);
  pos += 4 + len;
  return s;
}

}  // namespace

bool initRecordStrings() {
  gStr.event = interned("event");
  gStr.id = interned("id");
  gStr.key = interned("key");
  gStr.type = interned("type");
  gStr.value = interned("value");
  const char* names[7] = {"string", "list", "hash", "set", "zset", "unknown", "empty"};
  for (int i = 0; i < 7; i++) gStr.typeNames[i] = interned(names[i]);
  return gStr.event && gStr.id && gStr.key && gStr.type && gStr.value && gStr.typeNames[6];
}

uint32_t KeyBatch::put(std::string_view s) {
  uint32_t off = static_cast<uint32_t>(bytes_.size());
  bytes_.append(s);
  return off;
}

void KeyBatch::addString(std::string_view key, std::string_view value) {
  Entry e{};
  e.keyOff = put(key);
  e.keyLen = static_cast<uint32_t>(key.size());
  e.kind = Kind::String;
  e.valOff = put(value);
  e.valLen = static_cast<uint32_t>(value.size());
  entries_.push_back(e);
}

void KeyBatch::addTyped(std::string_view key, Kind kind) {
  Entry e{};
  e.keyOff = put(key);
  e.keyLen = static_cast<uint32_t>(key.size());
  e.kind = kind;
  entries_.push_back(e);
}

void KeyBatch::beginItems(std::string_view key, Kind kind) {
  addTyped(key, kind);
  entries_.back().valOff = static_cast<uint32_t>(bytes_.size());
}

void KeyBatch::addItem(std::string_view item) {
  uint32_t len = static_cast<uint32_t>(item.size());
  bytes_.append(reinterpret_cast<const char*>(&len), 4);
  bytes_.append(item);
  entries_.back().items++;
}

void KeyBatch::endItems() {
  Entry& e = entries_.back();
  e.valLen = static_cast<uint32_t>(bytes_.size()) - e.valOff;
  if (e.kind == Kind::Hash) e.items /= 2;
}

PyObject* KeyBatch::valueOf(const Entry& e) const {
  switch (e.kind) {
    case Kind::String:
      return textOrBytearray(bytes_.data() + e.valOff, e.valLen);
    case Kind::List: {
      PyObject* list = PyList_New(e.items);
      if (!list) return nullptr;
      size_t pos = e.valOff;
      for (uint32_t i = 0; i < e.items; i++) {
        std::string_view s = itemAt(bytes_, pos);
        PyObject* item = textOrBytearray(s.data(), s.size());
        if (!item) {
          Py_DECREF(list);
          return nullptr;
        }
        PyList_SET_ITEM(list, i, item);
      }
      return list;
    }
    case Kind::Hash: {
      std::vector<std::string_view> fields, values;
      fields.reserve(e.items);
      values.reserve(e.items);
      size_t pos = e.valOff;
      for (uint32_t i = 0; i < e.items; i++) {
        fields.push_back(itemAt(bytes_, pos));
        values.push_back(itemAt(bytes_, pos));
      }
      PyObject* dict = PyDict_New();
      if (!dict) return nullptr;
      for (uint32_t i : gearsFieldOrder(fields)) {
        PyObject* f = PyUnicode_DecodeUTF8(fields[i].data(), static_cast<Py_ssize_t>(fields[i].size()), "replace");
        PyObject* v = textOrBytearray(values[i].data(), values[i].size());
        int rc = (f && v) ? PyDict_SetItem(dict, f, v) : -1;
        Py_XDECREF(f);
        Py_XDECREF(v);
        if (rc < 0) {
          Py_DECREF(dict);
          return nullptr;
        }
      }
      return dict;
    }
    default:
      Py_RETURN_NONE;
  }
}

PyObject* KeyBatch::keysRecord(const Entry& e, bool readValue) const {
  PyObject* rec = PyDict_New();
  PyObject* k = rec ? textOrBytearray(bytes_.data() + e.keyOff, e.keyLen) : nullptr;
  if (!k) {
    Py_XDECREF(rec);
    return nullptr;
  }
  bool ok = PyDict_SetItem(rec, gStr.event, Py_None) == 0 && PyDict_SetItem(rec, gStr.key, k) == 0;
  Py_DECREF(k);
  if (ok && readValue) {
    PyObject* v = valueOf(e);
    ok = v && PyDict_SetItem(rec, gStr.type, gStr.typeNames[static_cast<int>(e.kind)]) == 0 &&
         PyDict_SetItem(rec, gStr.value, v) == 0;
    Py_XDECREF(v);
  }
  if (!ok) {
    Py_DECREF(rec);
    return nullptr;
  }
  return rec;
}

PyObject* KeyBatch::keyName(const Entry& e) const { return textOrBytearray(bytes_.data() + e.keyOff, e.keyLen); }

PyObject* KeyBatch::streamRecord(const Entry& e, PyObject* stream) const {
  // RedisGears sets id, value, key; its dict then iterates them as key, id, value.
  PyObject* rec = PyDict_New();
  PyObject* id = rec ? textOrBytearray(bytes_.data() + e.keyOff, e.keyLen) : nullptr;
  PyObject* fields = id ? valueOf(e) : nullptr;
  bool ok = fields && PyDict_SetItem(rec, gStr.key, stream) == 0 && PyDict_SetItem(rec, gStr.id, id) == 0 &&
            PyDict_SetItem(rec, gStr.value, fields) == 0;
  Py_XDECREF(id);
  Py_XDECREF(fields);
  if (!ok) {
    Py_XDECREF(rec);
    return nullptr;
  }
  return rec;
}

PyObject* keyValueRecord(PyObject* key, PyObject* value) {
  PyObject* rec = PyDict_New();
  if (!rec) return nullptr;
  if (PyDict_SetItem(rec, gStr.key, key) < 0 || PyDict_SetItem(rec, gStr.value, value ? value : Py_None) < 0) {
    Py_DECREF(rec);
    return nullptr;
  }
  return rec;
}

}  // namespace gearsd::python
