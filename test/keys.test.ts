// Generic key commands through a real client (ioredis) against a running gearsd.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let redis: Redis;
let db1: Redis;

test.before(async () => {
  server = await startGearsd();
  redis = await connectIoredis(server.port);
  db1 = await connectIoredis(server.port);
  await db1.select(1);
});

test.after(async () => {
  redis.disconnect();
  db1.disconnect();
  await server.stop();
});

test.before.each(async () => {
  await redis.flushall();
});

test('DEL, UNLINK, EXISTS count keys, duplicates included', async () => {
  await redis.mset('a', '1', 'b', '2', 'c', '3');
  assert.is(await redis.exists('a', 'a', 'nokey'), 2);
  assert.is(await redis.del('a', 'a', 'nokey'), 1);
  assert.is(await redis.unlink('b', 'c', 'nokey'), 2);
  assert.is(await redis.dbsize(), 0);
  // A large value goes to the lazy-free thread; the key is gone at once.
  await redis.set('big', 'x'.repeat(1 << 20));
  assert.is(await redis.unlink('big'), 1);
  assert.is(await redis.get('big'), null);
});

test('TYPE and TOUCH', async () => {
  await redis.set('s', 'v');
  assert.is(await redis.type('s'), 'string');
  assert.is(await redis.type('nokey'), 'none');
  assert.is(await redis.touch('s', 'nokey', 's'), 2);
  assert.is(await redis.object('IDLETIME', 's'), 0);
});

test('KEYS matches glob patterns and returns every key once', async () => {
  await redis.mset('user:1', 'a', 'user:2', 'b', 'user:10', 'c', 'other', 'd', 'b[1]', 'e');
  assert.equal((await redis.keys('*')).sort(), ['b[1]', 'other', 'user:1', 'user:10', 'user:2']);
  assert.equal((await redis.keys('user:?')).sort(), ['user:1', 'user:2']);
  assert.equal((await redis.keys('user:[!0-9]*')).sort(), ['user:1', 'user:10', 'user:2'], "'!' is a plain character in Redis's classes");
  assert.equal((await redis.keys('user:[^2]*')).sort(), ['user:1', 'user:10']);
  assert.equal(await redis.keys('b\\[1\\]'), ['b[1]']);
  assert.equal(await redis.keys('a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'), []);
});

/** Every name a complete SCAN returns (with repeats counted once). */
async function scanAll(client: Redis, ...opts: (string | number)[]): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, names] = (await client.call('SCAN', cursor, ...opts)) as [string, string[]];
    names.forEach((n) => seen.add(n));
    cursor = next;
  } while (cursor !== '0');
  return seen;
}

test('SCAN: MATCH, COUNT, TYPE and a complete iteration', async () => {
  const pipe = redis.pipeline();
  for (let i = 0; i < 500; i++) pipe.set(`k:${i}`, i);
  await pipe.exec();
  const all = await scanAll(redis, 'COUNT', 17);
  assert.is(all.size, 500);
  const some = await scanAll(redis, 'MATCH', 'k:1?', 'COUNT', 100);
  assert.equal([...some].sort(), Array.from({ length: 10 }, (_, i) => `k:1${i}`).sort());
  assert.is((await scanAll(redis, 'TYPE', 'string')).size, 500);
  assert.is((await scanAll(redis, 'TYPE', 'STRING')).size, 500, 'TYPE compares without case');
  assert.is((await scanAll(redis, 'TYPE', 'hash')).size, 0);
  await rejects(redis.call('SCAN', 'abc'), /ERR invalid cursor/);
  await rejects(redis.call('SCAN', '0', 'COUNT', '0'), /ERR syntax error/);
  await rejects(redis.call('SCAN', '0', 'FOO', 'x'), /ERR syntax error/);
});

test('SCAN returns every key that stays for the whole iteration, while the table grows and shrinks', async () => {
  let pipe = redis.pipeline();
  for (let i = 0; i < 2000; i++) pipe.set(`stay:${i}`, i);
  for (let i = 0; i < 2000; i++) pipe.set(`churn:${i}`, i);
  await pipe.exec();
  const seen = new Set<string>();
  let cursor = '0';
  let step = 0;
  do {
    const [next, names] = (await redis.call('SCAN', cursor, 'COUNT', 50)) as [string, string[]];
    names.forEach((n) => seen.add(n));
    cursor = next;
    // Between calls: first remove the churn keys (the table shrinks), then add many
    // (it grows again, rehashing under the cursor).
    pipe = redis.pipeline();
    if (step === 3) for (let i = 0; i < 2000; i++) pipe.del(`churn:${i}`);
    if (step === 8) for (let i = 0; i < 6000; i++) pipe.set(`new:${i}`, i);
    await pipe.exec();
    step++;
  } while (cursor !== '0');
  for (let i = 0; i < 2000; i++) assert.ok(seen.has(`stay:${i}`), `stay:${i} missing from the iteration`);
});

test('RENAME and RENAMENX move the value and its TTL', async () => {
  await redis.set('src', 'v', 'EX', 100);
  await redis.set('dst', 'old', 'EX', 5);
  assert.is(await redis.rename('src', 'dst'), 'OK');
  assert.is(await redis.get('dst'), 'v');
  assert.ok((await redis.ttl('dst')) > 90, 'the TTL travels with the value');
  await redis.set('plain', 'p');
  await redis.expire('dst', 100);
  await redis.rename('plain', 'dst');
  assert.is(await redis.ttl('dst'), -1, 'and the target\'s TTL does not stay');
  assert.is(await redis.renamenx('dst', 'dst'), 0);
  assert.is(await redis.rename('dst', 'dst'), 'OK');
  await redis.set('other', 'o');
  assert.is(await redis.renamenx('dst', 'other'), 0);
  assert.is(await redis.renamenx('dst', 'fresh'), 1);
  assert.is(await redis.exists('dst'), 0);
  await rejects(redis.rename('nokey', 'x'), /ERR no such key/);
  // A big value keeps its bytes through a rename.
  const big = 'b'.repeat(100000);
  await redis.set('bigsrc', big);
  await redis.rename('bigsrc', 'bigdst');
  assert.is(await redis.get('bigdst'), big);
});

test('COPY: same and other database, REPLACE, TTL', async () => {
  await redis.set('c:src', 'v', 'EX', 100);
  assert.is(await redis.copy('c:src', 'c:dst'), 1);
  assert.is(await redis.get('c:dst'), 'v');
  assert.ok((await redis.ttl('c:dst')) > 90);
  assert.is(await redis.copy('c:src', 'c:dst'), 0);
  await redis.set('c:src', 'w');
  assert.is(await redis.copy('c:src', 'c:dst', 'REPLACE'), 1);
  assert.is(await redis.get('c:dst'), 'w');
  assert.is(await redis.ttl('c:dst'), -1);
  assert.is(await redis.copy('c:src', 'c:src', 'DB', 1), 1);
  assert.is(await db1.get('c:src'), 'w');
  await redis.set('c:src', 'changed');
  assert.is(await db1.get('c:src'), 'w', 'a copy is independent');
  await rejects(redis.copy('c:src', 'c:src'), /ERR source and destination objects are the same/);
  await rejects(redis.call('COPY', 'c:src', 'x', 'DB', '16'), /ERR DB index is out of range/);
  await rejects(redis.call('COPY', 'c:src', 'x', 'DB', 'abc'), /ERR value is not an integer or out of range/);
  assert.is(await redis.copy('nokey', 'x'), 0);
});

test('MOVE carries the TTL to the other database', async () => {
  await redis.set('m', 'v', 'EX', 100);
  assert.is(await redis.move('m', 1), 1);
  assert.is(await redis.exists('m'), 0);
  assert.is(await db1.get('m'), 'v');
  assert.ok((await db1.ttl('m')) > 90);
  await redis.set('m', 'again');
  assert.is(await redis.move('m', 1), 0, 'the key exists there already');
  assert.is(await redis.move('nokey', 1), 0);
  await rejects(redis.move('m', 0), /ERR source and destination objects are the same/);
  await rejects(redis.move('m', 99), /ERR DB index is out of range/);
});

test('RANDOMKEY', async () => {
  assert.is(await redis.randomkey(), null);
  await redis.mset('r1', 'a', 'r2', 'b');
  const seen = new Set<string>();
  for (let i = 0; i < 100 && seen.size < 2; i++) seen.add((await redis.randomkey())!);
  assert.equal([...seen].sort(), ['r1', 'r2']);
  await redis.del('r1', 'r2');
  assert.is(await redis.randomkey(), null);
});

test('OBJECT and MEMORY USAGE', async () => {
  await redis.set('o', 'hello');
  assert.is(await redis.object('ENCODING', 'o'), 'embstr');
  assert.is(await redis.object('REFCOUNT', 'o'), 1);
  assert.is(await redis.object('ENCODING', 'nokey'), null);
  await rejects(redis.object('FREQ', 'o'), /ERR An LFU maxmemory policy is not selected/);
  const help = (await redis.call('OBJECT', 'HELP')) as string[];
  assert.is(help[0], 'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assert.is(help[help.length - 1], '    Prints this help.');
  await rejects(redis.call('OBJECT', 'NOPE'), /ERR unknown subcommand 'NOPE'. Try OBJECT HELP./);
  await rejects(redis.call('OBJECT', 'ENCODING'), /ERR wrong number of arguments for 'object\|encoding' command/);
  const usage = (await redis.call('MEMORY', 'USAGE', 'o')) as number;
  assert.ok(usage > 5 && usage < 200, `MEMORY USAGE ${usage}`);
  await redis.set('o', 'x'.repeat(10000));
  assert.ok(((await redis.call('MEMORY', 'USAGE', 'o', 'SAMPLES', 0)) as number) > 10000);
  assert.is(await redis.call('MEMORY', 'USAGE', 'nokey'), null);
  await rejects(redis.call('MEMORY', 'USAGE', 'o', 'SAMPLES', -1), /ERR syntax error/);
});

test('DBSIZE, FLUSHDB, FLUSHALL (SYNC and ASYNC)', async () => {
  const pipe = redis.pipeline();
  for (let i = 0; i < 1000; i++) pipe.set(`f:${i}`, i);
  await pipe.exec();
  await db1.set('other-db', 'x');
  assert.is(await redis.dbsize(), 1000);
  assert.is(await redis.flushdb('ASYNC'), 'OK');
  assert.is(await redis.dbsize(), 0);
  assert.is(await db1.dbsize(), 1, 'FLUSHDB empties only the selected database');
  await redis.set('again', '1');
  assert.is(await redis.flushall('SYNC'), 'OK');
  assert.is(await db1.dbsize(), 0);
  assert.is(await redis.dbsize(), 0);
  await rejects(redis.call('FLUSHALL', 'LATER'), /ERR syntax error/);
});

test('SWAPDB exchanges two databases for every client', async () => {
  await redis.set('in0', 'zero', 'EX', 100);
  await db1.set('in1', 'one');
  assert.is(await redis.swapdb(0, 1), 'OK');
  assert.is(await redis.get('in1'), 'one');
  assert.is(await db1.get('in0'), 'zero');
  assert.ok((await db1.ttl('in0')) > 90);
  assert.is(await redis.swapdb(1, 1), 'OK');
  await rejects(redis.swapdb(0, 16), /ERR DB index is out of range/);
  await rejects(redis.call('SWAPDB', 'a', '1'), /ERR invalid first DB index/);
  await rejects(redis.call('SWAPDB', '0', 'b'), /ERR invalid second DB index/);
});

test('binary-safe key names through every key command', async () => {
  const k = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x20]);
  const k2 = Buffer.from([0x01, 0x00]);
  await redis.set(k, 'v');
  assert.is(await redis.exists(k), 1);
  assert.equal(await redis.keysBuffer('*'), [k]);
  await redis.rename(k, k2);
  assert.equal(await redis.keysBuffer('*'), [k2]);
  assert.is(await redis.expire(k2, 100), 1);
  assert.is(await redis.copy(k2, k), 1);
  assert.is(await redis.del(k, k2), 2);
});

test.run();
