// SORT and SORT_RO: the elements of a list, set or sorted set, ordered by their own value
// or by the keys a BY pattern names for them, optionally replaced by what GET patterns
// name, returned or stored in a list (STORE).
//
// The rules are Redis 7.0's sort.c, including its quirks:
//  - a BY pattern without '*' (e.g. "nosort") keeps the native order (a list's or sorted
//    set's; a set is sorted ALPHA anyway when the result is stored, so it is deterministic);
//  - numeric sorting parses values as C's strtod does and fails the whole command on any
//    value that is not a number; equal scores fall back to comparing the elements' bytes;
//  - ALPHA compares as strcmp (Redis's strcoll in the C locale), but byte for byte, whole
//    strings, when the result is stored;
//  - a sorted set it reads is converted to the skip-list encoding for good.
// Ties are kept in input order (glibc's qsort, which Redis uses, is a stable merge sort).
// Elements are copied out of the source first: BY and GET lookups may expire keys, and
// code run by the "expired" event may change the source.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "store/args.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/t_hash.h"
#include "store/t_list.h"
#include "store/t_set.h"
#include "store/t_zset.h"
#include "store/tuning.h"

namespace gearsd::store {

namespace {

// Redis reads patterns as C strings: searches stop at a NUL byte.
std::string_view cString(std::string_view s) { return s.substr(0, s.find('\0')); }

// What a BY or GET pattern names for one element (Redis's lookupKeyByPattern): "#" is the
// element itself; otherwise the first '*' is replaced by the element, and "->field" after
// it reads a hash field instead of a string. Nothing when the key is missing, of another
// type, or the pattern has no '*'.
std::optional<std::string> lookupByPattern(CommandContext& c, std::string_view pattern, std::string_view element) {
  std::string_view cpat = cString(pattern);
  if (cpat == "#") return std::string(element);
  size_t star = cpat.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  size_t arrow = cpat.find("->", star + 1);
  bool hasField = arrow != std::string_view::npos && arrow + 2 < cpat.size();
  size_t fieldLen = hasField ? pattern.size() - arrow - 2 : 0;
  size_t postfixLen = pattern.size() - star - 1 - (hasField ? fieldLen + 2 : 0);
  std::string key;
  key.reserve(star + element.size() + postfixLen);
  key.append(pattern.substr(0, star)).append(element).append(pattern.substr(star + 1, postfixLen));

  KeyEntry* e = c.store.lookupRead(*c.db, key, c.now);
  if (!e) return std::nullopt;
  if (!hasField) {
    if (e->type != ValueType::String) return std::nullopt;
    return std::string(e->str());
  }
  if (e->type != ValueType::Hash) return std::nullopt;
  std::optional<std::string_view> v = e->as<HashObject>()->find(pattern.substr(arrow + 2));
  if (!v) return std::nullopt;
  return std::string(*v);
}

// A score as Redis's SORT reads one: strtod over the C string, with nothing after the
// number, no overflow or underflow, not NaN.
bool parseSortScore(const std::string& s, double& out) {
  char* end;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return *end == '\0' && errno != ERANGE && !std::isnan(out);
}

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dontSort = false;
  int64_t limitStart = 0;
  int64_t limitCount = -1;
  std::optional<std::string_view> by;
  std::optional<std::string_view> store;
  std::vector<std::string_view> gets;
};

bool parseSortOptionsOrReply(CommandContext& c, bool readonly, SortOptions& o) {
  for (size_t j = 2; j < c.argc(); j++) {
    size_t left = c.argc() - j - 1;
    std::string_view a = c.arg(j);
    if (argIs(a, "asc")) {
      o.desc = false;
    } else if (argIs(a, "desc")) {
      o.desc = true;
    } else if (argIs(a, "alpha")) {
      o.alpha = true;
    } else if (argIs(a, "limit") && left >= 2) {
      if (!parseInt64OrReply(c, c.arg(j + 1), o.limitStart) || !parseInt64OrReply(c, c.arg(j + 2), o.limitCount)) return false;
      j += 2;
    } else if (!readonly && argIs(a, "store") && left >= 1) {
      o.store = c.arg(++j);
    } else if (argIs(a, "by") && left >= 1) {
      o.by = c.arg(++j);
      // A pattern without '*' names the same key for every element: nothing to sort by.
      if (cString(*o.by).find('*') == std::string_view::npos) o.dontSort = true;
    } else if (argIs(a, "get") && left >= 1) {
      o.gets.push_back(c.arg(++j));
    } else {
      c.reply.error(err::kSyntax);
      return false;
    }
  }
  return true;
}

struct SortItem {
  std::string value;
  double score = 0;
  std::optional<std::string> by;  // ALPHA with BY: the value compared, when it exists
};

// Redis's compareStringObjects: bytes, then length.
int compareBinary(const std::string& a, const std::string& b) {
  int r = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (r) return r;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// Redis's sortCompare.
int compareItems(const SortItem& x, const SortItem& y, const SortOptions& o) {
  if (!o.alpha) {
    if (x.score > y.score) return 1;
    if (x.score < y.score) return -1;
    return compareBinary(x.value, y.value);
  }
  if (o.by) {
    if (!x.by || !y.by) return x.by == y.by ? 0 : !x.by ? -1 : 1;
    return o.store ? compareBinary(*x.by, *y.by) : std::strcmp(x.by->c_str(), y.by->c_str());
  }
  return o.store ? compareBinary(x.value, y.value) : std::strcmp(x.value.c_str(), y.value.c_str());
}

// The elements to sort, as Redis loads them; with dontSort a list or sorted set loads
// only the LIMIT range, in the requested direction, and [start, end] becomes 0-based in
// what was loaded.
std::vector<SortItem> loadItems(KeyEntry* e, const SortOptions& o, int64_t& start, int64_t& end) {
  std::vector<SortItem> items;
  auto push = [&](std::string_view v) { items.push_back(SortItem{std::string(v)}); };
  if (!e) return items;
  if (e->type == ValueType::Set) {
    e->as<SetObject>()->forEach(push);
  } else if (e->type == ValueType::List) {
    const auto* l = e->as<ListObject>();
    if (!o.dontSort) {
      l->forEach(push);
    } else if (end >= start) {
      auto n = static_cast<int64_t>(l->size());
      ListPos p = l->seek(static_cast<size_t>(o.desc ? n - start - 1 : start));
      for (int64_t k = 0; k <= end - start && p; k++) {
        push(ListObject::at(p));
        p = o.desc ? ListObject::prev(p) : ListObject::next(p);
      }
      end -= start;
      start = 0;
    }
  } else {
    auto* z = e->as<ZSetObject>();
    if (!o.dontSort) {
      z->forEach([&](std::string_view m, double) { push(m); });
    } else {
      auto n = static_cast<int64_t>(z->size());
      int64_t take = end - start + 1;
      ZCursor cur = o.desc ? z->atRank(static_cast<size_t>(n - 1 - std::max<int64_t>(start, 0)))
                           : z->atRank(static_cast<size_t>(std::max<int64_t>(start, 0)));
      for (int64_t k = 0; k < take && cur.valid(); k++) {
        push(cur.member());
        cur.step(o.desc);
      }
      end -= start;
      start = 0;
    }
  }
  return items;
}

void sortGeneric(CommandContext& c, bool readonly) {
  SortOptions o;
  if (!parseSortOptionsOrReply(c, readonly, o)) return;

  KeyEntry* e = c.store.lookupRead(*c.db, c.arg(1), c.now);
  if (e && e->type != ValueType::Set && e->type != ValueType::List && e->type != ValueType::ZSet)
    return c.reply.error(err::kWrongType);
  if (o.dontSort && e && e->type == ValueType::Set && o.store) {
    // A set has no order of its own: a stored result is sorted, so replicas agree.
    o.dontSort = false;
    o.alpha = true;
    o.by.reset();
  }
  if (e && e->type == ValueType::ZSet && e->as<ZSetObject>()->isPacked()) e->as<ZSetObject>()->convertToSkiplist();

  int64_t n = 0;
  if (e) n = static_cast<int64_t>(e->type == ValueType::Set    ? e->as<SetObject>()->size()
                                  : e->type == ValueType::List ? e->as<ListObject>()->size()
                                                               : e->as<ZSetObject>()->size());
  int64_t start = std::max<int64_t>(o.limitStart, 0);
  int64_t end = o.limitCount < 0 ? n - 1 : (o.limitCount > INT64_MAX - start ? INT64_MAX : start + o.limitCount - 1);
  if (start >= n) {
    start = n - 1;
    end = n - 2;
  }
  if (end >= n) end = n - 1;

  std::vector<SortItem> items = loadItems(e, o, start, end);

  bool badScore = false;
  if (!o.dontSort) {
    for (SortItem& it : items) {
      std::optional<std::string> byValue;
      if (o.by) {
        byValue = lookupByPattern(c, *o.by, it.value);
        if (!byValue) continue;
      }
      if (o.alpha) {
        if (o.by) it.by = std::move(byValue);
      } else if (!parseSortScore(o.by ? *byValue : it.value, it.score)) {
        badScore = true;
      }
    }
    std::stable_sort(items.begin(), items.end(), [&](const SortItem& x, const SortItem& y) {
      int r = compareItems(x, y, o);
      return (o.desc ? -r : r) < 0;
    });
  }
  if (badScore) return c.reply.error("ERR One or more scores can't be converted into double");

  int64_t rows = end - start + 1;
  int64_t outputLen = o.gets.empty() ? rows : static_cast<int64_t>(o.gets.size()) * rows;
  if (!o.store) {
    c.reply.arrayHeader(static_cast<size_t>(std::max<int64_t>(outputLen, 0)));
    for (int64_t j = start; j <= end; j++) {
      const std::string& v = items[static_cast<size_t>(j)].value;
      if (o.gets.empty()) c.reply.bulk(v);
      for (std::string_view pattern : o.gets) {
        std::optional<std::string> got = lookupByPattern(c, pattern, v);
        got ? c.reply.bulk(*got) : c.reply.nullBulk();
      }
    }
    return;
  }

  std::string_view dst = *o.store;
  auto* list = new ListObject(static_cast<int>(tuning().listMaxListpackSize));
  for (int64_t j = start; j <= end; j++) {
    const std::string& v = items[static_cast<size_t>(j)].value;
    if (o.gets.empty()) list->push(ListObject::kTail, v);
    for (std::string_view pattern : o.gets) list->push(ListObject::kTail, lookupByPattern(c, pattern, v).value_or(""));
  }
  if (outputLen > 0) {
    if (KeyEntry* d = c.store.lookupWrite(*c.db, dst, c.now)) {
      d->setObject(ValueType::List, list);
      c.store.removeExpire(*c.db, d);
    } else {
      c.store.addObject(*c.db, dst, ValueType::List, list);
    }
    c.store.signalModifiedKey(*c.db, dst);
    c.store.notify(kNotifyList, "sortstore", *c.db, dst);
    c.store.addDirty(static_cast<uint64_t>(outputLen));
  } else {
    delete list;
    if (c.store.deleteKey(*c.db, dst)) {
      c.store.signalModifiedKey(*c.db, dst);
      c.store.notify(kNotifyGeneric, "del", *c.db, dst);
      c.store.addDirty();
    }
  }
  c.reply.integer(std::max<int64_t>(outputLen, 0));
}

void cmdSort(CommandContext& c) { sortGeneric(c, false); }
void cmdSortRo(CommandContext& c) { sortGeneric(c, true); }

}  // namespace

void registerSortFamily(CommandRegistry& r) {
  r.add("sort", cmdSort);
  r.add("sort_ro", cmdSortRo);
}

}  // namespace gearsd::store
