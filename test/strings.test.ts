// String commands through a real client (ioredis) against a running gearsd.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, gearsdForSuite, startGearsd } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

test('SET and GET, binary safe', async () => {
  assert.is(await ctx.redis.set('s:a', 'hello'), 'OK');
  assert.is(await ctx.redis.get('s:a'), 'hello');
  const bin = Buffer.from([0, 1, 2, 255, 13, 10]);
  await ctx.redis.set(bin, bin);
  assert.equal(await ctx.redis.getBuffer(bin), bin);
  assert.is(await ctx.redis.get('s:missing'), null);
});

test('SET options: NX, XX, GET, EX, KEEPTTL', async () => {
  assert.is(await ctx.redis.set('s:nx', '1', 'NX'), 'OK');
  assert.is(await ctx.redis.set('s:nx', '2', 'NX'), null);
  assert.is(await ctx.redis.set('s:xx-missing', '1', 'XX'), null);
  assert.is(await ctx.redis.set('s:nx', '3', 'GET'), '1');
  await rejects(ctx.redis.call('SET', 's:nx', '1', 'NX', 'XX'), /ERR syntax error/);
  await rejects(ctx.redis.set('s:nx', '1', 'EX', '0'), /ERR invalid expire time in 'set' command/);
  await rejects(ctx.redis.set('s:nx', '1', 'EX', 'abc'), /ERR value is not an integer or out of range/);
});

test('INCR family and its errors', async () => {
  assert.is(await ctx.redis.incr('s:n'), 1);
  assert.is(await ctx.redis.incrby('s:n', 10), 11);
  assert.is(await ctx.redis.decr('s:n'), 10);
  assert.is(await ctx.redis.decrby('s:n', 20), -10);
  assert.is(await ctx.redis.incrbyfloat('s:f', '10.5'), '10.5');
  assert.is(await ctx.redis.incrbyfloat('s:f', '0.1'), '10.6');
  await ctx.redis.set('s:text', 'abc');
  await rejects(ctx.redis.incr('s:text'), /ERR value is not an integer or out of range/);
  await ctx.redis.set('s:max', '9223372036854775807');
  await rejects(ctx.redis.incr('s:max'), /ERR increment or decrement would overflow/);
});

test('MSET, MGET, MSETNX', async () => {
  assert.is(await ctx.redis.mset('m:1', 'a', 'm:2', 'b'), 'OK');
  assert.equal(await ctx.redis.mget('m:1', 'm:2', 'm:3'), ['a', 'b', null]);
  assert.is(await ctx.redis.msetnx('m:3', 'c', 'm:1', 'x'), 0);
  assert.is(await ctx.redis.msetnx('m:3', 'c', 'm:4', 'd'), 1);
});

test('GETSET, GETDEL', async () => {
  assert.is(await ctx.redis.getset('g:k', 'one'), null);
  assert.is(await ctx.redis.getset('g:k', 'two'), 'one');
  await ctx.redis.expire('g:k', 100);
  assert.is(await ctx.redis.getset('g:k', 'three'), 'two');
  assert.is(await ctx.redis.ttl('g:k'), -1, 'GETSET drops the TTL like SET');
  assert.is(await ctx.redis.getdel('g:k'), 'three');
  assert.is(await ctx.redis.getdel('g:k'), null);
  assert.is(await ctx.redis.exists('g:k'), 0);
});

test('GETEX: EX, PX, EXAT, PXAT, PERSIST and a past time', async () => {
  await ctx.redis.set('gx:k', 'v');
  assert.is(await ctx.redis.getex('gx:k'), 'v');
  assert.is(await ctx.redis.ttl('gx:k'), -1);
  assert.is(await ctx.redis.getex('gx:k', 'EX', 100), 'v');
  assert.ok((await ctx.redis.ttl('gx:k')) > 90);
  assert.is(await ctx.redis.getex('gx:k', 'PX', 50000), 'v');
  assert.ok((await ctx.redis.pttl('gx:k')) <= 50000);
  const future = Math.floor(Date.now() / 1000) + 1000;
  await ctx.redis.call('GETEX', 'gx:k', 'EXAT', future);
  assert.is(await ctx.redis.expiretime('gx:k'), future);
  await ctx.redis.call('GETEX', 'gx:k', 'PXAT', future * 1000 + 5);
  assert.is(await ctx.redis.pexpiretime('gx:k'), future * 1000 + 5);
  assert.is(await ctx.redis.call('GETEX', 'gx:k', 'PERSIST'), 'v');
  assert.is(await ctx.redis.ttl('gx:k'), -1);
  assert.is(await ctx.redis.call('GETEX', 'gx:k', 'EXAT', 1), 'v', 'the value is returned before the key goes');
  assert.is(await ctx.redis.exists('gx:k'), 0);
  assert.is(await ctx.redis.call('GETEX', 'gx:missing', 'EX', 'notanumber'), null);
  await ctx.redis.set('gx:k', 'v');
  await rejects(ctx.redis.call('GETEX', 'gx:k', 'EX', 'notanumber'), /ERR value is not an integer or out of range/);
  await rejects(ctx.redis.call('GETEX', 'gx:k', 'EX', '-1'), /ERR invalid expire time in 'getex' command/);
  await rejects(ctx.redis.call('GETEX', 'gx:k', 'PERSIST', 'EX', '1'), /ERR syntax error/);
  await rejects(ctx.redis.call('GETEX', 'gx:k', 'NX'), /ERR syntax error/);
});

test('APPEND and STRLEN grow a value in place', async () => {
  assert.is(await ctx.redis.append('ap:k', 'abc'), 3);
  let expected = 'abc';
  for (let i = 0; i < 200; i++) {
    const piece = `-${i}`;
    expected += piece;
    assert.is(await ctx.redis.append('ap:k', piece), expected.length);
  }
  assert.is(await ctx.redis.get('ap:k'), expected);
  assert.is(await ctx.redis.strlen('ap:k'), expected.length);
  assert.is(await ctx.redis.strlen('ap:missing'), 0);
  assert.is(await ctx.redis.object('ENCODING', 'ap:k'), 'raw');
  await ctx.redis.set('ap:n', '12');
  await ctx.redis.append('ap:n', '3');
  assert.is(await ctx.redis.get('ap:n'), '123');
  assert.is(await ctx.redis.object('ENCODING', 'ap:n'), 'raw', 'APPEND leaves a raw string, as Redis');
  assert.is(await ctx.redis.incr('ap:n'), 124);
  assert.is(await ctx.redis.object('ENCODING', 'ap:n'), 'int');
});

test('GETRANGE and SUBSTR', async () => {
  await ctx.redis.set('gr:k', 'Hello World');
  assert.is(await ctx.redis.getrange('gr:k', 0, 3), 'Hell');
  assert.is(await ctx.redis.getrange('gr:k', -5, -1), 'World');
  assert.is(await ctx.redis.getrange('gr:k', 5, 3), '');
  assert.is(await ctx.redis.getrange('gr:k', -1, -5), '');
  assert.is(await ctx.redis.getrange('gr:k', 6, 5000), 'World');
  assert.is(await ctx.redis.call('SUBSTR', 'gr:k', 0, -1), 'Hello World');
  assert.is(await ctx.redis.getrange('gr:missing', 0, -1), '');
  await rejects(ctx.redis.call('GETRANGE', 'gr:k', 'a', 1), /ERR value is not an integer or out of range/);
});

test('SETRANGE pads with zero bytes and honours proto-max-bulk-len', async () => {
  assert.is(await ctx.redis.setrange('sr:k', 3, 'abc'), 6);
  assert.equal(await ctx.redis.getBuffer('sr:k'), Buffer.from([0, 0, 0, 0x61, 0x62, 0x63]));
  assert.is(await ctx.redis.setrange('sr:k', 1, 'Z'), 6);
  assert.equal(await ctx.redis.getBuffer('sr:k'), Buffer.from([0, 0x5a, 0, 0x61, 0x62, 0x63]));
  assert.is(await ctx.redis.setrange('sr:k', 0, ''), 6);
  assert.is(await ctx.redis.setrange('sr:empty', 0, ''), 0);
  assert.is(await ctx.redis.exists('sr:empty'), 0, 'setting nothing creates nothing');
  await rejects(ctx.redis.setrange('sr:k', -1, 'x'), /ERR offset is out of range/);
  await rejects(ctx.redis.setrange('sr:k', 512 * 1024 * 1024 - 4, 'world'), /string exceeds maximum allowed size \(proto-max-bulk-len\)/);
  await rejects(ctx.redis.call('SETRANGE', 'sr:k', '9223372036854775807', 'A'), /string exceeds maximum allowed size/);
  await rejects(ctx.redis.setrange('sr:huge', 536870912, 'x'), /maximum allowed size/);
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
  await ctx.redis.mset('lcs:a', 'ohmytext', 'lcs:b', 'mynewtext');
  assert.is(await ctx.redis.call('LCS', 'lcs:a', 'lcs:b'), 'mytext');
  assert.is(await ctx.redis.call('LCS', 'lcs:a', 'lcs:b', 'LEN'), 6);
  assert.equal(await ctx.redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX', 'MINMATCHLEN', 4, 'WITHMATCHLEN'), [
    'matches',
    [[[4, 7], [5, 8], 4]],
    'len',
    6,
  ]);
  assert.equal(await ctx.redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX'), ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]);
  assert.is(await ctx.redis.call('LCS', 'lcs:a', 'lcs:none'), '');
  await rejects(ctx.redis.call('LCS', 'lcs:a', 'lcs:b', 'IDX', 'LEN'), /ERR If you want both the length and indexes, please just use IDX\./);
});

test('OBJECT ENCODING of strings: int, embstr, raw as Redis picks them', async () => {
  await ctx.redis.mset('enc:int', '123', 'enc:emb', 'x'.repeat(44), 'enc:raw', 'x'.repeat(45), 'enc:lead0', '0123');
  assert.is(await ctx.redis.object('ENCODING', 'enc:int'), 'int');
  assert.is(await ctx.redis.object('ENCODING', 'enc:emb'), 'embstr');
  assert.is(await ctx.redis.object('ENCODING', 'enc:raw'), 'raw');
  assert.is(await ctx.redis.object('ENCODING', 'enc:lead0'), 'embstr');
  await ctx.redis.incrbyfloat('enc:float', '1');
  assert.is(await ctx.redis.object('ENCODING', 'enc:float'), 'embstr', 'INCRBYFLOAT makes a fresh string, never an int');
  await ctx.redis.setrange('enc:int', 0, '9');
  assert.is(await ctx.redis.object('ENCODING', 'enc:int'), 'raw');
  await ctx.redis.set('enc:shared', '42');
  assert.is(await ctx.redis.object('REFCOUNT', 'enc:shared'), 2147483647, 'small integers are shared objects in Redis');
  await ctx.redis.set('enc:big', '42000');
  assert.is(await ctx.redis.object('REFCOUNT', 'enc:big'), 1);
});

test('DECR, DECRBY and INCRBYFLOAT keep the TTL', async () => {
  await ctx.redis.set('ttl:n', '10', 'EX', 100);
  await ctx.redis.decr('ttl:n');
  await ctx.redis.decrby('ttl:n', 2);
  await ctx.redis.incrbyfloat('ttl:n', '0.5');
  assert.is(await ctx.redis.get('ttl:n'), '7.5');
  assert.ok((await ctx.redis.ttl('ttl:n')) > 90);
  await rejects(ctx.redis.call('DECRBY', 'ttl:n2', '-9223372036854775808'), /ERR decrement would overflow/);
  await rejects(ctx.redis.incrbyfloat('ttl:n', 'inf'), /ERR increment would produce NaN or Infinity/);
  await rejects(ctx.redis.incrbyfloat('ttl:n', 'abc'), /ERR value is not a valid float/);
});

test('unknown commands and wrong arity get Redis errors', async () => {
  await rejects(ctx.redis.call('NOSUCH', 'a', 'b'), /ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b'/);
  await rejects(ctx.redis.call('GET'), /ERR wrong number of arguments for 'get' command/);
});

test.run();
