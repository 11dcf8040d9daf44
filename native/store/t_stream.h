// Streams: the value type and the C++ API that the stream commands (t_stream.cc) and the
// Gears StreamReader share.
//
// Tour:
//  - StreamId is Redis's <ms>-<seq> entry id, ordered as a pair.
//  - StreamObject keeps its entries in nodes the way Redis keeps listpacks in a radix tree:
//    a node starts at its first ("master") id, holds at most stream-node-max-entries
//    entries and closes once its Redis listpack size would reach stream-node-max-bytes.
//    Entries are packed into one byte buffer per node (fields shared with the node's first
//    entry are stored once), and deleting an entry only flags it until its whole node goes.
//    Mirroring Redis's node boundaries is what makes approximate trimming (`~`), LIMIT and
//    XINFO's radix-tree-keys give Redis's exact answers.
//  - Consumer groups (ConsumerGroup) each have a last delivered id, a read counter, a
//    pending entries list (PEL) and consumers; each consumer has its own view of the PEL.
//  - The stream* functions at the end are keyspace-level operations with exactly the side
//    effects of the matching commands (keyspace events, dirty counter, signals), for native
//    callers that have no argv. The command handlers are built from the same pieces
//    (XGROUP CREATE and XTRIM call them outright).
//
// Nothing here replies: data operations return statuses and hand entries to callbacks.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/keyspace.h"

namespace gearsd::store {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  friend auto operator<=>(const StreamId&, const StreamId&) = default;
  static constexpr StreamId min() { return {0, 0}; }
  static constexpr StreamId max() { return {UINT64_MAX, UINT64_MAX}; }
  bool isZero() const { return ms == 0 && seq == 0; }
  // The next / previous id; false (and a wrap to 0-0 / max) at the ends, as Redis does.
  bool increment();
  bool decrement();
  std::string str() const;
};

// Parses an id as stream commands take it: "<ms>-<seq>", or "<ms>" (seq = missingSeq),
// "-" / "+" (the smallest / largest id) unless `strict`, and "<ms>-*" when `seqGiven` is
// non-null (then *seqGiven says whether the sequence was given). Redis's exact leniencies
// (leading '+', spaces, zeros) included.
bool parseStreamId(std::string_view s, StreamId& id, uint64_t missingSeq, bool strict, bool* seqGiven = nullptr);

// One entry as iteration hands it out; valid until the stream changes.
class StreamEntry {
 public:
  StreamId id;
  size_t numFields() const { return numFields_; }

  // Walks the field/value pairs in order: `while (c.next(f, v)) ...`.
  class Cursor {
   public:
    bool next(std::string_view& field, std::string_view& value);

   private:
    friend class StreamEntry;
    const char* fieldPos_;  // the node's master fields when the entry shares them
    const char* valuePos_;  // values, or field/value pairs when the entry has its own fields
    size_t left_;
    bool shared_;
  };
  Cursor fields() const;

 private:
  friend struct StreamNode;
  const char* fieldPos_ = nullptr;
  const char* valuePos_ = nullptr;
  size_t numFields_ = 0;
  bool sharedFields_ = false;
};

// Return false to stop the iteration.
using StreamEntryFn = std::function<bool(const StreamEntry&)>;

struct StreamConsumer;

// A delivered but not yet acknowledged entry (Redis's streamNACK).
struct PendingEntry {
  StreamConsumer* consumer = nullptr;
  int64_t deliveryTime = 0;  // unix ms
  uint64_t deliveryCount = 0;
};

struct StreamConsumer {
  std::string name;
  int64_t seenTime = 0;        // unix ms of the last read or claim
  std::set<StreamId> pending;  // this consumer's part of the group PEL
};

// entries-read is unknown (Redis's SCG_INVALID_ENTRIES_READ).
inline constexpr int64_t kEntriesReadUnknown = -1;

struct ConsumerGroup {
  StreamId lastId;                          // last delivered id
  int64_t entriesRead = kEntriesReadUnknown;
  std::map<StreamId, PendingEntry> pel;
  std::map<std::string, std::unique_ptr<StreamConsumer>> consumers;  // ordered by name

  StreamConsumer* findConsumer(std::string_view name);
  // Null when a consumer of that name exists.
  StreamConsumer* createConsumer(std::string_view name, int64_t now);
  // Drops the consumer and its pending entries; returns how many it had.
  size_t deleteConsumer(std::string_view name);
  // Removes an id from the PEL (and its consumer's); false when it was not pending.
  bool ack(StreamId id);
  // Records a first delivery of `id` to `consumer` (XREADGROUP): a new pending entry, or
  // one taken over from whoever had it, with one delivery at `now`.
  void deliver(StreamId id, StreamConsumer& consumer, int64_t now);
  // Hands a pending entry over to another consumer (XCLAIM), counters untouched.
  void transfer(StreamId id, PendingEntry& p, StreamConsumer& to);
};

struct StreamNode;

// How XADD/XTRIM trim (Redis's streamAddTrimArgs).
struct StreamTrim {
  enum Strategy : uint8_t { kNone, kMaxLen, kMinId };
  Strategy strategy = kNone;
  bool approx = false;  // `~`: only whole nodes go
  int64_t limit = 0;    // most entries to remove, 0 = no limit
  uint64_t maxLen = 0;
  StreamId minId;
};

class StreamObject final : public Object {
 public:
  StreamObject();
  ~StreamObject() override;
  StreamObject(const StreamObject&) = delete;
  StreamObject& operator=(const StreamObject&) = delete;

  size_t memoryUsage() const override;
  std::unique_ptr<Object> clone() const override;
  const char* encodingName() const override { return "stream"; }

  // --- reading ---------------------------------------------------------------------------
  uint64_t length() const { return length_; }
  StreamId lastId() const { return lastId_; }            // last id ever generated
  StreamId firstId() const { return firstId_; }          // recorded-first-entry-id
  StreamId maxDeletedId() const { return maxDeletedId_; }
  uint64_t entriesAdded() const { return entriesAdded_; }
  size_t nodeCount() const { return nodes_.size(); }     // XINFO radix-tree-keys
  size_t radixTreeNodes() const;                         // XINFO radix-tree-nodes

  // Live entries with start <= id <= end, ascending (descending when rev), at most
  // `count` of them (0: no limit). Returns how many were handed to fn.
  size_t range(StreamId start, StreamId end, size_t count, bool rev, const StreamEntryFn& fn) const;
  bool contains(StreamId id) const;
  // The id of the last live entry; false when the stream is empty.
  bool lastLiveId(StreamId& out) const;

  // Consumer-group lag as XINFO reports it; false when it cannot be known.
  bool lag(const ConsumerGroup& g, int64_t& out) const;
  // Redis's streamEstimateDistanceFromFirstEverEntry: the read counter of `id`, or
  // kEntriesReadUnknown.
  int64_t estimateDistance(StreamId id) const;

  // --- writing ---------------------------------------------------------------------------
  enum class AppendStatus { kOk, kIdTooSmall, kTooLarge };
  // Appends an entry of numFields field/value pairs (fv holds 2*numFields strings). The id
  // is generated from `now` unless useId is given; with seqGiven false only useId->ms is
  // taken and the sequence is generated.
  AppendStatus append(const std::string_view* fv, size_t numFields, const StreamId* useId, bool seqGiven,
                      int64_t now, StreamId& added);
  // Returns the number of entries removed.
  int64_t trim(const StreamTrim& t);
  // XDEL: deletes the ids that exist; returns how many did.
  size_t deleteIds(const StreamId* ids, size_t n);
  // XSETID.
  void setLastId(StreamId id) { lastId_ = id; }
  void setEntriesAdded(uint64_t n) { entriesAdded_ = n; }
  void setMaxDeletedId(StreamId id) { maxDeletedId_ = id; }

  // --- consumer groups --------------------------------------------------------------------
  ConsumerGroup* findGroup(std::string_view name);
  const ConsumerGroup* findGroup(std::string_view name) const;
  // Null when a group of that name exists.
  ConsumerGroup* createGroup(std::string_view name, StreamId lastId, int64_t entriesRead);
  bool destroyGroup(std::string_view name);
  const std::map<std::string, std::unique_ptr<ConsumerGroup>>& groups() const { return groups_; }

  // Delivers the entries after the group's last delivered id to `consumer` (XREADGROUP
  // with `>`): advances the group, and unless noack makes each entry pending for the
  // consumer. At most `count` entries (0: no limit).
  size_t deliverNew(ConsumerGroup& g, StreamConsumer& consumer, size_t count, bool noack, int64_t now,
                    const StreamEntryFn& fn);
  // The consumer's own pending entries with id >= start (XREADGROUP with an id). fn gets
  // the entry, or null for a pending id whose entry was deleted meanwhile; the delivery
  // counters of found entries go up.
  using PendingFn = std::function<void(StreamId id, const StreamEntry* entry)>;
  size_t deliverHistory(ConsumerGroup& g, StreamConsumer& consumer, StreamId start, size_t count, int64_t now,
                        const PendingFn& fn);

 private:
  using NodeMap = std::map<StreamId, std::unique_ptr<StreamNode>>;
  bool rangeHasTombstones(StreamId start, StreamId end) const;
  StreamId edgeId(bool first) const;  // first/last live id, or max/min when empty
  void removeEntry(NodeMap::iterator node, size_t index);

  NodeMap nodes_;  // keyed by each node's master id
  uint64_t length_ = 0;
  StreamId lastId_;
  StreamId firstId_;
  StreamId maxDeletedId_;
  uint64_t entriesAdded_ = 0;
  std::map<std::string, std::unique_ptr<ConsumerGroup>> groups_;  // ordered by name
};

// ---- keyspace-level operations ---------------------------------------------------------------
//
// For native callers without argv (the Gears StreamReader). Each does what its command does
// to the keyspace: the same keyspace events, dirty counts and signals, fired after the data
// changed. The caller holds the server lock.

enum class StreamStatus { kOk, kNoKey, kWrongType, kNoGroup, kGroupExists };

// The stream at key (lazy expiry applies), or null: st says why (kNoKey / kWrongType).
StreamObject* streamLookup(Store& store, Db& db, std::string_view key, int64_t now, bool forWrite, StreamStatus& st);

// XGROUP CREATE key group <id | $ when lastIdOrNull is null> [MKSTREAM].
StreamStatus streamCreateGroup(Store& store, Db& db, std::string_view key, std::string_view group,
                               const StreamId* lastIdOrNull, bool mkstream, int64_t entriesRead, int64_t now);

// XREADGROUP GROUP group consumer [COUNT count] [NOACK] STREAMS key > : creates the consumer
// if needed, delivers new entries to fn. `delivered` is how many (0 when nothing new).
StreamStatus streamReadGroup(Store& store, Db& db, std::string_view key, std::string_view group,
                             std::string_view consumer, size_t count, bool noack, int64_t now,
                             const StreamEntryFn& fn, size_t& delivered);

// XACK key group id...: how many ids were pending (0 when the key or group is missing).
size_t streamAck(Store& store, Db& db, std::string_view key, std::string_view group, const StreamId* ids,
                 size_t n, int64_t now);

// XTRIM key ...: entries removed.
int64_t streamTrimKey(Store& store, Db& db, std::string_view key, const StreamTrim& t, int64_t now,
                      StreamStatus& st);

// Redis's default LIMIT for `~` trimming without one.
int64_t streamDefaultTrimLimit();

}  // namespace gearsd::store
