// Stream commands: implemented in native/store/t_stream.cc; this is their table entry.
// XGROUP and XINFO are container commands: their subcommands are declared here (arity,
// flags, docs) and the native handler parses the subcommand itself.

import { doc, family, nativeCommand, NO_KEYS } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const SUB_KEY = [2, 2, 1] as const;

export const streamCommands = family('stream', [
  nativeCommand('xadd', -5, 'write denyoom fast', ONE_KEY, doc('5.0.0', 'key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]', 'Appends a new message to a stream, creating the key if it does not exist.', 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.')),
  nativeCommand('xlen', 2, 'readonly fast', ONE_KEY, doc('5.0.0', 'key', 'Returns how many messages a stream holds.', 'O(1)')),
  nativeCommand('xrange', -4, 'readonly', ONE_KEY, doc('5.0.0', 'key start end [COUNT count]', 'Returns the messages of a stream whose ids fall in a range.', 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).')),
  nativeCommand('xrevrange', -4, 'readonly', ONE_KEY, doc('5.0.0', 'key end start [COUNT count]', 'Returns the messages of a stream whose ids fall in a range, newest first.', 'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).')),
  nativeCommand('xdel', -3, 'write fast', ONE_KEY, doc('5.0.0', 'key id [id ...]', 'Removes messages from a stream and returns how many were removed.', 'O(1) for each single item to delete in the stream, regardless of the stream size.')),
  nativeCommand('xtrim', -4, 'write', ONE_KEY, doc('5.0.0', 'key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]', 'Removes the oldest messages of a stream down to a length or an id.', 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.')),
  nativeCommand('xread', -4, 'readonly blocking movablekeys', NO_KEYS, doc('5.0.0', '[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]', 'Returns messages of one or more streams newer than the given ids, optionally waiting for them.', 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.')),
  nativeCommand('xreadgroup', -7, 'write blocking movablekeys', NO_KEYS, doc('5.0.0', 'GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]', 'Reads messages of one or more streams for a consumer of a consumer group, optionally waiting for new ones.', 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.')),
  nativeCommand('xack', -4, 'write fast', ONE_KEY, doc('5.0.0', 'key group id [id ...]', 'Acknowledges messages of a consumer group, removing them from its pending entries list.', 'O(1) for each message ID processed.')),
  nativeCommand('xpending', -3, 'readonly', ONE_KEY, doc('5.0.0', 'key group [[IDLE min-idle-time] start end count [consumer]]', 'Returns a summary or the details of the pending entries list of a consumer group.', 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.')),
  nativeCommand('xclaim', -6, 'write fast', ONE_KEY, doc('5.0.0', 'key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]', 'Gives pending messages of a consumer group to another consumer.', 'O(log N) with N being the number of messages in the PEL of the consumer group.')),
  nativeCommand('xautoclaim', -6, 'write fast', ONE_KEY, doc('6.2.0', 'key group consumer min-idle-time start [COUNT count] [JUSTID]', 'Gives the pending messages idle for long enough to another consumer, walking the pending entries list like SCAN.', 'O(1) if COUNT is small.')),
  nativeCommand('xsetid', -3, 'write denyoom fast', ONE_KEY, doc('5.0.0', 'key last-id [ENTRIESADDED entries_added:integer] [MAXDELETEDID max_deleted_entry_id]', 'Sets the last generated id (and counters) of a stream.', 'O(1)')),
  nativeCommand('xgroup', -2, '', NO_KEYS, doc('5.0.0', '', 'A container for consumer group commands.', 'Depends on subcommand.'), [
    nativeCommand('xgroup|create', -5, 'write denyoom', SUB_KEY, doc('5.0.0', 'key groupname <id | $> [MKSTREAM] [ENTRIESREAD entries_read:integer]', 'Creates a consumer group.', 'O(1)')),
    nativeCommand('xgroup|setid', -5, 'write', SUB_KEY, doc('5.0.0', 'key groupname <id | $> [ENTRIESREAD entries_read:integer]', 'Sets the last delivered id of a consumer group.', 'O(1)')),
    nativeCommand('xgroup|destroy', 4, 'write', SUB_KEY, doc('5.0.0', 'key groupname', 'Destroys a consumer group.', "O(N) where N is the number of entries in the group's pending entries list (PEL).")),
    nativeCommand('xgroup|createconsumer', 5, 'write denyoom', SUB_KEY, doc('6.2.0', 'key groupname consumername', 'Creates a consumer in a consumer group.', 'O(1)')),
    nativeCommand('xgroup|delconsumer', 5, 'write', SUB_KEY, doc('5.0.0', 'key groupname consumername', 'Deletes a consumer from a consumer group.', 'O(1)')),
    nativeCommand('xgroup|help', 2, 'loading stale', NO_KEYS, doc('5.0.0', '', 'Returns helpful text about the XGROUP subcommands.', 'O(1)')),
  ]),
  nativeCommand('xinfo', -2, '', NO_KEYS, doc('5.0.0', '', 'A container for stream introspection commands.', 'Depends on subcommand.'), [
    nativeCommand('xinfo|stream', -3, 'readonly', SUB_KEY, doc('5.0.0', 'key [FULL [COUNT count]]', 'Returns information about a stream.', 'O(1)')),
    nativeCommand('xinfo|groups', 3, 'readonly', SUB_KEY, doc('5.0.0', 'key', 'Returns the consumer groups of a stream.', 'O(1)')),
    nativeCommand('xinfo|consumers', 4, 'readonly', SUB_KEY, doc('5.0.0', 'key groupname', 'Returns the consumers of a consumer group.', 'O(1)')),
    nativeCommand('xinfo|help', 2, 'loading stale', NO_KEYS, doc('5.0.0', '', 'Returns helpful text about the XINFO subcommands.', 'O(1)')),
  ]),
]);

