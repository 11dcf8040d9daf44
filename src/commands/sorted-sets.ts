// Sorted-set commands: implemented in native/store/t_zset.cc; these are their table entries
// (arity, flags and key positions as Redis 7.0 declares them).

import { doc, family, nativeCommand, NO_KEYS } from './spec.js';

const ONE_KEY = [1, 1, 1] as const;
const TWO_KEYS = [1, 2, 1] as const;
const ALL_BUT_LAST = [1, -2, 1] as const;

const LOG_N = 'O(log(N)) with N being the number of elements in the sorted set.';
const RANGE = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const REMOVE_RANGE = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const POP = 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';
const MPOP = 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';
const UNION = 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const INTER = 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF = 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';
const SETOP_OPTIONS = '[WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]';

export const sortedSetCommands = family('sorted-set', [
  nativeCommand('zadd', -4, 'write denyoom fast', ONE_KEY, doc('1.2.0', 'key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]', 'Adds members with their scores to a sorted set, or updates the scores of members already in it; creates the key when missing.', 'O(log(N)) for each item added, where N is the number of elements in the sorted set.')),
  nativeCommand('zincrby', 4, 'write denyoom fast', ONE_KEY, doc('1.2.0', 'key increment member', 'Adds a number to the score of a member, which starts from 0 when absent.', 'O(log(N)) where N is the number of elements in the sorted set.')),
  nativeCommand('zrem', -3, 'write fast', ONE_KEY, doc('1.2.0', 'key member [member ...]', 'Removes members from a sorted set; the key goes away with its last member.', 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.')),
  nativeCommand('zremrangebyrank', 4, 'write', ONE_KEY, doc('2.0.0', 'key start stop', 'Removes the members whose ranks lie between two indexes.', REMOVE_RANGE)),
  nativeCommand('zremrangebyscore', 4, 'write', ONE_KEY, doc('1.2.0', 'key min max', 'Removes the members whose scores lie between two bounds.', REMOVE_RANGE)),
  nativeCommand('zremrangebylex', 4, 'write', ONE_KEY, doc('2.8.9', 'key min max', 'Removes the members that sort between two strings (for members sharing one score).', REMOVE_RANGE)),
  nativeCommand('zcard', 2, 'readonly fast', ONE_KEY, doc('1.2.0', 'key', 'Counts the members of a sorted set.', 'O(1)')),
  nativeCommand('zscore', 3, 'readonly fast', ONE_KEY, doc('1.2.0', 'key member', 'Returns the score of one member.', 'O(1)')),
  nativeCommand('zmscore', -3, 'readonly fast', ONE_KEY, doc('6.2.0', 'key member [member ...]', 'Returns the scores of several members, nil for absent ones.', 'O(N) where N is the number of members being requested.')),
  nativeCommand('zrank', 3, 'readonly fast', ONE_KEY, doc('2.0.0', 'key member', 'Returns the position of a member counted from the lowest score.', 'O(log(N))')),
  nativeCommand('zrevrank', 3, 'readonly fast', ONE_KEY, doc('2.0.0', 'key member', 'Returns the position of a member counted from the highest score.', 'O(log(N))')),
  nativeCommand('zcount', 4, 'readonly fast', ONE_KEY, doc('2.0.0', 'key min max', 'Counts the members whose scores lie between two bounds.', LOG_N)),
  nativeCommand('zlexcount', 4, 'readonly fast', ONE_KEY, doc('2.8.9', 'key min max', 'Counts the members that sort between two strings.', LOG_N)),
  nativeCommand('zrange', -4, 'readonly', ONE_KEY, doc('1.2.0', 'key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]', 'Returns members by rank, score or string range, in either direction.', RANGE)),
  nativeCommand('zrangestore', -5, 'write denyoom', TWO_KEYS, doc('6.2.0', 'dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]', 'Copies a range of members (as ZRANGE selects them) into another key.', 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.')),
  nativeCommand('zrevrange', -4, 'readonly', ONE_KEY, doc('1.2.0', 'key start stop [WITHSCORES]', 'Returns members by rank, highest score first.', RANGE)),
  nativeCommand('zrangebyscore', -4, 'readonly', ONE_KEY, doc('1.0.5', 'key min max [WITHSCORES] [LIMIT offset count]', 'Returns the members whose scores lie between two bounds, lowest first.', RANGE)),
  nativeCommand('zrevrangebyscore', -4, 'readonly', ONE_KEY, doc('2.2.0', 'key max min [WITHSCORES] [LIMIT offset count]', 'Returns the members whose scores lie between two bounds, highest first.', RANGE)),
  nativeCommand('zrangebylex', -4, 'readonly', ONE_KEY, doc('2.8.9', 'key min max [LIMIT offset count]', 'Returns the members that sort between two strings, in ascending order.', RANGE)),
  nativeCommand('zrevrangebylex', -4, 'readonly', ONE_KEY, doc('2.8.9', 'key max min [LIMIT offset count]', 'Returns the members that sort between two strings, in descending order.', RANGE)),
  nativeCommand('zpopmin', -2, 'write fast', ONE_KEY, doc('5.0.0', 'key [count]', 'Removes and returns the members with the lowest scores.', POP)),
  nativeCommand('zpopmax', -2, 'write fast', ONE_KEY, doc('5.0.0', 'key [count]', 'Removes and returns the members with the highest scores.', POP)),
  nativeCommand('bzpopmin', -3, 'write noscript blocking fast', ALL_BUT_LAST, doc('5.0.0', 'key [key ...] timeout', 'Pops the lowest-scored member of the first non-empty sorted set, waiting for one when all are empty.', LOG_N)),
  nativeCommand('bzpopmax', -3, 'write noscript blocking fast', ALL_BUT_LAST, doc('5.0.0', 'key [key ...] timeout', 'Pops the highest-scored member of the first non-empty sorted set, waiting for one when all are empty.', LOG_N)),
  nativeCommand('zmpop', -4, 'write movablekeys', NO_KEYS, doc('7.0.0', 'numkeys key [key ...] <MIN | MAX> [COUNT count]', 'Pops members from the first non-empty sorted set among several keys.', MPOP)),
  nativeCommand('bzmpop', -5, 'write blocking movablekeys', NO_KEYS, doc('7.0.0', 'timeout numkeys key [key ...] <MIN | MAX> [COUNT count]', 'Pops members from the first non-empty sorted set among several keys, waiting for one when all are empty.', MPOP)),
  nativeCommand('zunion', -3, 'readonly movablekeys', NO_KEYS, doc('6.2.0', `numkeys key [key ...] ${SETOP_OPTIONS} [WITHSCORES]`, 'Returns the union of sorted sets, combining the scores of shared members.', UNION)),
  nativeCommand('zinter', -3, 'readonly movablekeys', NO_KEYS, doc('6.2.0', `numkeys key [key ...] ${SETOP_OPTIONS} [WITHSCORES]`, 'Returns the members present in every given sorted set, combining their scores.', INTER)),
  nativeCommand('zdiff', -3, 'readonly movablekeys', NO_KEYS, doc('6.2.0', 'numkeys key [key ...] [WITHSCORES]', 'Returns the members of the first sorted set that none of the others holds.', DIFF)),
  nativeCommand('zunionstore', -4, 'write denyoom movablekeys', ONE_KEY, doc('2.0.0', `destination numkeys key [key ...] ${SETOP_OPTIONS}`, 'Stores the union of sorted sets in a key.', UNION)),
  nativeCommand('zinterstore', -4, 'write denyoom movablekeys', ONE_KEY, doc('2.0.0', `destination numkeys key [key ...] ${SETOP_OPTIONS}`, 'Stores the intersection of sorted sets in a key.', INTER)),
  nativeCommand('zdiffstore', -4, 'write denyoom movablekeys', ONE_KEY, doc('6.2.0', 'destination numkeys key [key ...]', 'Stores the difference of the first sorted set and the others in a key.', DIFF)),
  nativeCommand('zintercard', -3, 'readonly movablekeys', NO_KEYS, doc('7.0.0', 'numkeys key [key ...] [LIMIT limit]', 'Counts the members of the intersection of sorted sets, optionally stopping at a limit.', 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.')),
  nativeCommand('zrandmember', -2, 'readonly', ONE_KEY, doc('6.2.0', 'key [count [WITHSCORES]]', 'Returns random members, distinct for a positive count, possibly repeated for a negative one.', 'O(N) where N is the number of elements returned')),
  nativeCommand('zscan', -3, 'readonly', ONE_KEY, doc('2.8.0', 'key cursor [MATCH pattern] [COUNT count]', 'Walks the members and scores of a sorted set a few at a time.', 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.')),
]);
