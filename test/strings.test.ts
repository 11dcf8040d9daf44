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

test('unknown commands and wrong arity get Redis errors', async () => {
  await rejects(redis.call('NOSUCH', 'a', 'b'), /ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b'/);
  await rejects(redis.call('GET'), /ERR wrong number of arguments for 'get' command/);
});

test.run();
