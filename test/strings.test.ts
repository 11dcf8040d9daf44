// String commands through a real client (ioredis) against a running gearsd.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let redis: Redis;

test.before(async () => {
  server = await startGearsd();
  redis = await connectIoredis(server.port);
});

test.after(async () => {
  redis.disconnect();
  await server.stop();
});

test('SET and GET, binary safe', async () => {
  assert.is(await redis.set('s:a', 'hello'), 'OK');
  assert.is(await redis.get('s:a'), 'hello');
  const bin = Buffer.from([0, 1, 2, 255, 13, 10]);
  await redis.set(bin, bin);
  assert.equal(await redis.getBuffer(bin), bin);
  assert.is(await redis.get('s:missing'), null);
});

test('SET options: NX, XX, GET, EX, KEEPTTL', async () => {
  assert.is(await redis.set('s:nx', '1', 'NX'), 'OK');
  assert.is(await redis.set('s:nx', '2', 'NX'), null);
  assert.is(await redis.set('s:xx-missing', '1', 'XX'), null);
  assert.is(await redis.set('s:nx', '3', 'GET'), '1');
  await rejects(redis.call('SET', 's:nx', '1', 'NX', 'XX'), /ERR syntax error/);
  await rejects(redis.set('s:nx', '1', 'EX', '0'), /ERR invalid expire time in 'set' command/);
  await rejects(redis.set('s:nx', '1', 'EX', 'abc'), /ERR value is not an integer or out of range/);
});

test('INCR family and its errors', async () => {
  assert.is(await redis.incr('s:n'), 1);
  assert.is(await redis.incrby('s:n', 10), 11);
  assert.is(await redis.decr('s:n'), 10);
  assert.is(await redis.decrby('s:n', 20), -10);
  assert.is(await redis.incrbyfloat('s:f', '10.5'), '10.5');
  assert.is(await redis.incrbyfloat('s:f', '0.1'), '10.6');
  await redis.set('s:text', 'abc');
  await rejects(redis.incr('s:text'), /ERR value is not an integer or out of range/);
  await redis.set('s:max', '9223372036854775807');
  await rejects(redis.incr('s:max'), /ERR increment or decrement would overflow/);
});

test('MSET, MGET, MSETNX', async () => {
  assert.is(await redis.mset('m:1', 'a', 'm:2', 'b'), 'OK');
  assert.equal(await redis.mget('m:1', 'm:2', 'm:3'), ['a', 'b', null]);
  assert.is(await redis.msetnx('m:3', 'c', 'm:1', 'x'), 0);
  assert.is(await redis.msetnx('m:3', 'c', 'm:4', 'd'), 1);
});

test('GETSET, GETDEL', async () => {
  assert.is(await redis.getset('g:k', 'one'), null);
  assert.is(await redis.getset('g:k', 'two'), 'one');
  await redis.expire('g:k', 100);
  assert.is(await redis.getset('g:k', 'three'), 'two');
  assert.is(await redis.ttl('g:k'), -1, 'GETSET drops the TTL like SET');
  assert.is(await redis.getdel('g:k'), 'three');
  assert.is(await redis.getdel('g:k'), null);
  assert.is(await redis.exists('g:k'), 0);
});

test('GETEX: EX, PX, EXAT, PXAT, PERSIST and a past time', async () => {
  await redis.set('gx:k', 'v');
  assert.is(await redis.getex('gx:k'), 'v');
  assert.is(await redis.ttl('gx:k'), -1);
  assert.is(await redis.getex('gx:k', 'EX', 100), 'v');
  assert.ok((await redis.ttl('gx:k')) > 90);
  assert.is(await redis.getex('gx:k', 'PX', 50000), 'v');
  assert.ok((await redis.pttl('gx:k')) <= 50000);
  const future = Math.floor(Date.now() / 1000) + 1000;
  await redis.call('GETEX', 'gx:k', 'EXAT', future);
  assert.is(await redis.expiretime('gx:k'), future);
  await redis.call('GETEX', 'gx:k', 'PXAT', future * 1000 + 5);
  assert.is(await redis.pexpiretime('gx:k'), future * 1000 + 5);
  assert.is(await redis.call('GETEX', 'gx:k', 'PERSIST'), 'v');
  assert.is(await redis.ttl('gx:k'), -1);
  assert.is(await redis.call('GETEX', 'gx:k', 'EXAT', 1), 'v', 'the value is returned before the key goes');
  assert.is(await redis.exists('gx:k'), 0);
  assert.is(await redis.call('GETEX', 'gx:missing', 'EX', 'notanumber'), null);
  await redis.set('gx:k', 'v');
  await rejects(redis.call('GETEX', 'gx:k', 'EX', 'notanumber'), /ERR value is not an integer or out of range/);
  await rejects(redis.call('GETEX', 'gx:k', 'EX', '-1'), /ERR invalid expire time in 'getex' command/);
  await rejects(redis.call('GETEX', 'gx:k', 'PERSIST', 'EX', '1'), /ERR syntax error/);
  await rejects(redis.call('GETEX', 'gx:k', 'NX'), /ERR syntax error/);
});

test('APPEND and STRLEN grow a value in place', async () => {
  assert.is(await redis.append('ap:k', 'abc'), 3);
  let expected = 'abc';
  for (let i = 0; i < 200; i++) {
    const piece = `-${i}`;
    expected += piece;
    assert.is(await redis.append('ap:k', piece), expected.length);
  }
  assert.is(await redis.get('ap:k'), expected);
  assert.is(await redis.strlen('ap:k'), expected.length);
  assert.is(await redis.strlen('ap:missing'), 0);
  assert.is(await redis.object('ENCODING', 'ap:k'), 'raw');
  await redis.set('ap:n', '12');
  await redis.append('ap:n', '3');
  assert.is(await redis.get('ap:n'), '123');
  assert.is(await redis.object('ENCODING', 'ap:n'), 'raw', 'APPEND leaves a raw string, as Redis');
  assert.is(await redis.incr('ap:n'), 124);
  assert.is(await redis.object('ENCODING', 'ap:n'), 'int');
});

test('GETRANGE and SUBSTR', async () => {
  await redis.set('gr:k', 'Hello World');
  assert.is(await redis.getrange('gr:k', 0, 3), 'Hell');
  assert.is(await redis.getrange('gr:k', -5, -1), 'World');
  assert.is(await redis.getrange('gr:k', 5, 3), '');
  assert.is(await redis.getrange('gr:k', -1, -5), '');
  assert.is(await redis.getrange('gr:k', 6, 5000), 'World');
  assert.is(await redis.call('SUBSTR', 'gr:k', 0, -1), 'Hello World');
  assert.is(await redis.getrange('gr:missing', 0, -1), '');
  await rejects(redis.call('GETRANGE', 'gr:k', 'a', 1), /ERR value is not an integer or out of range/);
});

test('SETRANGE pads with zero bytes and honours proto-max-bulk-len', async () => {
  assert.is(await redis.setrange('sr:k', 3, 'abc'), 6);
  assert.equal(await redis.getBuffer('sr:k'), Buffer.from([0, 0, 0, 0x61, 0x62, 0x63]));
  assert.is(await redis.setrange('sr:k', 1, 'Z'), 6);
  assert.equal(await redis.getBuffer('sr:k'), Buffer.from([0, 0x5a, 0, 0x61, 0x62, 0x63]));
  assert.is(await redis.setrange('sr:k', 0, ''), 6);
  assert.is(await redis.setrange('sr:empty', 0, ''), 0);
  assert.is(await redis.exists('sr:empty'), 0, 'setting nothing creates nothing');
  await rejects(redis.setrange('sr:k', -1, 'x'), /ERR offset is out of range/);
  await rejects(redis.setrange('sr:k', 512 * 1024 * 1024 - 4, 'world'), /string exceeds maximum allowed size \(proto-max-bulk-len\)/);
  await rejects(redis.call('SETRANGE', 'sr:k', '9223372036854775807', 'A'), /string exceeds maximum allowed size/);
  await rejects(redis.setrange('sr:huge', 536870912, 'x'), /maximum allowed size/);
});

test('string size limit follows proto-max-bulk-len', async () => {
  const small = await startGearsd(['--proto-max-bulk-len', '1mb']);
  const client = await connectIoredis(small.port);
  try {
    const mb = 1024 * 1024;
    assert.is(await client.setrange('lim:k', mb - 1, 'x'), mb);
    await rejects(client.setrange('lim:k', mb, 'x'), /string exceeds maximum allowed size/);
    await rejects(client.append('lim:k', 'y'), /string exceeds maximum allowed size/);
    assert.is(await client.strlen('lim:k'), mb);
  } finally {
    client.disconnect();
    await small.stop();
  }
});

test('LCS: the subsequence, its length, and the matching ranges', async () => {
  await redis.mset('lcs:a', 'ohmytext', 'lcs:b', 'mynewtext');
  assert.is(await redis.call('LCS', 'lcs:a', 'lcs:b'), 'mytext');
  assert.is(await redis.call('LCS', 'lcs:a', 'lcs:b', 'LEN'), 6);
  assert.equal(await redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX', 'MINMATCHLEN', 4, 'WITHMATCHLEN'), [
    'matches',
    [[[4, 7], [5, 8], 4]],
    'len',
    6,
  ]);
  assert.equal(await redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX'), ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]);
  assert.is(await redis.call('LCS', 'lcs:a', 'lcs:none'), '');
  await rejects(redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX', 'LEN'), /ERR If you want both the length and indexes, please just use IDX\./);
});

test('OBJECT ENCODING of strings: int, embstr, raw as Redis picks them', async () => {
  await redis.mset('enc:int', '123', 'enc:emb', 'x'.repeat(44), 'enc:raw', 'x'.repeat(45), 'enc:lead0', '0123');
  assert.is(await redis.object('ENCODING', 'enc:int'), 'int');
  assert.is(await redis.object('ENCODING', 'enc:emb'), 'embstr');
  assert.is(await redis.object('ENCODING', 'enc:raw'), 'raw');
  assert.is(await redis.object('ENCODING', 'enc:lead0'), 'embstr');
  await redis.incrbyfloat('enc:float', '1');
  assert.is(await redis.object('ENCODING', 'enc:float'), 'embstr', 'INCRBYFLOAT makes a fresh string, never an int');
  await redis.setrange('enc:int', 0, '9');
  assert.is(await redis.object('ENCODING', 'enc:int'), 'raw');
  await redis.set('enc:shared', '42');
  assert.is(await redis.object('REFCOUNT', 'enc:shared'), 2147483647, 'small integers are shared objects in Redis');
  await redis.set('enc:big', '42000');
  assert.is(await redis.object('REFCOUNT', 'enc:big'), 1);
});

test('DECR, DECRBY and INCRBYFLOAT keep the TTL', async () => {
  await redis.set('ttl:n', '10', 'EX', 100);
  await redis.decr('ttl:n');
  await redis.decrby('ttl:n', 2);
  await redis.incrbyfloat('ttl:n', '0.5');
  assert.is(await redis.get('ttl:n'), '7.5');
  assert.ok((await redis.ttl('ttl:n')) > 90);
  await rejects(redis.call('DECRBY', 'ttl:n2', '-9223372036854775808'), /ERR decrement would overflow/);
  await rejects(redis.incrbyfloat('ttl:n', 'inf'), /ERR increment would produce NaN or Infinity/);
  await rejects(redis.incrbyfloat('ttl:n', 'abc'), /ERR value is not a valid float/);
});

test('unknown commands and wrong arity get Redis errors', async () => {
  await rejects(redis.call('NOSUCH', 'a', 'b'), /ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b'/);
  await rejects(redis.call('GET'), /ERR wrong number of arguments for 'get' command/);
});

test.run();
