// Stream commands (XADD ... XINFO) and the keyspace-level stream operations of t_stream.h.
//
// Each handler parses its arguments in Redis's order (so the same bad input gets the same
// error), does the data work through StreamObject, and replies. Keyspace side effects are
// collected in a KeyEffects and fired once the command's data work is done, so a sync
// registration reacting to an event never finds a half-updated stream (or frees one under
// the command's feet).
//
// Blocking: XREAD / XREADGROUP with BLOCK that find nothing set ctx.wouldBlock and hand
// back, in ctx.blockRetryArgv, the command to re-run on wake-up: `$` resolved to the id it
// meant at blocking time, COUNT made explicit (Redis serves woken readers at most 1000
// entries unless told), each key once. Re-runs come with kCallerWakeUp.
#include <cstring>
#include <string>
#include <vector>

#include "store/args.h"
#include "store/command.h"
#include "store/errors.h"
#include "store/numbers.h"
#include "store/t_stream.h"
#include "store/tuning.h"

namespace gearsd::store {

int64_t streamDefaultTrimLimit() {
  // At most 100 nodes' worth per call, bounded both ways (Redis's streamParseAddOrTrimArgs).
  int64_t maxEntries = tuning().streamNodeMaxEntries;
  int64_t limit = maxEntries > INT64_MAX / 100 ? -1 : 100 * maxEntries;
  if (limit <= 0) limit = 10000;
  if (limit > 1000000) limit = 1000000;
  return limit;
}

namespace {

constexpr const char* kInvalidId = "ERR Invalid stream ID specified as stream command argument";
constexpr size_t kBlockedDefaultCount = 1000;  // XREAD_BLOCKED_DEFAULT_COUNT

// What Redis's "%s" shows of an argument: the bytes before the first NUL.
std::string_view cstr(std::string_view s) {
  size_t nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

std::string upper(std::string_view s) {
  std::string u(cstr(s));
  for (char& ch : u) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  return u;
}

// ---- keyspace effects --------------------------------------------------------------------------

// The signals, events and dirty count one command owes one key, fired in the order every
// write ends with (keyspace.h): signal → events → dirty, then wake blocked readers.
struct KeyEffects {
  std::string key;
  bool modified = false;
  bool ready = false;
  uint64_t dirty = 0;
  std::vector<const char*> events;

  void fire(Store& store, Db& db) const {
    if (modified) store.signalModifiedKey(db, key);
    for (const char* ev : events) store.notify(kNotifyStream, ev, db, key);
    if (dirty) store.addDirty(dirty);
    if (ready) store.signalKeyAsReady(db, key);
  }
};

// The consumer a read or claim acts for, created (with its event) when missing; either
// way its seen-time is now.
StreamConsumer& consumerFor(ConsumerGroup& g, std::string_view name, int64_t now, KeyEffects& fx) {
  if (StreamConsumer* c = g.findConsumer(name)) {
    c->seenTime = now;
    return *c;
  }
  fx.dirty++;
  fx.events.push_back("xgroup-createconsumer");
  return *g.createConsumer(name, now);
}

// Is there anything after the group's last delivered id (XREADGROUP `>` serves now)?
bool hasNewFor(const StreamObject& s, const ConsumerGroup& g) {
  StreamId maxid;
  return s.length() && s.lastLiveId(maxid) && maxid > g.lastId;
}

size_t ackIds(ConsumerGroup& g, const std::vector<StreamId>& ids) {
  size_t acked = 0;
  for (StreamId id : ids) acked += g.ack(id);
  return acked;
}

// ---- argument helpers ----------------------------------------------------------------------

bool parseIdOrReply(CommandContext& c, std::string_view s, StreamId& id, uint64_t missingSeq, bool strict,
                    bool* seqGiven = nullptr) {
  if (parseStreamId(s, id, missingSeq, strict, seqGiven)) return true;
  c.reply.error(kInvalidId);
  return false;
}

// A range bound: "(" makes it exclusive (then "-" / "+" are not accepted).
bool parseIntervalIdOrReply(CommandContext& c, std::string_view s, StreamId& id, bool& exclusive, uint64_t missingSeq) {
  exclusive = s.size() > 1 && s[0] == '(';
  return exclusive ? parseIdOrReply(c, s.substr(1), id, missingSeq, true) : parseIdOrReply(c, s, id, missingSeq, false);
}

// An integer argument with a command's own error text.
bool parseInt64OrReplyWith(CommandContext& c, std::string_view s, int64_t& v, const char* msg) {
  if (parseInt64(s, v)) return true;
  c.reply.error(std::string("ERR ") + msg);
  return false;
}

void subcommandSyntaxError(CommandContext& c) {
  std::string sub(cstr(c.arg(1)).substr(0, 128));
  c.reply.error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " + upper(c.arg(0)) +
                " HELP.");
}

void helpReply(CommandContext& c, std::initializer_list<const char*> lines) {
  c.reply.arrayHeader(lines.size() + 3);
  c.reply.simple(upper(c.arg(0)) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* l : lines) c.reply.simple(l);
  c.reply.simple("HELP");
  c.reply.simple("    Prints this help.");
}

StreamObject* lookupOrReply(CommandContext& c, std::string_view key, bool forWrite, bool& failed) {
  StreamStatus st;
  StreamObject* s = streamLookup(c.store, *c.db, key, c.now, forWrite, st);
  failed = st == StreamStatus::kWrongType;
  if (failed) c.reply.error(err::kWrongType);
  return s;
}

// ---- replies ------------------------------------------------------------------------------------

void replyId(CommandContext& c, StreamId id) { c.reply.bulk(id.str()); }

void replyEntry(ReplyBuilder& r, const StreamEntry& e) {
  r.arrayHeader(2);
  r.bulk(e.id.str());
  r.arrayHeader(2 * e.numFields());
  auto cur = e.fields();
  std::string_view f, v;
  while (cur.next(f, v)) {
    r.bulk(f);
    r.bulk(v);
  }
}

StreamEntryFn entryWriter(ReplyBuilder& r) {
  return [&r](const StreamEntry& e) {
    replyEntry(r, e);
    return true;
  };
}

// Replies with the entry `id`, which must exist.
void replyEntryById(CommandContext& c, const StreamObject& s, StreamId id) {
  s.range(id, id, 1, false, entryWriter(c.reply));
}

// ---- XADD / XTRIM -----------------------------------------------------------------------------

struct AddTrimArgs {
  StreamTrim trim;
  StreamId id;
  bool idGiven = false;
  bool seqGiven = true;
  bool noMkstream = false;
};

// Parses the options XADD and XTRIM share (and XADD's id); returns the position of XADD's
// id argument, or -1 after replying an error.
long parseAddTrimArgsOrReply(CommandContext& c, bool xadd, AddTrimArgs& a) {
  size_t i = 2;
  bool limitGiven = false;
  for (; i < c.argc(); i++) {
    size_t more = c.argc() - 1 - i;
    std::string_view opt = c.arg(i);
    if (xadd && cstr(opt) == "*") break;
    bool maxlen = argIs(opt, "maxlen");
    if ((maxlen || argIs(opt, "minid")) && more) {
      if (a.trim.strategy != StreamTrim::kNone) {
        c.reply.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return -1;
      }
      a.trim.approx = false;
      std::string_view next = cstr(c.arg(i + 1));
      if (more >= 2 && next == "~") {
        a.trim.approx = true;
        i++;
      } else if (more >= 2 && next == "=") {
        i++;
      }
      if (maxlen) {
        int64_t v;
        if (!parseInt64OrReply(c, c.arg(i + 1), v)) return -1;
        if (v < 0) {
          c.reply.error("ERR The MAXLEN argument must be >= 0.");
          return -1;
        }
        a.trim.maxLen = static_cast<uint64_t>(v);
        a.trim.strategy = StreamTrim::kMaxLen;
      } else {
        if (!parseIdOrReply(c, c.arg(i + 1), a.trim.minId, 0, true)) return -1;
        a.trim.strategy = StreamTrim::kMinId;
      }
      i++;
    } else if (argIs(opt, "limit") && more) {
      if (!parseInt64OrReply(c, c.arg(i + 1), a.trim.limit)) return -1;
      if (a.trim.limit < 0) {
        c.reply.error("ERR The LIMIT argument must be >= 0.");
        return -1;
      }
      limitGiven = true;
      i++;
    } else if (xadd && argIs(opt, "nomkstream")) {
      a.noMkstream = true;
    } else if (xadd) {
      if (!parseIdOrReply(c, opt, a.id, 0, true, &a.seqGiven)) return -1;
      a.idGiven = true;
      break;
    } else {
      c.reply.error(err::kSyntax);
      return -1;
    }
  }
  if (a.trim.limit && a.trim.strategy == StreamTrim::kNone) {
    c.reply.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return -1;
  }
  if (!xadd && a.trim.strategy == StreamTrim::kNone) {
    c.reply.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return -1;
  }
  if (limitGiven) {
    if (!a.trim.approx) {
      c.reply.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return -1;
    }
  } else {
    a.trim.limit = a.trim.approx ? streamDefaultTrimLimit() : 0;
  }
  return static_cast<long>(i);
}

void cmdXadd(CommandContext& c) {
  AddTrimArgs a;
  long idpos = parseAddTrimArgsOrReply(c, true, a);
  if (idpos < 0) return;
  size_t fieldPos = static_cast<size_t>(idpos) + 1;
  if (c.argc() < fieldPos + 2 || (c.argc() - fieldPos) % 2 == 1) {
    c.reply.error("ERR wrong number of arguments for 'xadd' command");
    return;
  }
  // Refuse 0-0 before a stream could be created for it.
  if (a.idGiven && a.seqGiven && a.id.isZero()) {
    c.reply.error("ERR The ID specified in XADD must be greater than 0-0");
    return;
  }

  std::string_view key = c.arg(1);
  bool failed;
  StreamObject* s = lookupOrReply(c, key, true, failed);
  if (failed) return;
  if (!s) {
    if (a.noMkstream) {
      c.reply.nullBulk();
      return;
    }
    s = new StreamObject();
    c.store.addObject(*c.db, key, ValueType::Stream, s);
  }
  if (s->lastId() == StreamId::max()) {
    c.reply.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    return;
  }

  StreamId added;
  auto status = s->append(&c.argv[fieldPos], (c.argc() - fieldPos) / 2, a.idGiven ? &a.id : nullptr, a.seqGiven,
                          c.now, added);
  if (status == StreamObject::AppendStatus::kIdTooSmall) {
    c.reply.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    return;
  }
  if (status == StreamObject::AppendStatus::kTooLarge) {
    c.reply.error("ERR Elements are too large to be stored");
    return;
  }
  KeyEffects fx{std::string(key)};
  fx.modified = true;
  fx.events.push_back("xadd");
  fx.dirty = 1;
  if (s->trim(a.trim)) fx.events.push_back("xtrim");
  fx.ready = true;
  replyId(c, added);
  fx.fire(c.store, *c.db);
}

void cmdXtrim(CommandContext& c) {
  AddTrimArgs a;
  if (parseAddTrimArgsOrReply(c, false, a) < 0) return;
  StreamStatus st;
  int64_t deleted = streamTrimKey(c.store, *c.db, c.arg(1), a.trim, c.now, st);
  if (st == StreamStatus::kWrongType) return c.reply.error(err::kWrongType);
  c.reply.integer(deleted);
}

// ---- XLEN / XRANGE / XREVRANGE / XDEL / XSETID ------------------------------------------------

void cmdXlen(CommandContext& c) {
  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (!failed) c.reply.integer(s ? static_cast<int64_t>(s->length()) : 0);
}

void xrangeGeneric(CommandContext& c, bool rev) {
  StreamId start, end;
  bool startEx, endEx;
  if (!parseIntervalIdOrReply(c, c.arg(rev ? 3 : 2), start, startEx, 0)) return;
  if (startEx && !start.increment()) return c.reply.error("ERR invalid start ID for the interval");
  if (!parseIntervalIdOrReply(c, c.arg(rev ? 2 : 3), end, endEx, UINT64_MAX)) return;
  if (endEx && !end.decrement()) return c.reply.error("ERR invalid end ID for the interval");

  int64_t count = -1;
  for (size_t j = 4; j < c.argc(); j++) {
    if (argIs(c.arg(j), "COUNT") && j + 1 < c.argc()) {
      if (!parseInt64OrReply(c, c.arg(j + 1), count)) return;
      if (count < 0) count = 0;
      j++;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }

  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (failed) return;
  if (!s) return c.reply.arrayHeader(0);
  if (count == 0) return c.reply.nullArray();
  c.reply.beginDeferredArray();
  size_t n = s->range(start, end, count < 0 ? 0 : static_cast<size_t>(count), rev, entryWriter(c.reply));
  c.reply.endDeferredArray(n);
}

void cmdXrange(CommandContext& c) { xrangeGeneric(c, false); }
void cmdXrevrange(CommandContext& c) { xrangeGeneric(c, true); }

void cmdXdel(CommandContext& c) {
  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), true, failed);
  if (failed) return;
  if (!s) return c.reply.integer(0);
  // All ids are checked first: an invalid one must not leave the command half done.
  std::vector<StreamId> ids(c.argc() - 2);
  for (size_t j = 2; j < c.argc(); j++)
    if (!parseIdOrReply(c, c.arg(j), ids[j - 2], 0, true)) return;
  size_t deleted = s->deleteIds(ids.data(), ids.size());
  c.reply.integer(static_cast<int64_t>(deleted));
  if (deleted) {
    KeyEffects fx{std::string(c.arg(1))};
    fx.modified = true;
    fx.events.push_back("xdel");
    fx.dirty = deleted;
    fx.fire(c.store, *c.db);
  }
}

void cmdXsetid(CommandContext& c) {
  StreamId id, maxDeleted;
  int64_t entriesAdded = -1;
  if (!parseIdOrReply(c, c.arg(2), id, 0, true)) return;
  for (size_t i = 3; i < c.argc(); i += 2) {
    bool more = i + 1 < c.argc();
    std::string_view opt = c.arg(i);
    if (argIs(opt, "ENTRIESADDED") && more) {
      if (!parseInt64OrReply(c, c.arg(i + 1), entriesAdded)) return;
      if (entriesAdded < 0) return c.reply.error("ERR entries_added must be positive");
    } else if (argIs(opt, "MAXDELETEDID") && more) {
      if (!parseIdOrReply(c, c.arg(i + 1), maxDeleted, 0, true)) return;
      if (id < maxDeleted)
        return c.reply.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
    } else {
      return c.reply.error(err::kSyntax);
    }
  }

  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), true, failed);
  if (failed) return;
  if (!s) return c.reply.error(err::kNoSuchKey);
  if (s->length() > 0) {
    // Ids must stay monotonic.
    StreamId maxid;
    s->lastLiveId(maxid);
    if (id < maxid) return c.reply.error("ERR The ID specified in XSETID is smaller than the target stream top item");
    if (entriesAdded != -1 && s->length() > static_cast<uint64_t>(entriesAdded))
      return c.reply.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
  }
  s->setLastId(id);
  if (entriesAdded != -1) s->setEntriesAdded(static_cast<uint64_t>(entriesAdded));
  if (!maxDeleted.isZero()) s->setMaxDeletedId(maxDeleted);
  c.reply.ok();
  KeyEffects fx{std::string(c.arg(1))};
  fx.events.push_back("xsetid");
  fx.dirty = 1;
  fx.fire(c.store, *c.db);
}

// ---- XREAD / XREADGROUP -----------------------------------------------------------------------

void xreadGeneric(CommandContext& c, bool xreadgroup) {
  bool block = false;
  std::string_view timeoutArg;
  int64_t count = 0;
  size_t streamsArg = 0, nstreams = 0;
  bool noack = false;
  bool hasGroup = false;
  std::string_view groupName, consumerName;

  for (size_t i = 1; i < c.argc(); i++) {
    size_t more = c.argc() - i - 1;
    std::string_view o = c.arg(i);
    if (argIs(o, "BLOCK") && more) {
      int64_t t;
      timeoutArg = c.arg(++i);
      if (!parseInt64OrReplyWith(c, timeoutArg, t, "timeout is not an integer or out of range")) return;
      if (t < 0) return c.reply.error("ERR timeout is negative");
      block = true;
    } else if (argIs(o, "COUNT") && more) {
      if (!parseInt64OrReply(c, c.arg(++i), count)) return;
      if (count < 0) count = 0;
    } else if (argIs(o, "STREAMS") && more) {
      streamsArg = i + 1;
      nstreams = c.argc() - streamsArg;
      if (nstreams % 2 != 0)
        return c.reply.error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      nstreams /= 2;
      break;
    } else if (argIs(o, "GROUP") && more >= 2) {
      if (!xreadgroup)
        return c.reply.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
      groupName = c.arg(i + 1);
      consumerName = c.arg(i + 2);
      hasGroup = true;
      i += 2;
    } else if (argIs(o, "NOACK")) {
      if (!xreadgroup)
        return c.reply.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
      noack = true;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }
  if (streamsArg == 0) return c.reply.error(err::kSyntax);
  if (xreadgroup && !hasGroup) return c.reply.error("ERR Missing GROUP option for XREADGROUP");

  // Resolve ids and check keys and groups before serving anything.
  bool woken = c.caller & kCallerWakeUp;
  std::vector<StreamId> ids(nstreams);
  for (size_t k = 0; k < nstreams; k++) {
    std::string_view key = c.arg(streamsArg + k);
    std::string_view idArg = cstr(c.arg(streamsArg + nstreams + k));
    KeyEntry* e = c.store.lookupRead(*c.db, key, c.now);
    StreamObject* s = nullptr;
    if (e && e->type != ValueType::Stream) {
      // A woken XREAD keeps waiting on a key that stopped being a stream, as in Redis.
      if (!woken) return c.reply.error(err::kWrongType);
    } else if (e) {
      s = e->as<StreamObject>();
    }
    if (hasGroup) {
      if (!s) {
        if (woken) return c.reply.error("UNBLOCKED the stream key no longer exists");
        return c.reply.error("NOGROUP No such key '" + std::string(cstr(key)) + "' or consumer group '" +
                             std::string(cstr(groupName)) + "' in XREADGROUP with GROUP option");
      }
      if (!s->findGroup(groupName)) {
        if (woken) return c.reply.error("NOGROUP the consumer group this client was blocked on no longer exists");
        return c.reply.error("NOGROUP No such key '" + std::string(cstr(key)) + "' or consumer group '" +
                             std::string(cstr(groupName)) + "' in XREADGROUP with GROUP option");
      }
    }
    if (idArg == "$") {
      if (xreadgroup)
        return c.reply.error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this "
            "consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return "
            "an empty result set.");
      ids[k] = s ? s->lastId() : StreamId::min();
    } else if (idArg == ">") {
      if (!xreadgroup)
        return c.reply.error(
            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> "
            "option.");
      ids[k] = StreamId::max();  // stands for ">"
    } else if (!parseIdOrReply(c, c.arg(streamsArg + nstreams + k), ids[k], 0, true)) {
      return;
    }
  }

  // Serve what can be served now.
  size_t served = 0;
  std::vector<KeyEffects> effects;
  for (size_t k = 0; k < nstreams; k++) {
    std::string_view key = c.arg(streamsArg + k);
    KeyEntry* e = c.store.lookupRead(*c.db, key, c.now);
    if (!e || e->type != ValueType::Stream) continue;
    StreamObject& s = *e->as<StreamObject>();
    StreamId gt = ids[k];
    ConsumerGroup* g = nullptr;
    bool serve = false, history = false;
    if (hasGroup) {
      g = s.findGroup(groupName);
      if (!g) continue;
      if (gt != StreamId::max()) {
        // An explicit id reads this consumer's own pending history, even when empty.
        serve = history = true;
      } else if (hasNewFor(s, *g)) {
        serve = true;
        gt = g->lastId;
      }
    } else {
      StreamId maxid;
      serve = s.length() && s.lastLiveId(maxid) && maxid > gt;
    }
    if (!serve) continue;

    // RESP3: a map of key → entries; RESP2: [key, entries] pairs.
    if (++served == 1) c.reply.beginDeferredArray();
    if (!c.reply.resp3()) c.reply.arrayHeader(2);
    c.reply.bulk(key);
    StreamId start = gt;
    start.increment();
    size_t n;
    c.reply.beginDeferredArray();
    if (g) {
      effects.push_back(KeyEffects{std::string(key)});
      StreamConsumer& consumer = consumerFor(*g, consumerName, c.now, effects.back());
      if (history) {
        n = s.deliverHistory(*g, consumer, start, static_cast<size_t>(count), c.now,
                             [&](StreamId id, const StreamEntry* entry) {
                               if (entry) return replyEntry(c.reply, *entry);
                               c.reply.arrayHeader(2);
                               replyId(c, id);
                               c.reply.nullArray();
                             });
      } else {
        n = s.deliverNew(*g, consumer, static_cast<size_t>(count), noack, c.now, entryWriter(c.reply));
      }
      effects.back().dirty++;
    } else {
      n = s.range(start, StreamId::max(), static_cast<size_t>(count), false, entryWriter(c.reply));
    }
    c.reply.endDeferredArray(n);
  }
  if (served) {
    if (c.reply.resp3())
      c.reply.endDeferredMap(served);
    else
      c.reply.endDeferredArray(served);
    for (const KeyEffects& fx : effects) fx.fire(c.store, *c.db);
    return;
  }

  if (!block) return c.reply.nullArray();
  // Inside MULTI or from Python nobody can wait: answer as a timeout would.
  if (c.caller & kCallerDenyBlocking) return c.reply.nullArray();
  c.wouldBlock = true;
  std::vector<std::string>& r = c.blockRetryArgv;
  r.emplace_back(c.arg(0));
  if (hasGroup) {
    r.emplace_back("GROUP");
    r.emplace_back(groupName);
    r.emplace_back(consumerName);
  }
  r.emplace_back("COUNT");
  r.emplace_back(std::to_string(count ? static_cast<size_t>(count) : kBlockedDefaultCount));
  r.emplace_back("BLOCK");
  r.emplace_back(timeoutArg);
  if (noack) r.emplace_back("NOACK");
  r.emplace_back("STREAMS");
  // A key given twice waits once, with its first id (as Redis's blockForKeys keeps it).
  std::vector<size_t> unique;
  for (size_t k = 0; k < nstreams; k++) {
    bool seen = false;
    for (size_t u : unique) seen = seen || c.arg(streamsArg + u) == c.arg(streamsArg + k);
    if (!seen) unique.push_back(k);
  }
  for (size_t k : unique) r.emplace_back(c.arg(streamsArg + k));
  for (size_t k : unique) r.emplace_back(ids[k] == StreamId::max() && hasGroup ? std::string(">") : ids[k].str());
}

void cmdXread(CommandContext& c) { xreadGeneric(c, false); }
void cmdXreadgroup(CommandContext& c) { xreadGeneric(c, true); }

// ---- XGROUP -------------------------------------------------------------------------------------

void cmdXgroup(CommandContext& c) {
  std::string_view opt = c.arg(1);
  StreamObject* s = nullptr;
  ConsumerGroup* cg = nullptr;
  std::string_view grp;
  bool mkstream = false;
  int64_t entriesRead = kEntriesReadUnknown;
  bool isCreate = argIs(opt, "CREATE"), isSetid = argIs(opt, "SETID");

  // Everything but HELP names a key and a group.
  if (c.argc() >= 4) {
    for (size_t i = 5; i < c.argc();) {
      if (isCreate && argIs(c.arg(i), "MKSTREAM")) {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && argIs(c.arg(i), "ENTRIESREAD") && i + 1 < c.argc()) {
        if (!parseInt64OrReply(c, c.arg(i + 1), entriesRead)) return;
        if (entriesRead < 0 && entriesRead != kEntriesReadUnknown)
          return c.reply.error("ERR value for ENTRIESREAD must be positive or -1");
        i += 2;
      } else {
        return subcommandSyntaxError(c);
      }
    }
    bool failed;
    s = lookupOrReply(c, c.arg(2), true, failed);
    if (failed) return;
    grp = c.arg(3);
  }
  if (c.argc() >= 4 && !mkstream) {
    if (!s)
      return c.reply.error(
          "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the "
          "MKSTREAM option to create an empty stream automatically.");
    cg = s->findGroup(grp);
    if (!cg && (isSetid || argIs(opt, "CREATECONSUMER") || argIs(opt, "DELCONSUMER")))
      return c.reply.error("NOGROUP No such consumer group '" + std::string(cstr(grp)) + "' for key name '" +
                           std::string(cstr(c.arg(2))) + "'");
  }

  KeyEffects fx{c.argc() >= 3 ? std::string(c.arg(2)) : std::string()};
  if (c.argc() == 2 && argIs(opt, "HELP")) {
    helpReply(c, {
                     "CREATE <key> <groupname> <id|$> [option]",
                     "    Create a new consumer group. Options are:",
                     "    * MKSTREAM",
                     "      Create the empty stream if it does not exist.",
                     "    * ENTRIESREAD entries_read",
                     "      Set the group's entries_read counter (internal use).",
                     "CREATECONSUMER <key> <groupname> <consumer>",
                     "    Create a new consumer in the specified group.",
                     "DELCONSUMER <key> <groupname> <consumer>",
                     "    Remove the specified consumer.",
                     "DESTROY <key> <groupname>",
                     "    Remove the specified group.",
                     "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                     "    Set the current group ID and entries_read counter.",
                 });
  } else if (isCreate && c.argc() >= 5 && c.argc() <= 8) {
    StreamId id;
    bool dollar = cstr(c.arg(4)) == "$";
    if (!dollar && !parseIdOrReply(c, c.arg(4), id, 0, true)) return;
    StreamStatus st =
        streamCreateGroup(c.store, *c.db, c.arg(2), grp, dollar ? nullptr : &id, mkstream, entriesRead, c.now);
    if (st == StreamStatus::kGroupExists) return c.reply.error("BUSYGROUP Consumer Group name already exists");
    c.reply.ok();
  } else if (isSetid && (c.argc() == 5 || c.argc() == 7)) {
    StreamId id;
    if (cstr(c.arg(4)) == "$") id = s->lastId();
    else if (!parseIdOrReply(c, c.arg(4), id, 0, false)) return;
    cg->lastId = id;
    cg->entriesRead = entriesRead;
    c.reply.ok();
    fx.dirty = 1;
    fx.events.push_back("xgroup-setid");
  } else if (argIs(opt, "DESTROY") && c.argc() == 4) {
    if (!cg) return c.reply.integer(0);
    s->destroyGroup(grp);
    c.reply.integer(1);
    fx.dirty = 1;
    fx.events.push_back("xgroup-destroy");
    fx.ready = true;  // readers blocked on the group get -NOGROUP
  } else if (argIs(opt, "CREATECONSUMER") && c.argc() == 5) {
    bool created = cg->createConsumer(c.arg(4), c.now) != nullptr;
    c.reply.integer(created);
    if (created) {
      fx.dirty = 1;
      fx.events.push_back("xgroup-createconsumer");
    }
  } else if (argIs(opt, "DELCONSUMER") && c.argc() == 5) {
    bool existed = cg->findConsumer(c.arg(4)) != nullptr;
    c.reply.integer(static_cast<int64_t>(cg->deleteConsumer(c.arg(4))));
    if (existed) {
      fx.dirty = 1;
      fx.events.push_back("xgroup-delconsumer");
    }
  } else {
    return subcommandSyntaxError(c);
  }
  fx.fire(c.store, *c.db);
}

// ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM -----------------------------------------------------

void cmdXack(CommandContext& c) {
  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (failed) return;
  ConsumerGroup* g = s ? s->findGroup(c.arg(2)) : nullptr;
  if (!g) return c.reply.integer(0);
  // All or nothing: every id is checked before any is acknowledged.
  std::vector<StreamId> ids(c.argc() - 3);
  for (size_t j = 3; j < c.argc(); j++)
    if (!parseIdOrReply(c, c.arg(j), ids[j - 3], 0, true)) return;
  size_t acked = ackIds(*g, ids);
  c.reply.integer(static_cast<int64_t>(acked));
  c.store.addDirty(acked);
}

std::string noGroupError(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(cstr(key)) + "' or consumer group '" + std::string(cstr(group)) + "'";
}

void cmdXpending(CommandContext& c) {
  bool justInfo = c.argc() == 3;
  std::string_view consumerName;
  bool hasConsumer = false;
  StreamId start, end;
  int64_t count = 0, minIdle = 0;

  if (c.argc() != 3 && (c.argc() < 6 || c.argc() > 9)) return c.reply.error(err::kSyntax);
  if (c.argc() >= 6) {
    size_t startIdx = 3;
    if (argIs(c.arg(3), "IDLE")) {
      if (!parseInt64OrReply(c, c.arg(4), minIdle)) return;
      if (c.argc() < 8) return c.reply.error(err::kSyntax);
      startIdx += 2;
    }
    if (!parseInt64OrReply(c, c.arg(startIdx + 2), count)) return;
    if (count < 0) count = 0;
    bool startEx, endEx;
    if (!parseIntervalIdOrReply(c, c.arg(startIdx), start, startEx, 0)) return;
    if (startEx && !start.increment()) return c.reply.error("ERR invalid start ID for the interval");
    if (!parseIntervalIdOrReply(c, c.arg(startIdx + 1), end, endEx, UINT64_MAX)) return;
    if (endEx && !end.decrement()) return c.reply.error("ERR invalid end ID for the interval");
    if (startIdx + 3 < c.argc()) {
      consumerName = c.arg(startIdx + 3);
      hasConsumer = true;
    }
  }

  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (failed) return;
  ConsumerGroup* g = s ? s->findGroup(c.arg(2)) : nullptr;
  if (!g) return c.reply.error(noGroupError(c.arg(1), c.arg(2)));

  if (justInfo) {
    c.reply.arrayHeader(4);
    c.reply.integer(static_cast<int64_t>(g->pel.size()));
    if (g->pel.empty()) {
      c.reply.nullBulk();
      c.reply.nullBulk();
      c.reply.nullArray();
      return;
    }
    replyId(c, g->pel.begin()->first);
    replyId(c, g->pel.rbegin()->first);
    c.reply.beginDeferredArray();
    size_t n = 0;
    for (auto& [name, consumer] : g->consumers) {
      if (consumer->pending.empty()) continue;
      c.reply.arrayHeader(2);
      c.reply.bulk(name);
      c.reply.bulkInt(static_cast<int64_t>(consumer->pending.size()));
      n++;
    }
    c.reply.endDeferredArray(n);
    return;
  }

  StreamConsumer* consumer = nullptr;
  if (hasConsumer) {
    consumer = g->findConsumer(consumerName);
    if (!consumer) return c.reply.arrayHeader(0);
  }
  c.reply.beginDeferredArray();
  size_t n = 0;
  auto emit = [&](StreamId id, const PendingEntry& p) {
    if (minIdle && c.now - p.deliveryTime < minIdle) return;
    n++;
    count--;
    c.reply.arrayHeader(4);
    replyId(c, id);
    c.reply.bulk(p.consumer->name);
    c.reply.integer(std::max<int64_t>(0, c.now - p.deliveryTime));
    c.reply.integer(static_cast<int64_t>(p.deliveryCount));
  };
  if (consumer) {
    for (auto it = consumer->pending.lower_bound(start); count && it != consumer->pending.end() && *it <= end; ++it)
      emit(*it, g->pel[*it]);
  } else {
    for (auto it = g->pel.lower_bound(start); count && it != g->pel.end() && it->first <= end; ++it)
      emit(it->first, it->second);
  }
  c.reply.endDeferredArray(n);
}

void cmdXclaim(CommandContext& c) {
  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (failed) return;
  ConsumerGroup* g = s ? s->findGroup(c.arg(2)) : nullptr;
  if (!g) return c.reply.error(noGroupError(c.arg(1), c.arg(2)));

  int64_t minIdle;
  if (!parseInt64OrReplyWith(c, c.arg(4), minIdle, "Invalid min-idle-time argument for XCLAIM")) return;
  if (minIdle < 0) minIdle = 0;

  // The ids run until the first argument that is not one; options follow.
  std::vector<StreamId> ids;
  size_t j = 5;
  for (StreamId id; j < c.argc() && parseStreamId(c.arg(j), id, 0, true); j++) ids.push_back(id);

  int64_t deliveryTime = -1, retryCount = -1;
  bool force = false, justId = false;
  StreamId lastId;
  for (; j < c.argc(); j++) {
    bool more = j + 1 < c.argc();
    std::string_view opt = c.arg(j);
    if (argIs(opt, "FORCE")) {
      force = true;
    } else if (argIs(opt, "JUSTID")) {
      justId = true;
    } else if (argIs(opt, "IDLE") && more) {
      if (!parseInt64OrReplyWith(c, c.arg(++j), deliveryTime, "Invalid IDLE option argument for XCLAIM")) return;
      deliveryTime = c.now - deliveryTime;
    } else if (argIs(opt, "TIME") && more) {
      if (!parseInt64OrReplyWith(c, c.arg(++j), deliveryTime, "Invalid TIME option argument for XCLAIM")) return;
    } else if (argIs(opt, "RETRYCOUNT") && more) {
      if (!parseInt64OrReplyWith(c, c.arg(++j), retryCount, "Invalid RETRYCOUNT option argument for XCLAIM")) return;
    } else if (argIs(opt, "LASTID") && more) {
      if (!parseIdOrReply(c, c.arg(++j), lastId, 0, true)) return;
    } else {
      return c.reply.error("ERR Unrecognized XCLAIM option '" + std::string(cstr(opt)) + "'");
    }
  }

  KeyEffects fx{std::string(c.arg(1))};
  bool lastIdMoved = false;
  if (lastId > g->lastId) {
    g->lastId = lastId;
    lastIdMoved = true;
  }
  // A bogus delivery time (negative or in the future) means now.
  if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > c.now) deliveryTime = c.now;

  StreamConsumer* consumer = nullptr;
  std::vector<StreamId> claimed;
  for (StreamId id : ids) {
    auto it = g->pel.find(id);
    if (!s->contains(id)) {
      // The entry is gone: so is its pending entry.
      if (it != g->pel.end()) {
        g->ack(id);
        fx.dirty++;
        lastIdMoved = false;
      }
      continue;
    }
    if (force && it == g->pel.end()) it = g->pel.emplace(id, PendingEntry{nullptr, c.now, 1}).first;
    if (it == g->pel.end()) continue;
    PendingEntry& p = it->second;
    // A pending entry FORCE just made has no owner and no idle time to respect.
    if (p.consumer && minIdle && c.now - p.deliveryTime < minIdle) continue;
    if (!consumer) consumer = &consumerFor(*g, c.arg(3), c.now, fx);
    g->transfer(id, p, *consumer);
    p.deliveryTime = deliveryTime;
    if (retryCount >= 0) p.deliveryCount = static_cast<uint64_t>(retryCount);
    else if (!justId) p.deliveryCount++;
    claimed.push_back(id);
    fx.dirty++;
    lastIdMoved = false;
  }
  if (lastIdMoved) fx.dirty++;

  c.reply.arrayHeader(claimed.size());
  for (StreamId id : claimed) justId ? replyId(c, id) : replyEntryById(c, *s, id);
  fx.fire(c.store, *c.db);
}

void cmdXautoclaim(CommandContext& c) {
  constexpr int64_t kAttemptsFactor = 10;
  int64_t minIdle;
  if (!parseInt64OrReplyWith(c, c.arg(4), minIdle, "Invalid min-idle-time argument for XAUTOCLAIM")) return;
  if (minIdle < 0) minIdle = 0;
  StreamId start;
  bool startEx;
  if (!parseIntervalIdOrReply(c, c.arg(5), start, startEx, 0)) return;
  if (startEx && !start.increment()) return c.reply.error("ERR invalid start ID for the interval");

  int64_t count = 100;
  bool justId = false;
  for (size_t j = 6; j < c.argc(); j++) {
    bool more = j + 1 < c.argc();
    if (argIs(c.arg(j), "COUNT") && more) {
      // Redis bounds COUNT so that count * max(sizeof(streamID), attempts factor) fits a long.
      constexpr int64_t kMaxCount = INT64_MAX / 16;
      if (!parseInt64(c.arg(j + 1), count) || count < 1 || count > kMaxCount)
        return c.reply.error("ERR COUNT must be > 0");
      j++;
    } else if (argIs(c.arg(j), "JUSTID")) {
      justId = true;
    } else {
      return c.reply.error(err::kSyntax);
    }
  }

  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(1), false, failed);
  if (failed) return;
  ConsumerGroup* g = s ? s->findGroup(c.arg(2)) : nullptr;
  if (!g) return c.reply.error(noGroupError(c.arg(1), c.arg(2)));

  KeyEffects fx{std::string(c.arg(1))};
  StreamConsumer* consumer = nullptr;
  std::vector<StreamId> claimed, deleted;
  int64_t attempts = count * kAttemptsFactor;
  auto it = g->pel.lower_bound(start);
  while (attempts-- && count && it != g->pel.end()) {
    StreamId id = it->first;
    PendingEntry& p = it->second;
    if (!s->contains(id)) {
      // The entry is gone: drop its pending entry and report the id.
      if (p.consumer) p.consumer->pending.erase(id);
      it = g->pel.erase(it);
      deleted.push_back(id);
      count--;
      fx.dirty++;
      continue;
    }
    if (minIdle && c.now - p.deliveryTime < minIdle) {
      ++it;
      continue;
    }
    if (!consumer) consumer = &consumerFor(*g, c.arg(3), c.now, fx);
    g->transfer(id, p, *consumer);
    p.deliveryTime = c.now;
    if (!justId) p.deliveryCount++;
    claimed.push_back(id);
    count--;
    fx.dirty++;
    ++it;
  }
  // The cursor for the next call: the first pending entry not looked at.
  StreamId cursor = it == g->pel.end() ? StreamId::min() : it->first;

  c.reply.arrayHeader(3);
  replyId(c, cursor);
  c.reply.arrayHeader(claimed.size());
  for (StreamId id : claimed) justId ? replyId(c, id) : replyEntryById(c, *s, id);
  c.reply.arrayHeader(deleted.size());
  for (StreamId id : deleted) replyId(c, id);
  fx.fire(c.store, *c.db);
}

// ---- XINFO --------------------------------------------------------------------------------------

void replyLag(CommandContext& c, const StreamObject& s, const ConsumerGroup& g) {
  int64_t lag;
  if (s.lag(g, lag)) c.reply.integer(lag);
  else c.reply.nullBulk();
}

void replyEntriesRead(CommandContext& c, const ConsumerGroup& g) {
  if (g.entriesRead != kEntriesReadUnknown) c.reply.integer(g.entriesRead);
  else c.reply.nullBulk();
}

void xinfoStream(CommandContext& c, const StreamObject& s) {
  bool full = true;
  int64_t count = 10;  // FULL's default, so a huge stream cannot stall the server
  size_t optc = c.argc() - 3;
  if (optc == 0) {
    full = false;
  } else {
    if (optc != 1 && optc != 3) return subcommandSyntaxError(c);
    if (!argIs(c.arg(3), "full")) return subcommandSyntaxError(c);
    if (optc == 3) {
      if (!argIs(c.arg(4), "count")) return subcommandSyntaxError(c);
      if (!parseInt64OrReply(c, c.arg(5), count)) return;
      if (count < 0) count = 10;
    }
  }
  size_t limit = static_cast<size_t>(count);  // 0: everything

  c.reply.mapHeader(full ? 9 : 10);
  c.reply.bulk("length");
  c.reply.integer(static_cast<int64_t>(s.length()));
  c.reply.bulk("radix-tree-keys");
  c.reply.integer(static_cast<int64_t>(s.nodeCount()));
  c.reply.bulk("radix-tree-nodes");
  c.reply.integer(static_cast<int64_t>(s.radixTreeNodes()));
  c.reply.bulk("last-generated-id");
  replyId(c, s.lastId());
  c.reply.bulk("max-deleted-entry-id");
  replyId(c, s.maxDeletedId());
  c.reply.bulk("entries-added");
  c.reply.integer(static_cast<int64_t>(s.entriesAdded()));
  c.reply.bulk("recorded-first-entry-id");
  replyId(c, s.firstId());

  if (!full) {
    c.reply.bulk("groups");
    c.reply.integer(static_cast<int64_t>(s.groups().size()));
    for (bool rev : {false, true}) {
      c.reply.bulk(rev ? "last-entry" : "first-entry");
      if (!s.range(StreamId::min(), StreamId::max(), 1, rev, entryWriter(c.reply))) c.reply.nullBulk();
    }
    return;
  }

  c.reply.bulk("entries");
  c.reply.beginDeferredArray();
  c.reply.endDeferredArray(s.range(StreamId::min(), StreamId::max(), limit, false, entryWriter(c.reply)));
  c.reply.bulk("groups");
  c.reply.arrayHeader(s.groups().size());
  for (auto& [name, g] : s.groups()) {
    c.reply.mapHeader(7);
    c.reply.bulk("name");
    c.reply.bulk(name);
    c.reply.bulk("last-delivered-id");
    replyId(c, g->lastId);
    c.reply.bulk("entries-read");
    replyEntriesRead(c, *g);
    c.reply.bulk("lag");
    replyLag(c, s, *g);
    c.reply.bulk("pel-count");
    c.reply.integer(static_cast<int64_t>(g->pel.size()));
    c.reply.bulk("pending");
    size_t n = 0;
    c.reply.beginDeferredArray();
    for (auto it = g->pel.begin(); it != g->pel.end() && (!limit || n < limit); ++it, n++) {
      c.reply.arrayHeader(4);
      replyId(c, it->first);
      c.reply.bulk(it->second.consumer->name);
      c.reply.integer(it->second.deliveryTime);
      c.reply.integer(static_cast<int64_t>(it->second.deliveryCount));
    }
    c.reply.endDeferredArray(n);
    c.reply.bulk("consumers");
    c.reply.arrayHeader(g->consumers.size());
    for (auto& [cname, consumer] : g->consumers) {
      c.reply.mapHeader(4);
      c.reply.bulk("name");
      c.reply.bulk(cname);
      c.reply.bulk("seen-time");
      c.reply.integer(consumer->seenTime);
      c.reply.bulk("pel-count");
      c.reply.integer(static_cast<int64_t>(consumer->pending.size()));
      c.reply.bulk("pending");
      size_t m = 0;
      c.reply.beginDeferredArray();
      for (auto it = consumer->pending.begin(); it != consumer->pending.end() && (!limit || m < limit); ++it, m++) {
        const PendingEntry& p = g->pel.at(*it);
        c.reply.arrayHeader(3);
        replyId(c, *it);
        c.reply.integer(p.deliveryTime);
        c.reply.integer(static_cast<int64_t>(p.deliveryCount));
      }
      c.reply.endDeferredArray(m);
    }
  }
}

void cmdXinfo(CommandContext& c) {
  if (argIs(c.arg(1), "HELP")) {
    if (c.argc() != 2) return subcommandSyntaxError(c);
    return helpReply(c, {
                            "CONSUMERS <key> <groupname>",
                            "    Show consumers of <groupname>.",
                            "GROUPS <key>",
                            "    Show the stream consumer groups.",
                            "STREAM <key> [FULL [COUNT <count>]",
                            "    Show information about the stream.",
                        });
  }
  if (c.argc() < 3) return subcommandSyntaxError(c);

  std::string_view opt = c.arg(1);
  bool failed;
  StreamObject* s = lookupOrReply(c, c.arg(2), false, failed);
  if (failed) return;
  if (!s) return c.reply.error(err::kNoSuchKey);

  if (argIs(opt, "CONSUMERS") && c.argc() == 4) {
    ConsumerGroup* g = s->findGroup(c.arg(3));
    if (!g)
      return c.reply.error("NOGROUP No such consumer group '" + std::string(cstr(c.arg(3))) + "' for key name '" +
                           std::string(cstr(c.arg(2))) + "'");
    c.reply.arrayHeader(g->consumers.size());
    for (auto& [name, consumer] : g->consumers) {
      c.reply.mapHeader(3);
      c.reply.bulk("name");
      c.reply.bulk(name);
      c.reply.bulk("pending");
      c.reply.integer(static_cast<int64_t>(consumer->pending.size()));
      c.reply.bulk("idle");
      c.reply.integer(std::max<int64_t>(0, c.now - consumer->seenTime));
    }
  } else if (argIs(opt, "GROUPS") && c.argc() == 3) {
    c.reply.arrayHeader(s->groups().size());
    for (auto& [name, g] : s->groups()) {
      c.reply.mapHeader(6);
      c.reply.bulk("name");
      c.reply.bulk(name);
      c.reply.bulk("consumers");
      c.reply.integer(static_cast<int64_t>(g->consumers.size()));
      c.reply.bulk("pending");
      c.reply.integer(static_cast<int64_t>(g->pel.size()));
      c.reply.bulk("last-delivered-id");
      replyId(c, g->lastId);
      c.reply.bulk("entries-read");
      replyEntriesRead(c, *g);
      c.reply.bulk("lag");
      replyLag(c, *s, *g);
    }
  } else if (argIs(opt, "STREAM")) {
    xinfoStream(c, *s);
  } else {
    subcommandSyntaxError(c);
  }
}

}  // namespace

// ---- keyspace-level operations (t_stream.h) -------------------------------------------------------

StreamObject* streamLookup(Store& store, Db& db, std::string_view key, int64_t now, bool forWrite, StreamStatus& st) {
  KeyEntry* e = forWrite ? store.lookupWrite(db, key, now) : store.lookupRead(db, key, now);
  if (!e) {
    st = StreamStatus::kNoKey;
    return nullptr;
  }
  if (e->type != ValueType::Stream) {
    st = StreamStatus::kWrongType;
    return nullptr;
  }
  st = StreamStatus::kOk;
  return e->as<StreamObject>();
}

StreamStatus streamCreateGroup(Store& store, Db& db, std::string_view key, std::string_view group,
                               const StreamId* lastIdOrNull, bool mkstream, int64_t entriesRead, int64_t now) {
  StreamStatus st;
  StreamObject* s = streamLookup(store, db, key, now, true, st);
  if (st == StreamStatus::kWrongType) return st;
  KeyEffects fx{std::string(key)};
  if (!s) {
    if (!mkstream) return StreamStatus::kNoKey;
    s = new StreamObject();
    store.addObject(db, key, ValueType::Stream, s);
    fx.modified = true;
  }
  StreamId id = lastIdOrNull ? *lastIdOrNull : s->lastId();
  st = StreamStatus::kGroupExists;
  if (s->createGroup(group, id, entriesRead)) {
    st = StreamStatus::kOk;
    fx.dirty = 1;
    fx.events.push_back("xgroup-create");
  }
  fx.fire(store, db);
  return st;
}

StreamStatus streamReadGroup(Store& store, Db& db, std::string_view key, std::string_view group,
                             std::string_view consumer, size_t count, bool noack, int64_t now,
                             const StreamEntryFn& fn, size_t& delivered) {
  delivered = 0;
  StreamStatus st;
  StreamObject* s = streamLookup(store, db, key, now, false, st);
  if (!s) return st;
  ConsumerGroup* g = s->findGroup(group);
  if (!g) return StreamStatus::kNoGroup;
  if (!hasNewFor(*s, *g)) return StreamStatus::kOk;
  KeyEffects fx{std::string(key)};
  StreamConsumer& c = consumerFor(*g, consumer, now, fx);
  delivered = s->deliverNew(*g, c, count, noack, now, fn);
  fx.dirty++;
  fx.fire(store, db);
  return StreamStatus::kOk;
}

size_t streamAck(Store& store, Db& db, std::string_view key, std::string_view group, const StreamId* ids, size_t n,
                 int64_t now) {
  StreamStatus st;
  StreamObject* s = streamLookup(store, db, key, now, false, st);
  ConsumerGroup* g = s ? s->findGroup(group) : nullptr;
  if (!g) return 0;
  size_t acked = ackIds(*g, std::vector<StreamId>(ids, ids + n));
  store.addDirty(acked);
  return acked;
}

int64_t streamTrimKey(Store& store, Db& db, std::string_view key, const StreamTrim& t, int64_t now, StreamStatus& st) {
  StreamObject* s = streamLookup(store, db, key, now, true, st);
  if (!s) return 0;
  int64_t deleted = s->trim(t);
  if (deleted) {
    KeyEffects fx{std::string(key)};
    fx.modified = true;
    fx.events.push_back("xtrim");
    fx.dirty = static_cast<uint64_t>(deleted);
    fx.fire(store, db);
  }
  return deleted;
}

void registerStreamFamily(CommandRegistry& r) {
  r.add("xadd", cmdXadd);
  r.add("xlen", cmdXlen);
  r.add("xrange", cmdXrange);
  r.add("xrevrange", cmdXrevrange);
  r.add("xdel", cmdXdel);
  r.add("xtrim", cmdXtrim);
  r.add("xsetid", cmdXsetid);
  r.add("xread", cmdXread);
  r.add("xreadgroup", cmdXreadgroup);
  r.add("xgroup", cmdXgroup);
  r.add("xack", cmdXack);
  r.add("xpending", cmdXpending);
  r.add("xclaim", cmdXclaim);
  r.add("xautoclaim", cmdXautoclaim);
  r.add("xinfo", cmdXinfo);
}

}  // namespace gearsd::store
