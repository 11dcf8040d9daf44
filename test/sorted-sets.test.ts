// Sorted-set commands through a real client (ioredis) against a running gearsd: the happy
// paths, WRONGTYPE, arity and argument errors, and the encoding limits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, gearsdForSuite, startGearsd } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

const WRONGTYPE = /^WRONGTYPE Operation against a key holding the wrong kind of value/;

test('ZADD, ZSCORE, ZCARD, ZINCRBY: scores printed as Redis 7.0 does', async () => {
  assert.is(await ctx.redis.zadd('z:basic', 1, 'a', 2, 'b', 3, 'c'), 3);
  assert.is(await ctx.redis.zadd('z:basic', 1.1, 'd', 5, 'a'), 1);
  assert.is(await ctx.redis.zcard('z:basic'), 4);
  assert.is(await ctx.redis.zscore('z:basic', 'd'), '1.1000000000000001');
  assert.is(await ctx.redis.zscore('z:basic', 'a'), '5');
  assert.is(await ctx.redis.zscore('z:basic', 'nope'), null);
  assert.is(await ctx.redis.zincrby('z:basic', '0.5', 'b'), '2.5');
  assert.is(await ctx.redis.zincrby('z:basic', 'inf', 'new'), 'inf');
  assert.equal(await ctx.redis.zmscore('z:basic', 'a', 'nope', 'c'), ['5', null, '3']);
  assert.equal(await ctx.redis.zmscore('z:none', 'a'), [null]);
  assert.is(await ctx.redis.zcard('z:none'), 0);
});

test('ZADD options: NX, XX, GT, LT, CH, INCR', async () => {
  await ctx.redis.zadd('z:opt', 10, 'a');
  assert.is(await ctx.redis.zadd('z:opt', 'NX', 20, 'a', 1, 'b'), 1);
  assert.is(await ctx.redis.zscore('z:opt', 'a'), '10');
  assert.is(await ctx.redis.zadd('z:opt', 'XX', 'CH', 30, 'a', 1, 'c'), 1);
  assert.is(await ctx.redis.zscore('z:opt', 'c'), null);
  assert.is(await ctx.redis.zadd('z:opt', 'GT', 'CH', 5, 'a', 50, 'b'), 1);
  assert.equal(await ctx.redis.zrange('z:opt', 0, -1, 'WITHSCORES'), ['a', '30', 'b', '50']);
  assert.is(await ctx.redis.zadd('z:opt', 'LT', 'CH', 40, 'a', 20, 'b'), 1);
  assert.is(await ctx.redis.zadd('z:opt', 'INCR', 2, 'a'), '32');
  assert.is(await ctx.redis.zadd('z:opt', 'NX', 'INCR', 2, 'a'), null);
  // XX on a missing key creates nothing.
  assert.is(await ctx.redis.zadd('z:never-created', 'XX', 1, 'x'), 0);
  assert.is(await ctx.redis.exists('z:never-created'), 0);
});

test('ZADD and ZINCRBY errors', async () => {
  await rejects(ctx.redis.zadd('z:err', 'NX', 'XX', 1, 'a'), /^ERR XX and NX options at the same time are not compatible/);
  await rejects(ctx.redis.zadd('z:err', 'GT', 'LT', 1, 'a'), /^ERR GT, LT, and\/or NX options at the same time are not compatible/);
  await rejects(ctx.redis.zadd('z:err', 'NX', 'GT', 1, 'a'), /^ERR GT, LT, and\/or NX options/);
  await rejects(ctx.redis.zadd('z:err', 'INCR', 1, 'a', 2, 'b'), /^ERR INCR option supports a single increment-element pair/);
  await rejects(ctx.redis.zadd('z:err', 'nan', 'a'), /^ERR value is not a valid float/);
  await rejects(ctx.redis.zadd('z:err', 1, 'a', 2), /^ERR syntax error/);
  await rejects(ctx.redis.zincrby('z:err', 'abc', 'a'), /^ERR value is not a valid float/);
  await ctx.redis.zadd('z:err', 'inf', 'a');
  await rejects(ctx.redis.zincrby('z:err', '-inf', 'a'), /^ERR resulting score is not a number \(NaN\)/);
  assert.is(await ctx.redis.zscore('z:err', 'a'), 'inf');
});

test('ZREM deletes the key with its last member', async () => {
  await ctx.redis.zadd('z:rem', 1, 'a', 2, 'b');
  assert.is(await ctx.redis.zrem('z:rem', 'a', 'nope'), 1);
  assert.is(await ctx.redis.zrem('z:rem', 'b'), 1);
  assert.is(await ctx.redis.exists('z:rem'), 0);
  assert.is(await ctx.redis.zrem('z:rem', 'b'), 0);
});

test('ranks and counts', async () => {
  await ctx.redis.zadd('z:rank', 1, 'a', 2, 'b', 3, 'c', 3, 'd');
  assert.is(await ctx.redis.zrank('z:rank', 'c'), 2);
  assert.is(await ctx.redis.zrevrank('z:rank', 'c'), 1);
  assert.is(await ctx.redis.zrank('z:rank', 'nope'), null);
  assert.is(await ctx.redis.zcount('z:rank', '(1', '3'), 3);
  assert.is(await ctx.redis.zcount('z:rank', '-inf', '+inf'), 4);
  assert.is(await ctx.redis.zcount('z:rank', '3', '1'), 0);
  await rejects(ctx.redis.zcount('z:rank', 'x', '1'), /^ERR min or max is not a float/);
  await ctx.redis.zadd('z:lex', 0, 'a', 0, 'b', 0, 'c', 0, 'd');
  assert.is(await ctx.redis.zlexcount('z:lex', '[b', '+'), 3);
  assert.is(await ctx.redis.zlexcount('z:lex', '(b', '(d'), 1);
  await rejects(ctx.redis.zlexcount('z:lex', 'b', '+'), /^ERR min or max not valid string range item/);
});

test('ZRANGE in all its forms and the older range commands', async () => {
  await ctx.redis.zadd('z:r', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
  assert.equal(await ctx.redis.zrange('z:r', 0, 1), ['a', 'b']);
  assert.equal(await ctx.redis.zrange('z:r', -2, -1, 'WITHSCORES'), ['d', '4', 'e', '5']);
  assert.equal(await ctx.redis.zrange('z:r', 0, 1, 'REV'), ['e', 'd']);
  assert.equal(await ctx.redis.zrange('z:r', '(1', '4', 'BYSCORE', 'LIMIT', 1, 2), ['c', 'd']);
  assert.equal(await ctx.redis.zrange('z:r', '+inf', '(3', 'BYSCORE', 'REV', 'WITHSCORES'), ['e', '5', 'd', '4']);
  assert.equal(await ctx.redis.zrange('z:r', '[b', '(d', 'BYLEX'), ['b', 'c']);
  assert.equal(await ctx.redis.zrevrange('z:r', 0, 0), ['e']);
  assert.equal(await ctx.redis.zrangebyscore('z:r', 2, 3), ['b', 'c']);
  assert.equal(await ctx.redis.zrevrangebyscore('z:r', 3, 2), ['c', 'b']);
  assert.equal(await ctx.redis.zrangebylex('z:r', '-', '[b'), ['a', 'b']);
  assert.equal(await ctx.redis.zrevrangebylex('z:r', '+', '(d'), ['e']);
  assert.equal(await ctx.redis.zrange('z:none', 0, -1), []);
  await rejects(ctx.redis.zrange('z:r', 0, -1, 'LIMIT', 0, 1), /^ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX/);
  await rejects(ctx.redis.call('ZRANGE', 'z:r', '-', '+', 'BYLEX', 'WITHSCORES'), /^ERR syntax error, WITHSCORES not supported in combination with BYLEX/);
  await rejects(ctx.redis.zrange('z:r', 'a', 1), /^ERR value is not an integer or out of range/);
  await rejects(ctx.redis.call('ZRANGE', 'z:r', 0, 1, 'BYSCORE', 'BYLEX'), /^ERR syntax error/);
});

test('ZRANGESTORE stores the range, or deletes the destination when empty', async () => {
  await ctx.redis.zadd('z:src', 1, 'a', 2, 'b', 3, 'c');
  assert.is(await ctx.redis.zrangestore('z:dst', 'z:src', 1, 2), 2);
  assert.equal(await ctx.redis.zrange('z:dst', 0, -1, 'WITHSCORES'), ['b', '2', 'c', '3']);
  assert.is(await ctx.redis.zrangestore('z:dst', 'z:src', 10, 20), 0);
  assert.is(await ctx.redis.zcard('z:dst'), 0);
  await ctx.redis.set('z:dst-string', 'x');
  assert.is(await ctx.redis.zrangestore('z:dst-string', 'z:src', 0, 0), 1);
  assert.equal(await ctx.redis.zrange('z:dst-string', 0, -1), ['a']);
});

test('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', async () => {
  await ctx.redis.zadd('z:rr', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
  assert.is(await ctx.redis.zremrangebyrank('z:rr', 0, 1), 2);
  assert.is(await ctx.redis.zremrangebyscore('z:rr', '(3', 4), 1);
  assert.equal(await ctx.redis.zrange('z:rr', 0, -1), ['c', 'e']);
  await ctx.redis.zadd('z:rl', 0, 'a', 0, 'b', 0, 'c');
  assert.is(await ctx.redis.zremrangebylex('z:rl', '[a', '(c'), 2);
  assert.is(await ctx.redis.zremrangebylex('z:rl', '-', '+'), 1);
  assert.is(await ctx.redis.zcard('z:rl'), 0);
  await rejects(ctx.redis.zremrangebyscore('z:rr', 'a', 'b'), /^ERR min or max is not a float/);
});

test('ZPOPMIN, ZPOPMAX, ZMPOP', async () => {
  await ctx.redis.zadd('z:pop', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
  assert.equal(await ctx.redis.zpopmin('z:pop'), ['a', '1']);
  assert.equal(await ctx.redis.zpopmax('z:pop', 2), ['d', '4', 'c', '3']);
  assert.equal(await ctx.redis.zpopmin('z:pop', 0), []);
  assert.equal(await ctx.redis.zpopmin('z:none'), []);
  await rejects(ctx.redis.zpopmin('z:pop', -1), /^ERR value is out of range, must be positive/);
  assert.equal(await ctx.redis.call('ZMPOP', 2, 'z:none', 'z:pop', 'MIN', 'COUNT', 5), ['z:pop', [['b', '2']]]);
  assert.is(await ctx.redis.call('ZMPOP', 1, 'z:pop', 'MAX'), null);
  await rejects(ctx.redis.call('ZMPOP', 0, 'z:pop', 'MIN'), /^ERR numkeys should be greater than 0/);
  await rejects(ctx.redis.call('ZMPOP', 1, 'z:pop', 'MIN', 'COUNT', 0), /^ERR count should be greater than 0/);
});

test('blocking pops answer at once when a key has members', async () => {
  await ctx.redis.zadd('z:b1', 1, 'a', 2, 'b');
  assert.equal(await ctx.redis.bzpopmin('z:none', 'z:b1', 0), ['z:b1', 'a', '1']);
  assert.equal(await ctx.redis.bzpopmax('z:b1', 1), ['z:b1', 'b', '2']);
  await ctx.redis.zadd('z:b2', 1, 'a', 2, 'b', 3, 'c');
  assert.equal(await ctx.redis.call('BZMPOP', 0, 2, 'z:none', 'z:b2', 'MAX', 'COUNT', 2), ['z:b2', [['c', '3'], ['b', '2']]]);
  await rejects(ctx.redis.bzpopmin('z:b2', -1), /^ERR timeout is negative/);
  await rejects(ctx.redis.bzpopmin('z:b2', 'abc'), /^ERR timeout is not a float or out of range/);
  await rejects(ctx.redis.call('BZMPOP', 'x', 1, 'z:b2', 'MIN'), /^ERR timeout is not a float or out of range/);
});

test('ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD', async () => {
  await ctx.redis.zadd('z:u1', 1, 'a', 2, 'b', 3, 'c');
  await ctx.redis.zadd('z:u2', 10, 'b', 20, 'c', 30, 'd');
  assert.equal(await ctx.redis.call('ZUNION', 2, 'z:u1', 'z:u2', 'WITHSCORES'), ['a', '1', 'b', '12', 'c', '23', 'd', '30']);
  assert.equal(await ctx.redis.call('ZINTER', 2, 'z:u1', 'z:u2', 'WEIGHTS', 2, 1, 'AGGREGATE', 'MAX', 'WITHSCORES'), ['b', '10', 'c', '20']);
  assert.equal(await ctx.redis.call('ZDIFF', 2, 'z:u1', 'z:u2'), ['a']);
  assert.is(await ctx.redis.zunionstore('z:out', 2, 'z:u1', 'z:u2', 'AGGREGATE', 'MIN'), 4);
  assert.equal(await ctx.redis.zrange('z:out', 0, -1, 'WITHSCORES'), ['a', '1', 'b', '2', 'c', '3', 'd', '30']);
  assert.is(await ctx.redis.zinterstore('z:out', 2, 'z:u1', 'z:u2'), 2);
  assert.is(await ctx.redis.call('ZDIFFSTORE', 'z:out', 2, 'z:u2', 'z:u1'), 1);
  assert.is(await ctx.redis.call('ZDIFFSTORE', 'z:out', 2, 'z:u1', 'z:u1'), 0);
  assert.is(await ctx.redis.zcard('z:out'), 0);
  assert.is(await ctx.redis.call('ZINTERCARD', 2, 'z:u1', 'z:u2'), 2);
  assert.is(await ctx.redis.call('ZINTERCARD', 2, 'z:u1', 'z:u2', 'LIMIT', 1), 1);
  await rejects(ctx.redis.call('ZUNION', 0, 'z:u1'), /^ERR at least 1 input key is needed for 'zunion' command/);
  await rejects(ctx.redis.zunionstore('z:out', 0, 'z:u1'), /^ERR at least 1 input key is needed for 'zunionstore' command/);
  await rejects(ctx.redis.call('ZUNION', 2, 'z:u1', 'z:u2', 'WEIGHTS', 1, 'x'), /^ERR weight value is not a float/);
  await rejects(ctx.redis.call('ZINTERCARD', 1, 'z:u1', 'LIMIT', -1), /^ERR LIMIT can't be negative/);
  await rejects(ctx.redis.call('ZUNION', 3, 'z:u1', 'z:u2'), /^ERR syntax error/);
});

test('ZRANDMEMBER and ZSCAN', async () => {
  await ctx.redis.zadd('z:rand', 1, 'a', 2, 'b', 3, 'c');
  assert.ok(['a', 'b', 'c'].includes((await ctx.redis.zrandmember('z:rand')) as string));
  assert.equal(await ctx.redis.zrandmember('z:rand', 10, 'WITHSCORES'), ['c', '3', 'b', '2', 'a', '1']);
  const two = (await ctx.redis.zrandmember('z:rand', 2)) as string[];
  assert.is(new Set(two).size, 2);
  const many = (await ctx.redis.zrandmember('z:rand', -20)) as string[];
  assert.is(many.length, 20);
  assert.ok(many.every((m) => ['a', 'b', 'c'].includes(m)));
  assert.is(await ctx.redis.zrandmember('z:none'), null);
  await rejects(ctx.redis.zrandmember('z:rand', '-9223372036854775807', 'WITHSCORES'), /^ERR value is out of range/);
  assert.equal(await ctx.redis.zscan('z:rand', 0), ['0', ['a', '1', 'b', '2', 'c', '3']]);
  assert.equal(await ctx.redis.zscan('z:rand', 0, 'MATCH', '[ab]'), ['0', ['a', '1', 'b', '2']]);
  await rejects(ctx.redis.zscan('z:rand', 'x'), /^ERR invalid cursor/);
  await rejects(ctx.redis.zscan('z:rand', 0, 'COUNT', 0), /^ERR syntax error/);
});

test('a large set is scanned incrementally and every member is seen once', async () => {
  const args: (string | number)[] = [];
  for (let i = 0; i < 1000; i++) args.push(i * 1.5, `m${i}`);
  await ctx.redis.zadd('z:large', ...args);
  assert.is(await ctx.redis.zcard('z:large'), 1000);
  assert.is(await ctx.redis.zrank('z:large', 'm500'), 500);
  assert.equal(await ctx.redis.zrange('z:large', 998, -1, 'WITHSCORES'), ['m998', '1497', 'm999', '1498.5']);
  const seen = new Map<string, string>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = await ctx.redis.zscan('z:large', cursor, 'COUNT', 50);
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
    cursor = next;
    calls++;
  } while (cursor !== '0');
  assert.is(seen.size, 1000);
  assert.is(seen.get('m3'), '4.5');
  assert.ok(calls > 1);
  assert.is(await ctx.redis.zremrangebyrank('z:large', 0, 899), 900);
  assert.equal(await ctx.redis.zrange('z:large', 0, 0), ['m900']);
  assert.is(await ctx.redis.zcount('z:large', '-inf', '+inf'), 100);
});

test('WRONGTYPE from every command on a string key', async () => {
  await ctx.redis.set('z:string', 'x');
  const calls: (string | number)[][] = [
    ['ZADD', 'z:string', 1, 'a'], ['ZINCRBY', 'z:string', 1, 'a'], ['ZREM', 'z:string', 'a'],
    ['ZCARD', 'z:string'], ['ZSCORE', 'z:string', 'a'], ['ZMSCORE', 'z:string', 'a'],
    ['ZRANK', 'z:string', 'a'], ['ZREVRANK', 'z:string', 'a'], ['ZCOUNT', 'z:string', 0, 1],
    ['ZLEXCOUNT', 'z:string', '-', '+'], ['ZRANGE', 'z:string', 0, -1], ['ZRANGESTORE', 'z:d', 'z:string', 0, -1],
    ['ZREVRANGE', 'z:string', 0, -1], ['ZRANGEBYSCORE', 'z:string', 0, 1], ['ZREVRANGEBYSCORE', 'z:string', 1, 0],
    ['ZRANGEBYLEX', 'z:string', '-', '+'], ['ZREVRANGEBYLEX', 'z:string', '+', '-'],
    ['ZREMRANGEBYRANK', 'z:string', 0, 1], ['ZREMRANGEBYSCORE', 'z:string', 0, 1], ['ZREMRANGEBYLEX', 'z:string', '-', '+'],
    ['ZPOPMIN', 'z:string'], ['ZPOPMAX', 'z:string'], ['ZMPOP', 1, 'z:string', 'MIN'], ['BZPOPMIN', 'z:string', 0],
    ['BZPOPMAX', 'z:string', 0], ['BZMPOP', 0, 1, 'z:string', 'MAX'], ['ZUNION', 1, 'z:string'], ['ZINTER', 1, 'z:string'],
    ['ZDIFF', 1, 'z:string'], ['ZUNIONSTORE', 'z:d', 1, 'z:string'], ['ZINTERSTORE', 'z:d', 1, 'z:string'],
    ['ZDIFFSTORE', 'z:d', 1, 'z:string'], ['ZINTERCARD', 1, 'z:string'], ['ZRANDMEMBER', 'z:string'], ['ZSCAN', 'z:string', 0],
  ];
  for (const [cmd, ...args] of calls) await rejects(ctx.redis.call(String(cmd), ...args), WRONGTYPE);
  assert.is(await ctx.redis.get('z:string'), 'x');
});

test('arity errors come from the command table', async () => {
  const calls: string[][] = [
    ['ZADD', 'k', '1'], ['ZINCRBY', 'k', '1'], ['ZCARD'], ['ZSCORE', 'k'], ['ZRANGE', 'k', '0'],
    ['ZRANGESTORE', 'd', 'k', '0'], ['ZPOPMIN'], ['BZPOPMIN', 'k'], ['BZMPOP', '0', '1', 'k'], ['ZUNIONSTORE', 'd', '1'],
    ['ZRANDMEMBER'], ['ZSCAN', 'k'], ['ZREMRANGEBYLEX', 'k', '-'],
  ];
  for (const [cmd, ...args] of calls) {
    await rejects(ctx.redis.call(cmd, ...args), new RegExp(`^ERR wrong number of arguments for '${cmd.toLowerCase()}' command`));
  }
});

// ZSCAN shows the encoding: a small (listpack) set prints an integral score as stored,
// "100000000000000000", a skip list formats it, "1e+17".
async function scannedScore(client: Redis, key: string, member: string): Promise<string> {
  const [, items] = await client.zscan(key, 0, 'COUNT', 1000);
  return items[items.indexOf(member) + 1];
}

test('encodings follow zset-max-listpack-entries / -value', async () => {
  await ctx.redis.zadd('z:enc', 1e17, 'm', 1, 'x'.repeat(64));
  assert.is(await ctx.redis.object('ENCODING', 'z:enc'), 'listpack');
  assert.is(await scannedScore(ctx.redis, 'z:enc', 'm'), '100000000000000000');
  await ctx.redis.zadd('z:enc', 2, 'y'.repeat(65));
  assert.is(await ctx.redis.object('ENCODING', 'z:enc'), 'skiplist');
  assert.is(await scannedScore(ctx.redis, 'z:enc', 'm'), '1e+17');
  // Conversions are one way: removing the long member keeps the skip list.
  await ctx.redis.zrem('z:enc', 'y'.repeat(65));
  assert.is(await scannedScore(ctx.redis, 'z:enc', 'm'), '1e+17');
  // A stored result gets the small encoding again when it fits.
  await ctx.redis.zunionstore('z:enc-copy', 1, 'z:enc');
  assert.is(await ctx.redis.object('ENCODING', 'z:enc-copy'), 'listpack');
  assert.is(await scannedScore(ctx.redis, 'z:enc-copy', 'm'), '100000000000000000');
  // COPY keeps the encoding and the contents.
  assert.is(await ctx.redis.copy('z:enc', 'z:enc-dup'), 1);
  assert.is(await ctx.redis.object('ENCODING', 'z:enc-dup'), 'skiplist');
  assert.equal(await ctx.redis.zrange('z:enc-dup', 0, -1, 'WITHSCORES'), await ctx.redis.zrange('z:enc', 0, -1, 'WITHSCORES'));
  assert.is(await ctx.redis.type('z:enc'), 'zset');

  // The limits come from the configuration, under either name.
  const small = await startGearsd(['--zset-max-ziplist-entries', '2', '--zset-max-listpack-value', '8']);
  const client = await connectIoredis(small.port);
  try {
    await client.zadd('e', 1e17, 'm', 2, 'n');
    assert.is(await scannedScore(client, 'e', 'm'), '100000000000000000');
    await client.zadd('e', 3, 'o');
    assert.is(await client.object('ENCODING', 'e'), 'skiplist');
    assert.is(await scannedScore(client, 'e', 'm'), '1e+17');
    await client.zadd('f', 1e17, 'm', 2, '123456789');
    assert.is(await scannedScore(client, 'f', 'm'), '1e+17');
    for (let i = 0; i < 40; i++) await client.zadd('g', i, `member-${i}`);
    const [cursor, items] = await client.zscan('g', 0, 'COUNT', 1);
    assert.ok(cursor !== '0' && items.length < 80, 'a skip list is scanned a few members at a time');
  } finally {
    client.disconnect();
    await small.stop();
  }
});

test('binary-safe members', async () => {
  const m = Buffer.from([0, 255, 13, 10, 32]);
  await ctx.redis.zadd('z:bin', 7, m);
  assert.is(await ctx.redis.zscore('z:bin', m), '7');
  assert.equal(await ctx.redis.zrangeBuffer('z:bin', 0, -1), [m]);
});

test.run();
