// Set commands through a real client (ioredis) against a running gearsd; the differential
// and randomised checks against redis-server are in sets-diff.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let redis: Redis;

const sorted = (xs: string[]) => [...xs].sort();

test.before(async () => {
  // A small intset limit, so a few dozen integers reach the table encoding.
  server = await startGearsd(['--set-max-intset-entries', '16']);
  redis = await connectIoredis(server.port);
});

test.after(async () => {
  redis.disconnect();
  await server.stop();
});

test('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS', async () => {
  assert.is(await redis.sadd('s:basic', 'a', 'b', 'c', 'a'), 3);
  assert.is(await redis.sadd('s:basic', 'c', 'd'), 1);
  assert.is(await redis.scard('s:basic'), 4);
  assert.is(await redis.scard('s:missing'), 0);
  assert.is(await redis.sismember('s:basic', 'a'), 1);
  assert.is(await redis.sismember('s:basic', 'z'), 0);
  assert.is(await redis.sismember('s:missing', 'a'), 0);
  assert.equal(await redis.smismember('s:basic', 'a', 'z', 'd'), [1, 0, 1]);
  assert.equal(await redis.smismember('s:missing', 'a', 'b'), [0, 0]);
  assert.equal(sorted(await redis.smembers('s:basic')), ['a', 'b', 'c', 'd']);
  assert.equal(await redis.smembers('s:missing'), []);
  assert.is(await redis.srem('s:basic', 'a', 'z'), 1);
  assert.is(await redis.srem('s:missing', 'a'), 0);
  assert.is(await redis.srem('s:basic', 'b', 'c', 'd'), 3);
  // Emptied, so deleted: another type can take the name.
  assert.is(await redis.hset('s:basic', 'f', 'v'), 1);
});

test('integer sets answer in ascending order and survive conversion', async () => {
  assert.is(await redis.sadd('s:ints', '5', '-3', '100000', '0', '9223372036854775807', '-9223372036854775808'), 6);
  assert.equal(await redis.smembers('s:ints'), ['-9223372036854775808', '-3', '0', '5', '100000', '9223372036854775807']);
  assert.is(await redis.object('ENCODING', 's:ints'), 'intset');
  // Not canonical integers: these are strings, and make the set a table.
  assert.is(await redis.sadd('s:ints', '05', '+1', ' 7'), 3);
  assert.is(await redis.object('ENCODING', 's:ints'), 'hashtable');
  assert.is(await redis.sismember('s:ints', '05'), 1);
  assert.is(await redis.sismember('s:ints', '5'), 1);
  assert.is(await redis.scard('s:ints'), 9);

  const many = Array.from({ length: 40 }, (_, i) => String(i * 7));
  assert.is(await redis.sadd('s:manyints', ...many.slice(0, 16)), 16);
  assert.is(await redis.object('ENCODING', 's:manyints'), 'intset');
  assert.is(await redis.sadd('s:manyints', ...many), 24);
  assert.is(await redis.object('ENCODING', 's:manyints'), 'hashtable');
  assert.is(await redis.scard('s:manyints'), 40);
  assert.equal(sorted(await redis.smembers('s:manyints')), sorted(many));
  assert.is(await redis.srem('s:manyints', '0', '7'), 2);
  assert.is(await redis.sismember('s:manyints', '14'), 1);
});

test('SMOVE', async () => {
  await redis.sadd('s:src', 'a', 'b');
  await redis.sadd('s:dst', 'x');
  assert.is(await redis.smove('s:src', 's:dst', 'a'), 1);
  assert.is(await redis.smove('s:src', 's:dst', 'zz'), 0);
  assert.is(await redis.smove('s:missing', 's:dst', 'a'), 0);
  assert.is(await redis.smove('s:src', 's:src', 'b'), 1);
  assert.is(await redis.smove('s:src', 's:src', 'zz'), 0);
  assert.is(await redis.smove('s:src', 's:new', 'b'), 1);
  assert.equal(sorted(await redis.smembers('s:dst')), ['a', 'x']);
  assert.equal(await redis.smembers('s:new'), ['b']);
  assert.is(await redis.scard('s:src'), 0);
  await redis.set('s:str', 'x');
  await rejects(redis.smove('s:dst', 's:str', 'a'), /^WRONGTYPE/);
  assert.is(await redis.smove('s:missing', 's:str', 'a'), 0);
});

test('SINTER, SINTERCARD, SUNION, SDIFF', async () => {
  await redis.sadd('s:a', '1', '2', '3', '4', 'x');
  await redis.sadd('s:b', '2', '3', '4', '5');
  await redis.sadd('s:c', '3', '4', '9');
  assert.equal(sorted(await redis.sinter('s:a', 's:b', 's:c')), ['3', '4']);
  assert.equal(await redis.sinter('s:a', 's:missing'), []);
  assert.equal(sorted(await redis.sunion('s:a', 's:c', 's:missing')), ['1', '2', '3', '4', '9', 'x']);
  assert.equal(sorted(await redis.sdiff('s:a', 's:b', 's:missing')), ['1', 'x']);
  assert.equal(await redis.sdiff('s:a', 's:a'), []);
  assert.equal(await redis.sdiff('s:missing', 's:a'), []);
  assert.is(await redis.call('SINTERCARD', '2', 's:a', 's:b'), 3);
  assert.is(await redis.call('SINTERCARD', '2', 's:a', 's:b', 'LIMIT', '2'), 2);
  assert.is(await redis.call('SINTERCARD', '2', 's:a', 's:b', 'LIMIT', '0'), 3);
  assert.is(await redis.call('SINTERCARD', '1', 's:missing'), 0);
  await rejects(redis.call('SINTERCARD', '0', 's:a'), /^ERR numkeys should be greater than 0/);
  await rejects(redis.call('SINTERCARD', 'x', 's:a'), /^ERR numkeys should be greater than 0/);
  await rejects(redis.call('SINTERCARD', '3', 's:a', 's:b'), /^ERR Number of keys can't be greater than number of args/);
  await rejects(redis.call('SINTERCARD', '1', 's:a', 'LIMIT', '-1'), /^ERR LIMIT can't be negative/);
  await rejects(redis.call('SINTERCARD', '1', 's:a', 'FOO'), /^ERR syntax error/);
});

test('SINTERSTORE, SUNIONSTORE, SDIFFSTORE replace the destination, or delete it when empty', async () => {
  await redis.sadd('s:p', 'a', 'b', 'c');
  await redis.sadd('s:q', 'b', 'c', 'd');
  await redis.set('s:out', 'a string');
  assert.is(await redis.sinterstore('s:out', 's:p', 's:q'), 2);
  assert.equal(sorted(await redis.smembers('s:out')), ['b', 'c']);
  assert.is(await redis.sunionstore('s:out', 's:p', 's:q'), 4);
  assert.equal(sorted(await redis.smembers('s:out')), ['a', 'b', 'c', 'd']);
  assert.is(await redis.sdiffstore('s:out', 's:p', 's:q'), 1);
  assert.equal(await redis.smembers('s:out'), ['a']);
  // The destination may be one of the sources.
  assert.is(await redis.sunionstore('s:p', 's:p', 's:q'), 4);
  assert.is(await redis.sinterstore('s:out', 's:p', 's:missing'), 0);
  assert.is(await redis.scard('s:out'), 0);
  assert.is(await redis.hset('s:out', 'f', 'v'), 1, 'an empty result deletes the destination');
});

test('SPOP: one member, a count, the whole set', async () => {
  await redis.sadd('s:pop', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
  const all = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  const one = (await redis.spop('s:pop')) as string;
  assert.ok(all.has(one));
  assert.is(await redis.sismember('s:pop', one), 0);
  const two = (await redis.spop('s:pop', 2)) as string[];
  assert.is(new Set(two).size, 2);
  // Most of what is left: the "keep a few" path.
  const six = (await redis.spop('s:pop', 6)) as string[];
  assert.is(new Set(six).size, 6);
  assert.is(await redis.scard('s:pop'), 1);
  const rest = (await redis.spop('s:pop', 5)) as string[];
  assert.equal(sorted([one, ...two, ...six, ...rest]), sorted([...all]));
  assert.is(await redis.spop('s:pop'), null);
  assert.equal(await redis.spop('s:pop', 3), []);
  await redis.sadd('s:pop', 'x');
  assert.equal(await redis.spop('s:pop', 0), []);
  await rejects(redis.call('SPOP', 's:pop', '-1'), /^ERR value is out of range, must be positive/);
  await rejects(redis.call('SPOP', 's:pop', '1', '2'), /^ERR syntax error/);
});

test('SRANDMEMBER: distinct members for a positive count, repeats for a negative one', async () => {
  const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
  await redis.sadd('s:rand', ...members);
  const set = new Set(members);
  assert.ok(set.has((await redis.srandmember('s:rand')) as string));
  assert.is(await redis.srandmember('s:missing'), null);
  for (const n of [1, 5, 15, 29]) {
    const got = (await redis.srandmember('s:rand', n)) as string[];
    assert.is(got.length, n);
    assert.is(new Set(got).size, n);
    assert.ok(got.every((m) => set.has(m)));
  }
  assert.equal(sorted((await redis.srandmember('s:rand', 100)) as string[]), sorted(members));
  const repeats = (await redis.srandmember('s:rand', -100)) as string[];
  assert.is(repeats.length, 100);
  assert.ok(repeats.every((m) => set.has(m)));
  assert.equal(await redis.srandmember('s:rand', 0), []);
  assert.equal(await redis.srandmember('s:missing', 3), []);
  await rejects(redis.call('SRANDMEMBER', 's:rand', '-9223372036854775808'), /^ERR value is out of range/);
  await rejects(redis.call('SRANDMEMBER', 's:rand', 'x'), /^ERR value is not an integer or out of range/);
});

test('SRANDMEMBER is uniform over a table-encoded set', async () => {
  const members = Array.from({ length: 10 }, (_, i) => `u${i}`);
  await redis.sadd('s:uniform', ...members);
  const counts = new Map<string, number>();
  for (const m of (await redis.srandmember('s:uniform', -20000)) as string[]) counts.set(m, (counts.get(m) ?? 0) + 1);
  // Chi-square with 9 degrees of freedom: 40 is exceeded with probability ~1e-5.
  const chi = [...counts.values()].reduce((s, n) => s + (n - 2000) ** 2 / 2000, 0);
  assert.is(counts.size, 10);
  assert.ok(chi < 40, `chi-square ${chi}`);
});

test('SSCAN: an intset in one call, a table by cursor', async () => {
  await redis.sadd('s:scan', '3', '1', '2');
  assert.equal(await redis.sscan('s:scan', 0, 'COUNT', 1), ['0', ['1', '2', '3']]);
  assert.equal(await redis.sscan('s:scan', 0, 'MATCH', '[12]'), ['0', ['1', '2']]);
  assert.equal(await redis.sscan('s:missing', 0), ['0', []]);
  const members = Array.from({ length: 300 }, (_, i) => `e${i}`);
  await redis.sadd('s:scanbig', ...members);
  const seen = new Set<string>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = await redis.sscan('s:scanbig', cursor, 'COUNT', 10);
    items.forEach((m) => seen.add(m));
    cursor = next;
    calls++;
  } while (cursor !== '0');
  assert.is(seen.size, 300);
  assert.ok(calls > 1);
  await rejects(redis.call('SSCAN', 's:scan', '-x'), /^ERR invalid cursor/);
});

test('every set command refuses a key of another type', async () => {
  await redis.set('s:string', 'x');
  const calls: [string, ...string[]][] = [
    ['SADD', 's:string', 'm'], ['SREM', 's:string', 'm'], ['SMEMBERS', 's:string'], ['SISMEMBER', 's:string', 'm'],
    ['SMISMEMBER', 's:string', 'm'], ['SCARD', 's:string'], ['SPOP', 's:string'], ['SPOP', 's:string', '2'],
    ['SRANDMEMBER', 's:string'], ['SRANDMEMBER', 's:string', '2'], ['SMOVE', 's:string', 's:x', 'm'],
    ['SINTER', 's:string'], ['SINTERCARD', '1', 's:string'], ['SINTERSTORE', 's:x', 's:string'],
    ['SUNION', 's:string'], ['SUNIONSTORE', 's:x', 's:string'], ['SDIFF', 's:string'],
    ['SDIFFSTORE', 's:x', 's:string'], ['SSCAN', 's:string', '0'],
    // A wrong type anywhere among the keys wins, even after a missing key.
    ['SINTER', 's:missing', 's:string'],
  ];
  for (const [cmd, ...rest] of calls) {
    await rejects(redis.call(cmd, ...rest), /^WRONGTYPE Operation against a key holding the wrong kind of value/);
  }
});

test('arity errors', async () => {
  await rejects(redis.call('SADD', 's:a'), /^ERR wrong number of arguments for 'sadd' command/);
  await rejects(redis.call('SMOVE', 's:a', 's:b'), /^ERR wrong number of arguments for 'smove' command/);
  await rejects(redis.call('SINTERSTORE', 's:a'), /^ERR wrong number of arguments for 'sinterstore' command/);
  await rejects(redis.call('SINTERCARD', '1'), /^ERR wrong number of arguments for 'sintercard' command/);
  await rejects(redis.call('SCARD'), /^ERR wrong number of arguments for 'scard' command/);
});

test.run();
