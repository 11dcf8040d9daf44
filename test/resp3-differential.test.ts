// RESP3 (HELLO 3) against a real redis-server: the same commands on connections that both
// said HELLO 3, replies compared byte for byte across the families whose replies change
// shape (maps, sets, doubles, nulls, [member, score] pairs), and HELLO 2 going back.
// Replies whose order is each server's own (sets as tables) use small sets, which both
// keep as sorted intsets or insertion-ordered listpacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, withPair } from './helpers/differential.js';

const diffTest = canCompare() ? test : test.skip;
const resp3 = { resp3: true };

diffTest('strings, keys, nulls and transactions', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['SET', 's', 'v'],
      ['GET', 's'],
      ['GET', 'nokey'],
      ['MGET', 's', 'nokey'],
      ['GETDEL', 'nokey'],
      ['GETEX', 'nokey'],
      ['INCRBYFLOAT', 'f', '1.5'],
      ['SET', 's', 'x', 'NX', 'GET'],
      ['SET', 'n', 'x', 'XX'],
      ['OBJECT', 'ENCODING', 'nokey'],
      ['SET', 'a', 'ohmytext'],
      ['SET', 'b', 'mynewtext'],
      ['LCS', 'a', 'b'],
      ['LCS', 'a', 'b', 'IDX'],
      ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      ['MULTI'],
      ['GET', 'nokey'],
      ['EXEC'],
      ['EXEC'],
      ['SRANDMEMBER', 'nokey'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'TRACKINGINFO'],
      ['PING'],
    ]);
  }, resp3);
});

diffTest('hashes: HGETALL is a map, HRANDFIELD WITHVALUES pairs', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HGETALL', 'h'],
      ['HGETALL', 'nokey'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGET', 'h', 'zz'],
      ['HMGET', 'h', 'a', 'zz'],
      ['HRANDFIELD', 'h', '3', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '5', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '2', 'WITHVALUES'],
      ['HINCRBYFLOAT', 'h', 'f', '2.5'],
      ['HSET', 'one', 'k', 'v'],
      ['HRANDFIELD', 'one', '-3', 'WITHVALUES'],
      ['HRANDFIELD', 'one', '-2'],
    ]);
  }, resp3);
});

diffTest('sets: SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count are sets', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['SADD', 's', '3', '1', '2'],
      ['SADD', 't', '2', '4'],
      ['SMEMBERS', 's'],
      ['SMEMBERS', 'nokey'],
      ['SINTER', 's', 't'],
      ['SINTER', 's', 'nokey'],
      ['SUNION', 's', 't'],
      ['SDIFF', 's', 't'],
      ['SMISMEMBER', 's', '1', '9'],
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SPOP', 's', '0'],
      ['SPOP', 't', '5'],
      ['SRANDMEMBER', 'nokey', '2'],
      ['SRANDMEMBER', 's', '10'],
    ]);
  }, resp3);
});

diffTest('sorted sets: doubles, [member, score] pairs, pops', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c', 'inf', 'd'],
      ['ZSCORE', 'z', 'b'],
      ['ZSCORE', 'z', 'd'],
      ['ZSCORE', 'z', 'nope'],
      ['ZSCORE', 'nokey', 'a'],
      ['ZMSCORE', 'z', 'a', 'nope', 'b'],
      ['ZINCRBY', 'z', '1.5', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '0', '2', 'WITHSCORES'],
      ['ZREVRANGE', 'z', '0', '1', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'WITHSCORES', 'LIMIT', '1', '2'],
      ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'],
      ['ZRANK', 'z', 'nope'],
      ['ZUNION', '2', 'z', 'nokey', 'WITHSCORES'],
      ['ZINTER', '1', 'z', 'WITHSCORES'],
      ['ZDIFF', '1', 'z', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', '2', 'WITHSCORES'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMIN', 'z', '2'],
      ['ZPOPMAX', 'z', '0'],
      ['ZPOPMAX', 'nokey'],
      ['ZPOPMAX', 'nokey', '2'],
      ['ZADD', 'y', '1', 'x', '2', 'y'],
      ['ZMPOP', '1', 'nokey', 'MIN'],
      ['ZMPOP', '2', 'nokey', 'y', 'MIN', 'COUNT', '5'],
      ['ZADD', 'w', '1', 'p'],
      ['BZPOPMIN', 'w', '0'],
      ['BZPOPMIN', 'nokey', '0.01'],
      ['BZMPOP', '0.01', '1', 'nokey', 'MAX'],
      ['ZADD', 'lex', '0', 'a', '0', 'b'],
      ['ZSCAN', 'z', '0'],
    ]);
  }, resp3);
});

diffTest('lists: nulls of pops and blocking timeouts', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['LPOP', 'nokey'],
      ['LPOP', 'nokey', '2'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LPOS', 'l', 'zz'],
      ['LPOS', 'l', 'a', 'COUNT', '0'],
      ['LINDEX', 'l', '9'],
      ['LMPOP', '1', 'nokey', 'LEFT'],
      ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '9'],
      ['BLPOP', 'nokey', '0.01'],
      ['BRPOPLPUSH', 'nokey', 'x', '0.01'],
      ['BLMPOP', '0.01', '1', 'nokey', 'LEFT'],
      ['RPOPLPUSH', 'nokey', 'x'],
    ]);
  }, resp3);
});

diffTest('streams: XREAD is a map of streams, XINFO replies are maps', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['XADD', 'st', '1-1', 'f', 'v'],
      ['XADD', 'st', '2-1', 'g', 'w'],
      ['XADD', 'st2', '1-1', 'h', 'x'],
      ['XREAD', 'STREAMS', 'st', 'st2', '0', '0'],
      ['XREAD', 'COUNT', '1', 'STREAMS', 'st', '1-1'],
      ['XREAD', 'STREAMS', 'nokey', '0'],
      ['XREAD', 'BLOCK', '10', 'STREAMS', 'nokey', '$'],
      ['XRANGE', 'st', '-', '+'],
      ['XGROUP', 'CREATE', 'st', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 'st', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'st', '0'],
      ['XINFO', 'STREAM', 'st'],
      ['XPENDING', 'st', 'g'],
    ]);
    // Consumer idle times and delivery times differ between servers: compare the shape.
    const [g, r] = await pair.both('XINFO', 'GROUPS', 'st');
    assert.equal(g, r);
  }, resp3);
});

diffTest('server replies: CONFIG GET map, COMMAND INFO and DOCS, HELLO 2 goes back', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'nosuchoption'],
      ['COMMAND', 'INFO', 'get', 'zadd', 'nosuchcommand'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'k'],
    ]);
    // Summaries and complexities are worded differently (gearsd's own); the rest must match.
    const summaryless = (b: Buffer) => b.toString('latin1').replace(/\$(7\r\nsummary|10\r\ncomplexity)\r\n\$\d+\r\n[^\r]*\r\n/g, '');
    for (const name of ['get', 'lpos']) {
      const [g, r] = await Promise.all([pair.gearsd.call('COMMAND', 'DOCS', name), pair.redis.call('COMMAND', 'DOCS', name)]);
      assert.is(summaryless(g), summaryless(r), `COMMAND DOCS ${name}`);
    }
    const [g, r] = await Promise.all([pair.gearsd.call('HELLO', '2'), pair.redis.call('HELLO', '2')]);
    assert.ok(g.toString('latin1').startsWith('*14\r\n'), 'HELLO 2 answers a flat array');
    assert.ok(r.toString('latin1').startsWith('*14\r\n'));
    await pair.sequence([
      ['HSET', 'h', 'a', '1'],
      ['HGETALL', 'h'],
      ['GET', 'nokey'],
      ['ZADD', 'z', '1.5', 'm'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ]);
  }, resp3);
});

test.run();
