// Hash commands through a real client (ioredis) against a running gearsd; the
// differential and randomised checks against redis-server are in hashes-diff.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let redis: Redis;

test.before(async () => {
  // Small limits, so a handful of fields is enough to reach the table encoding.
  server = await startGearsd(['--hash-max-listpack-entries', '16', '--hash-max-listpack-value', '32']);
  redis = await connectIoredis(server.port);
});

test.after(async () => {
  redis.disconnect();
  await server.stop();
});

test('HSET, HGET, HMGET, HLEN, HEXISTS, HSTRLEN', async () => {
  assert.is(await redis.hset('h:basic', 'a', '1', 'b', 'hello'), 2);
  assert.is(await redis.hset('h:basic', 'a', '2', 'c', '3'), 1);
  assert.is(await redis.hget('h:basic', 'a'), '2');
  assert.is(await redis.hget('h:basic', 'zz'), null);
  assert.is(await redis.hget('h:missing', 'a'), null);
  assert.equal(await redis.hmget('h:basic', 'a', 'zz', 'b'), ['2', null, 'hello']);
  assert.equal(await redis.hmget('h:missing', 'a', 'b'), [null, null]);
  assert.is(await redis.hlen('h:basic'), 3);
  assert.is(await redis.hlen('h:missing'), 0);
  assert.is(await redis.hexists('h:basic', 'b'), 1);
  assert.is(await redis.hexists('h:basic', 'zz'), 0);
  assert.is(await redis.hstrlen('h:basic', 'b'), 5);
  assert.is(await redis.hstrlen('h:basic', 'zz'), 0);
});

test('HGETALL, HKEYS, HVALS keep insertion order while small', async () => {
  await redis.hset('h:order', 'z', '1', 'y', '2', 'x', '3');
  await redis.hset('h:order', 'y', '20');
  assert.equal(await redis.call('HGETALL', 'h:order'), ['z', '1', 'y', '20', 'x', '3']);
  assert.equal(await redis.hkeys('h:order'), ['z', 'y', 'x']);
  assert.equal(await redis.hvals('h:order'), ['1', '20', '3']);
  assert.equal(await redis.call('HGETALL', 'h:missing'), []);
  assert.equal(await redis.hkeys('h:missing'), []);
});

test('HSETNX and HMSET', async () => {
  assert.is(await redis.hsetnx('h:nx', 'f', 'one'), 1);
  assert.is(await redis.hsetnx('h:nx', 'f', 'two'), 0);
  assert.is(await redis.hget('h:nx', 'f'), 'one');
  assert.is(await redis.call('HMSET', 'h:nx', 'g', '1', 'h', '2'), 'OK');
  assert.is(await redis.hlen('h:nx'), 3);
});

test('HDEL deletes the key once the last field goes', async () => {
  await redis.hset('h:del', 'a', '1', 'b', '2');
  assert.is(await redis.hdel('h:del', 'a', 'zz'), 1);
  assert.is(await redis.hdel('h:missing', 'a'), 0);
  assert.is(await redis.hdel('h:del', 'b', 'a'), 1);
  // The key is gone: another type can take its name.
  assert.is(await redis.sadd('h:del', 'x'), 1);
});

test('binary-safe fields and values', async () => {
  const f = Buffer.from([0, 255, 13, 10]);
  const v = Buffer.from([1, 0, 2]);
  await redis.hset('h:bin', f, v);
  assert.equal(await redis.hgetBuffer('h:bin', f), v);
  assert.equal(await redis.hkeysBuffer('h:bin'), [f]);
});

test('a hash converted to a table keeps every field (entries and value limits)', async () => {
  const fields: string[] = [];
  for (let i = 0; i < 16; i++) fields.push(`f${i}`, `v${i}`);
  await redis.hset('h:many', ...fields);
  assert.is(await redis.object('ENCODING', 'h:many'), 'listpack');
  for (let i = 16; i < 40; i++) fields.push(`f${i}`, `v${i}`);
  await redis.hset('h:many', ...fields);
  assert.is(await redis.object('ENCODING', 'h:many'), 'hashtable');
  assert.is(await redis.hlen('h:many'), 40);
  assert.is(await redis.hget('h:many', 'f39'), 'v39');
  assert.is(await redis.hdel('h:many', 'f0'), 1);
  assert.is(await redis.hlen('h:many'), 39);

  await redis.hset('h:long', 'a', '1', 'b', '2');
  const long = 'x'.repeat(100);
  await redis.hset('h:long', 'c', long);
  assert.is(await redis.object('ENCODING', 'h:long'), 'hashtable');
  assert.is(await redis.hget('h:long', 'c'), long);
  assert.is(await redis.hget('h:long', 'a'), '1');
  await redis.hset('h:long', 'c', 'short');
  assert.is(await redis.hstrlen('h:long', 'c'), 5);
  const all = (await redis.hgetall('h:long')) as Record<string, string>;
  assert.equal(all, { a: '1', b: '2', c: 'short' });
});

test('HINCRBY and HINCRBYFLOAT, with their errors', async () => {
  assert.is(await redis.hincrby('h:n', 'i', 5), 5);
  assert.is(await redis.hincrby('h:n', 'i', -7), -2);
  assert.is(await redis.hincrbyfloat('h:n', 'f', '10.5'), '10.5');
  assert.is(await redis.hincrbyfloat('h:n', 'f', '0.1'), '10.6');
  assert.is(await redis.hincrbyfloat('h:n', 'i', '1.5'), '-0.5');
  await redis.hset('h:n', 's', 'abc', 'max', '9223372036854775807');
  await rejects(redis.hincrby('h:n', 's', 1), /^ERR hash value is not an integer/);
  await rejects(redis.hincrby('h:n', 'max', 1), /^ERR increment or decrement would overflow/);
  await rejects(redis.hincrby('h:n', 'i', 'x' as unknown as number), /^ERR value is not an integer or out of range/);
  await rejects(redis.hincrbyfloat('h:n', 's', '1'), /^ERR hash value is not a float/);
  await rejects(redis.hincrbyfloat('h:n', 'f', 'nope'), /^ERR value is not a valid float/);
  await rejects(redis.hincrbyfloat('h:n', 'f', 'inf'), /^ERR value is NaN or Infinity/);
});

test('HRANDFIELD: one field, distinct fields, repeats, WITHVALUES', async () => {
  await redis.hset('h:rand', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
  const fields = new Set(['a', 'b', 'c', 'd', 'e']);
  assert.ok(fields.has((await redis.hrandfield('h:rand')) as string));
  assert.is(await redis.hrandfield('h:missing'), null);
  const three = (await redis.hrandfield('h:rand', 3)) as string[];
  assert.is(new Set(three).size, 3);
  assert.ok(three.every((f) => fields.has(f)));
  const all = (await redis.hrandfield('h:rand', 10)) as string[];
  assert.equal([...all].sort(), [...fields].sort());
  const repeats = (await redis.hrandfield('h:rand', -20)) as string[];
  assert.is(repeats.length, 20);
  assert.ok(repeats.every((f) => fields.has(f)));
  const withValues = (await redis.hrandfield('h:rand', -6, 'WITHVALUES')) as string[];
  assert.is(withValues.length, 12);
  for (let i = 0; i < withValues.length; i += 2) assert.is(withValues[i + 1], String(withValues[i].charCodeAt(0) - 96));
  assert.equal(await redis.hrandfield('h:rand', 0), []);
  assert.equal(await redis.hrandfield('h:missing', 5), []);
  await rejects(redis.call('HRANDFIELD', 'h:rand', '1', 'WITHSCORES'), /^ERR syntax error/);
  await rejects(redis.call('HRANDFIELD', 'h:rand', '-9223372036854775808'), /^ERR value is out of range/);
  await rejects(redis.call('HRANDFIELD', 'h:rand', '-9223372036854770000', 'WITHVALUES'), /^ERR value is out of range/);
});

test('HRANDFIELD with a count on a table-encoded hash gives distinct fields', async () => {
  const args: string[] = [];
  for (let i = 0; i < 100; i++) args.push(`f${i}`, String(i));
  await redis.hset('h:randbig', ...args);
  for (const n of [5, 40, 99]) {
    const got = (await redis.hrandfield('h:randbig', n, 'WITHVALUES')) as string[];
    assert.is(got.length, 2 * n);
    const names = got.filter((_, i) => i % 2 === 0);
    assert.is(new Set(names).size, n);
    for (let i = 0; i < got.length; i += 2) assert.is(`f${got[i + 1]}`, got[i]);
  }
});

test('HSCAN: a small hash in one call, a large one by cursor, MATCH and COUNT', async () => {
  await redis.hset('h:scan', 'a1', '1', 'a2', '2', 'b1', '3');
  assert.equal(await redis.hscan('h:scan', 0, 'COUNT', 1), ['0', ['a1', '1', 'a2', '2', 'b1', '3']]);
  assert.equal(await redis.hscan('h:scan', 0, 'MATCH', 'a*'), ['0', ['a1', '1', 'a2', '2']]);
  assert.equal(await redis.hscan('h:missing', 0), ['0', []]);

  const args: string[] = [];
  for (let i = 0; i < 500; i++) args.push(`k${i}`, `v${i}`);
  await redis.hset('h:scanbig', ...args);
  const seen = new Map<string, string>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = await redis.hscan('h:scanbig', cursor, 'COUNT', 20);
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
    cursor = next;
    calls++;
  } while (cursor !== '0');
  assert.is(seen.size, 500);
  assert.is(seen.get('k123'), 'v123');
  assert.ok(calls > 1, 'a table-encoded hash is walked in several calls');

  await rejects(redis.call('HSCAN', 'h:scan', 'x'), /^ERR invalid cursor/);
  await rejects(redis.call('HSCAN', 'h:scan', '0', 'COUNT', '0'), /^ERR syntax error/);
  await rejects(redis.call('HSCAN', 'h:scan', '0', 'FOO', 'bar'), /^ERR syntax error/);
});

test('every hash command refuses a key of another type', async () => {
  await redis.set('h:string', 'x');
  const calls: [string, ...string[]][] = [
    ['HSET', 'f', 'v'], ['HSETNX', 'f', 'v'], ['HMSET', 'f', 'v'], ['HGET', 'f'], ['HMGET', 'f'],
    ['HGETALL'], ['HKEYS'], ['HVALS'], ['HDEL', 'f'], ['HLEN'], ['HEXISTS', 'f'], ['HSTRLEN', 'f'],
    ['HINCRBY', 'f', '1'], ['HINCRBYFLOAT', 'f', '1'], ['HRANDFIELD'], ['HRANDFIELD', '2'], ['HSCAN', '0'],
  ];
  for (const [cmd, ...rest] of calls) {
    await rejects(redis.call(cmd, 'h:string', ...rest), /^WRONGTYPE Operation against a key holding the wrong kind of value/);
  }
});

test('arity errors', async () => {
  await rejects(redis.call('HSET', 'h:a', 'f'), /^ERR wrong number of arguments for 'hset' command/);
  await rejects(redis.call('HSET', 'h:a', 'f', 'v', 'g'), /^ERR wrong number of arguments for 'hset' command/);
  await rejects(redis.call('HMSET', 'h:a', 'f', 'v', 'g'), /^ERR wrong number of arguments for 'hmset' command/);
  await rejects(redis.call('HGET', 'h:a'), /^ERR wrong number of arguments for 'hget' command/);
  await rejects(redis.call('HSETNX', 'h:a', 'f'), /^ERR wrong number of arguments for 'hsetnx' command/);
  await rejects(redis.call('HINCRBY', 'h:a', 'f'), /^ERR wrong number of arguments for 'hincrby' command/);
  await rejects(redis.call('HSCAN', 'h:a'), /^ERR wrong number of arguments for 'hscan' command/);
});

test.run();
