// Time to live through a real client (ioredis): setting and reading it, the NX/XX/GT/LT
// rules, which writes keep or drop it, and both kinds of expiry (on access, and the
// background cycle that removes keys nobody reads).
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { rejects } from './helpers/assert.js';
import { gearsdForSuite } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

test.before.each(async () => {
  await ctx.redis.flushall();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() holds; fails with `what` after a generous deadline. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.unreachable(what);
    await sleep(20);
  }
}

test('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and the four ways to read a TTL', async () => {
  await ctx.redis.set('k', 'v');
  assert.is(await ctx.redis.ttl('k'), -1);
  assert.is(await ctx.redis.pttl('k'), -1);
  assert.is(await ctx.redis.expiretime('k'), -1);
  assert.is(await ctx.redis.pexpiretime('k'), -1);
  assert.is(await ctx.redis.ttl('nokey'), -2);
  assert.is(await ctx.redis.pexpiretime('nokey'), -2);

  assert.is(await ctx.redis.expire('k', 100), 1);
  assert.ok((await ctx.redis.ttl('k')) > 95);
  assert.is(await ctx.redis.pexpire('k', 50000), 1);
  const pttl = await ctx.redis.pttl('k');
  assert.ok(pttl > 45000 && pttl <= 50000, `pttl ${pttl}`);
  const at = Math.floor(Date.now() / 1000) + 1000;
  assert.is(await ctx.redis.expireat('k', at), 1);
  assert.is(await ctx.redis.expiretime('k'), at);
  assert.is(await ctx.redis.pexpiretime('k'), at * 1000);
  assert.is(await ctx.redis.pexpireat('k', at * 1000 + 499), 1);
  assert.is(await ctx.redis.expiretime('k'), at, 'seconds are rounded to the nearest');
  assert.is(await ctx.redis.pexpireat('k', at * 1000 + 500), 1);
  assert.is(await ctx.redis.expiretime('k'), at + 1);
  assert.is(await ctx.redis.expire('nokey', 100), 0);
});

test('NX, XX, GT, LT', async () => {
  await ctx.redis.set('k', 'v');
  assert.is(await ctx.redis.expire('k', 100, 'XX'), 0, 'XX needs a TTL');
  assert.is(await ctx.redis.expire('k', 100, 'GT'), 0, 'no TTL counts as infinite: never greater');
  assert.is(await ctx.redis.expire('k', 100, 'NX'), 1);
  assert.is(await ctx.redis.expire('k', 200, 'NX'), 0);
  assert.is(await ctx.redis.expire('k', 50, 'GT'), 0);
  assert.is(await ctx.redis.expire('k', 200, 'GT'), 1);
  assert.is(await ctx.redis.expire('k', 300, 'LT'), 0);
  assert.is(await ctx.redis.call('EXPIRE', 'k', 150, 'LT', 'XX'), 1);
  assert.ok((await ctx.redis.ttl('k')) <= 150);
  await ctx.redis.persist('k');
  assert.is(await ctx.redis.expire('k', 100, 'LT'), 1, 'no TTL counts as infinite: always greater');
  await rejects(ctx.redis.call('EXPIRE', 'k', 1, 'NX', 'XX'), /ERR NX and XX, GT or LT options at the same time are not compatible/);
  await rejects(ctx.redis.call('EXPIRE', 'k', 1, 'GT', 'LT'), /ERR GT and LT options at the same time are not compatible/);
  await rejects(ctx.redis.call('EXPIRE', 'k', 1, 'SOON'), /ERR Unsupported option SOON/);
});

test('a time not in the future deletes the key at once', async () => {
  await ctx.redis.set('a', 'v');
  assert.is(await ctx.redis.expire('a', -1), 1);
  assert.is(await ctx.redis.exists('a'), 0);
  await ctx.redis.set('b', 'v');
  assert.is(await ctx.redis.expireat('b', 1), 1);
  assert.is(await ctx.redis.exists('b'), 0);
  await ctx.redis.set('c', 'v', 'EX', 100);
  assert.is(await ctx.redis.pexpire('c', 0, 'LT'), 1);
  assert.is(await ctx.redis.exists('c'), 0);
});

test('invalid and overflowing times are refused and change nothing', async () => {
  await ctx.redis.set('k', 'v');
  await rejects(ctx.redis.call('EXPIRE', 'k', ''), /ERR value is not an integer or out of range/);
  await rejects(ctx.redis.call('EXPIRE', 'k', '9223372036854776'), /ERR invalid expire time in 'expire' command/);
  await rejects(ctx.redis.call('EXPIRE', 'k', '-9223372036854776'), /ERR invalid expire time in 'expire' command/);
  await rejects(ctx.redis.call('PEXPIRE', 'k', '9223372036854770000'), /ERR invalid expire time in 'pexpire' command/);
  await rejects(ctx.redis.call('SET', 'k', 'v', 'EX', '10000000000000000'), /ERR invalid expire time in 'set' command/);
  assert.is(await ctx.redis.ttl('k'), -1);
  assert.is(await ctx.redis.pexpireat('k', '9223372036854770000'), 1, 'a far future absolute time is fine');
});

test('PERSIST', async () => {
  await ctx.redis.set('k', 'v', 'EX', 100);
  assert.is(await ctx.redis.persist('k'), 1);
  assert.is(await ctx.redis.ttl('k'), -1);
  assert.is(await ctx.redis.persist('k'), 0);
  assert.is(await ctx.redis.persist('nokey'), 0);
});

test('which writes keep a TTL and which drop it', async () => {
  const keeps = async (what: string, write: () => Promise<unknown>) => {
    await ctx.redis.set('t', '1', 'EX', 100);
    await write();
    assert.ok((await ctx.redis.ttl('t')) > 90, `${what} should keep the TTL`);
  };
  const drops = async (what: string, write: () => Promise<unknown>) => {
    await ctx.redis.set('t', '1', 'EX', 100);
    await write();
    assert.is(await ctx.redis.ttl('t'), -1, `${what} should drop the TTL`);
  };
  await keeps('SET KEEPTTL', () => ctx.redis.set('t', '2', 'KEEPTTL'));
  await keeps('INCR', () => ctx.redis.incr('t'));
  await keeps('INCRBYFLOAT', () => ctx.redis.incrbyfloat('t', '1.5'));
  await keeps('APPEND', () => ctx.redis.append('t', 'x'));
  await keeps('SETRANGE', () => ctx.redis.setrange('t', 0, 'x'));
  await keeps('GETEX without options', () => ctx.redis.getex('t'));
  await drops('SET', () => ctx.redis.set('t', '2'));
  await drops('GETSET', () => ctx.redis.getset('t', '2'));
  await drops('MSET', () => ctx.redis.mset('t', '2'));
  await drops('GETEX PERSIST', () => ctx.redis.call('GETEX', 't', 'PERSIST'));
});

test('a key past its time is gone on the next access', async () => {
  await ctx.redis.set('k', 'v', 'PX', 1);
  await ctx.redis.psetex('k2', 1, 'v');
  await sleep(20);
  assert.is(await ctx.redis.get('k'), null);
  assert.is(await ctx.redis.exists('k2'), 0);
  assert.is(await ctx.redis.setnx('k', 'new'), 1, 'SETNX sees an expired key as absent');
  assert.is(await ctx.redis.get('k'), 'new');
});

test('KEYS, SCAN and RANDOMKEY never return an expired key', async () => {
  await ctx.redis.set('live', 'v');
  for (let i = 0; i < 50; i++) await ctx.redis.set(`dead:${i}`, 'v', 'PX', 1);
  await sleep(20);
  assert.equal(await ctx.redis.keys('*'), ['live']);
  const [, names] = (await ctx.redis.call('SCAN', 0, 'COUNT', 1000)) as [string, string[]];
  assert.equal(names, ['live']);
  for (let i = 0; i < 10; i++) assert.is(await ctx.redis.randomkey(), 'live');
});

test('active expiry removes keys nobody reads, and only those', async () => {
  const pipe = ctx.redis.pipeline();
  for (let i = 0; i < 20000; i++) pipe.set(`short:${i}`, 'v', 'PX', 50 + (i % 100));
  for (let i = 0; i < 500; i++) pipe.set(`long:${i}`, 'v', 'EX', 1000);
  for (let i = 0; i < 500; i++) pipe.set(`forever:${i}`, 'v');
  await pipe.exec();
  await eventually('the short-lived keys were not expired in the background', async () => (await ctx.redis.dbsize()) === 1000);
  assert.is(await ctx.redis.exists('long:0', 'long:499', 'forever:0', 'forever:499'), 4);
  assert.is(await ctx.redis.ping(), 'PONG');
});

test('RENAME, MOVE, COPY keep an expired-looking key consistent', async () => {
  await ctx.redis.set('k', 'v', 'PX', 1);
  await sleep(20);
  await rejects(ctx.redis.rename('k', 'k2'), /ERR no such key/);
  assert.is(await ctx.redis.move('k', 1), 0);
  assert.is(await ctx.redis.copy('k', 'k2'), 0);
  assert.is(await ctx.redis.expire('k', 100), 0, 'an expired key cannot be brought back');
});

test.run();
