// List commands through a real client (ioredis) against a running gearsd: each command's
// happy path, WRONGTYPE, arity and argument errors. Exact bytes against redis-server are
// in lists-differential.test.ts; the keyspace events in lists-events.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { families } from '../src/commands/index.js';
import { rejects } from './helpers/assert.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let redis: Redis;

const declared = new Set(families.flat().map((s) => s.name));
const needs = (...names: string[]) => (names.every((n) => declared.has(n)) ? test : test.skip);
const WRONGTYPE = /^WRONGTYPE Operation against a key holding the wrong kind of value/;

test.before(async () => {
  server = await startGearsd(['--list-max-listpack-size', '3']);
  redis = await connectIoredis(server.port);
});

test.after(async () => {
  redis.disconnect();
  await server.stop();
});

test('pushes and pops at both ends, with and without a count', async () => {
  assert.is(await redis.lpush('p', 'b', 'a'), 2);
  assert.is(await redis.rpush('p', 'c', 'd', 'e'), 5);
  assert.equal(await redis.lrange('p', 0, -1), ['a', 'b', 'c', 'd', 'e']);
  assert.is(await redis.lpop('p'), 'a');
  assert.is(await redis.rpop('p'), 'e');
  assert.equal(await redis.lpop('p', 2), ['b', 'c']);
  assert.equal(await redis.rpop('p', 5), ['d']);
  assert.is(await redis.llen('p'), 0);
  assert.is(await redis.lpop('p'), null);
  assert.is(await redis.call('LPOP', 'p', '3'), null);
  assert.is(await redis.lpushx('p', 'x'), 0);
  assert.is(await redis.rpushx('p', 'x'), 0);
  await redis.rpush('p', 'm');
  assert.is(await redis.lpushx('p', 'l'), 2);
  assert.is(await redis.rpushx('p', 'r', 's'), 4);
  assert.equal(await redis.lrange('p', 0, -1), ['l', 'm', 'r', 's']);
  assert.equal(await redis.lpop('p', 0), []);
});

test('binary-safe elements, including large ones', async () => {
  const bin = Buffer.from([0, 255, 13, 10, 0]);
  const big = Buffer.alloc(100000, 'z');
  await redis.rpush('bin', bin, big, '');
  assert.equal(await redis.lrangeBuffer('bin', 0, -1), [bin, big, Buffer.alloc(0)]);
  assert.equal(await redis.lindexBuffer('bin', 1), big);
});

test('LRANGE and LINDEX follow Redis index rules', async () => {
  await redis.rpush('r', ...Array.from({ length: 100 }, (_, i) => String(i)));
  assert.equal(await redis.lrange('r', 0, 2), ['0', '1', '2']);
  assert.equal(await redis.lrange('r', -3, -1), ['97', '98', '99']);
  assert.equal(await redis.lrange('r', 98, 1000), ['98', '99']);
  assert.equal(await redis.lrange('r', 5, 2), []);
  assert.equal(await redis.lrange('r', -1000, 1), ['0', '1']);
  assert.is(await redis.lindex('r', 50), '50');
  assert.is(await redis.lindex('r', -1), '99');
  assert.is(await redis.lindex('r', 100), null);
  assert.equal(await redis.lrange('missing', 0, -1), []);
  await rejects(redis.lrange('r', 'a' as unknown as number, 1), /ERR value is not an integer or out of range/);
  await rejects(redis.lindex('r', '1.5' as unknown as number), /ERR value is not an integer or out of range/);
});

test('LSET, LINSERT, LREM, LTRIM', async () => {
  await redis.rpush('m', 'a', 'b', 'c', 'b', 'a');
  assert.is(await redis.lset('m', 1, 'B'), 'OK');
  assert.is(await redis.lset('m', -1, 'A'), 'OK');
  await rejects(redis.lset('m', 5, 'x'), /ERR index out of range/);
  await rejects(redis.lset('m:none', 0, 'x'), /ERR no such key/);
  assert.is(await redis.linsert('m', 'BEFORE', 'c', 'c0'), 6);
  assert.is(await redis.linsert('m', 'AFTER', 'c', 'c1'), 7);
  assert.is(await redis.linsert('m', 'AFTER', 'nope', 'x'), -1);
  assert.is(await redis.linsert('m:none', 'AFTER', 'a', 'x'), 0);
  await rejects(redis.call('LINSERT', 'm', 'NEAR', 'c', 'x'), /ERR syntax error/);
  assert.equal(await redis.lrange('m', 0, -1), ['a', 'B', 'c0', 'c', 'c1', 'b', 'A']);
  await redis.rpush('m', 'a', 'a');
  assert.is(await redis.lrem('m', -1, 'a'), 1);
  assert.is(await redis.lrem('m', 0, 'a'), 2);
  assert.is(await redis.lrem('m', 0, 'zzz'), 0);
  assert.is(await redis.ltrim('m', 1, -2), 'OK');
  assert.equal(await redis.lrange('m', 0, -1), ['c0', 'c', 'c1', 'b']);
  assert.is(await redis.ltrim('m', 5, 10), 'OK');
  assert.is(await redis.llen('m'), 0);
  assert.is(await redis.ltrim('m', 0, 1), 'OK');
});

test('LPOS with RANK, COUNT and MAXLEN', async () => {
  await redis.rpush('pos', 'a', 'b', 'c', '1', '2', '3', 'c', 'c');
  assert.is(await redis.lpos('pos', 'c'), 2);
  assert.is(await redis.lpos('pos', 'c', 'RANK', -1), 7);
  assert.is(await redis.lpos('pos', 'c', 'RANK', 2), 6);
  assert.equal(await redis.lpos('pos', 'c', 'COUNT', 0), [2, 6, 7]);
  assert.equal(await redis.lpos('pos', 'c', 'RANK', -1, 'COUNT', 2), [7, 6]);
  assert.is(await redis.lpos('pos', 'c', 'MAXLEN', 2), null);
  assert.equal(await redis.lpos('pos', 'c', 'COUNT', 0, 'MAXLEN', 7), [2, 6]);
  assert.is(await redis.lpos('pos', 'x'), null);
  assert.equal(await redis.lpos('pos:none', 'x', 'COUNT', 1), []);
  await rejects(redis.call('LPOS', 'pos', 'c', 'RANK', '0'), /ERR RANK can't be zero: use 1 to start from the first match/);
  await rejects(redis.call('LPOS', 'pos', 'c', 'COUNT', '-1'), /ERR COUNT can't be negative/);
  await rejects(redis.call('LPOS', 'pos', 'c', 'MAXLEN', '-1'), /ERR MAXLEN can't be negative/);
  await rejects(redis.call('LPOS', 'pos', 'c', 'RANK'), /ERR syntax error/);
});

test('LMOVE, RPOPLPUSH and LMPOP', async () => {
  await redis.rpush('mv:a', '1', '2', '3');
  assert.is(await redis.lmove('mv:a', 'mv:b', 'LEFT', 'RIGHT'), '1');
  assert.is(await redis.rpoplpush('mv:a', 'mv:b'), '3');
  assert.equal(await redis.lrange('mv:b', 0, -1), ['3', '1']);
  assert.is(await redis.lmove('mv:b', 'mv:b', 'LEFT', 'RIGHT'), '3');
  assert.equal(await redis.lrange('mv:b', 0, -1), ['1', '3']);
  assert.is(await redis.lmove('mv:none', 'mv:b', 'LEFT', 'RIGHT'), null);
  await rejects(redis.call('LMOVE', 'mv:a', 'mv:b', 'UP', 'LEFT'), /ERR syntax error/);
  assert.equal(await redis.call('LMPOP', '3', 'mv:none', 'mv:a', 'mv:b', 'LEFT'), ['mv:a', ['2']]);
  assert.equal(await redis.call('LMPOP', '2', 'mv:a', 'mv:b', 'RIGHT', 'COUNT', '10'), ['mv:b', ['3', '1']]);
  assert.is(await redis.call('LMPOP', '1', 'mv:b', 'LEFT'), null);
  await rejects(redis.call('LMPOP', '0', 'mv:a', 'LEFT'), /ERR numkeys should be greater than 0/);
  await rejects(redis.call('LMPOP', '5', 'mv:a', 'LEFT'), /ERR syntax error/);
  await rejects(redis.call('LMPOP', '1', 'mv:a', 'LEFT', 'COUNT', '0'), /ERR count should be greater than 0/);
});

test('every list command refuses a key of another type', async () => {
  await redis.set('str', 'x');
  const calls: [string, ...string[]][] = [
    ['LPUSH', 'str', 'a'], ['RPUSH', 'str', 'a'], ['LPUSHX', 'str', 'a'], ['RPUSHX', 'str', 'a'],
    ['LPOP', 'str'], ['RPOP', 'str', '2'], ['LLEN', 'str'], ['LRANGE', 'str', '0', '-1'],
    ['LINDEX', 'str', '0'], ['LSET', 'str', '0', 'a'], ['LINSERT', 'str', 'BEFORE', 'a', 'b'],
    ['LREM', 'str', '0', 'a'], ['LTRIM', 'str', '0', '1'], ['LPOS', 'str', 'a'],
    ['LMOVE', 'str', 'x', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'str', 'x'], ['LMPOP', '1', 'str', 'LEFT'],
    ['BLPOP', 'str', '0'], ['BRPOP', 'str', '0'], ['BLMOVE', 'str', 'x', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'str', 'x', '0'], ['BLMPOP', '0', '1', 'str', 'LEFT'],
  ];
  for (const [cmd, ...args] of calls) await rejects(redis.call(cmd, ...args), WRONGTYPE);
  await redis.rpush('src', 'v');
  await rejects(redis.lmove('src', 'str', 'LEFT', 'LEFT'), WRONGTYPE);
  assert.equal(await redis.lrange('src', 0, -1), ['v']);
});

test('wrong numbers of arguments', async () => {
  const calls: [string, ...string[]][] = [
    ['LPUSH', 'k'], ['RPUSHX', 'k'], ['LPOP'], ['LLEN'], ['LRANGE', 'k', '0'], ['LINDEX', 'k'],
    ['LSET', 'k', '0'], ['LINSERT', 'k', 'BEFORE', 'a'], ['LREM', 'k', '0'], ['LTRIM', 'k', '0'],
    ['LPOS', 'k'], ['LMOVE', 'a', 'b', 'LEFT'], ['RPOPLPUSH', 'a'], ['LMPOP', '1', 'k'],
    ['BLPOP', 'k'], ['BLMPOP', '0', '1', 'k'], ['BRPOPLPUSH', 'a', 'b'],
  ];
  for (const [cmd, ...args] of calls) {
    await rejects(redis.call(cmd, ...args), new RegExp(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`));
  }
  await rejects(redis.call('LPOP', 'k', '1', '2'), /ERR wrong number of arguments for 'lpop' command/);
  await rejects(redis.call('LPOP', 'k', '-1'), /ERR value is out of range, must be positive/);
});

test('big lists: pushes at both ends, then reads and changes in the middle', async () => {
  const n = 20000;
  const batch = (from: number) => Array.from({ length: 1000 }, (_, i) => String(from + i));
  for (let i = 0; i < n; i += 1000) await redis.rpush('big', ...batch(i));
  for (let i = 1; i <= 5; i++) await redis.lpush('big', `h${i}`);
  assert.is(await redis.llen('big'), n + 5);
  assert.is(await redis.lindex('big', 5 + 12345), '12345');
  assert.equal(await redis.lrange('big', 5 + 9998, 5 + 10001), ['9998', '9999', '10000', '10001']);
  assert.is(await redis.linsert('big', 'AFTER', '10000', 'mid'), n + 6);
  assert.is(await redis.lindex('big', 5 + 10001), 'mid');
  assert.is(await redis.lrem('big', 0, 'mid'), 1);
  assert.is(await redis.lpos('big', '19999'), n + 4);
  await redis.ltrim('big', 10, -10);
  assert.is(await redis.llen('big'), n + 5 - 19);
  assert.is(await redis.lindex('big', 0), '5');
});

needs('object')('OBJECT ENCODING of a list is quicklist', async () => {
  await redis.rpush('enc', 'a');
  assert.is(await redis.object('ENCODING', 'enc'), 'quicklist');
});

needs('config')('list-max-listpack-size and its old name are one option', async () => {
  assert.equal(await redis.config('GET', 'list-max-ziplist-size'), ['list-max-ziplist-size', '3']);
  assert.is(await redis.config('SET', 'list-max-ziplist-size', '-1'), 'OK');
  assert.equal(await redis.config('GET', 'list-max-listpack-size'), ['list-max-listpack-size', '-1']);
});

test.run();
