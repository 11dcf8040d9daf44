// Bitmaps, HyperLogLog and SORT through a real client (ioredis) against gearsd, and the
// keyspace events they fire: a table of Redis's facts, checked against gearsd and (when
// installed) against redis-server, through a real subscriber on each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { canCompare } from './helpers/differential.js';
import { checkEventTable, EVENT_ARGS, type EventCase } from './helpers/keyspace-events.js';
import { gearsdForSuite, startGearsd, startRedisServer } from './helpers/servers.js';

/** A pattern matching exactly this error text. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const ctx = gearsdForSuite(test);

test('SETBIT/GETBIT/BITCOUNT/BITPOS over a bitmap of a million bits', async () => {
  const key = 'bm:big';
  const set = [0, 7, 8, 1000, 65535, 999_999];
  for (const b of set) assert.is(await ctx.redis.setbit(key, b, 1), 0);
  assert.is(await ctx.redis.setbit(key, 7, 1), 1);
  assert.is(await ctx.redis.strlen(key), 125_000);
  assert.is(await ctx.redis.getbit(key, 1000), 1);
  assert.is(await ctx.redis.getbit(key, 1001), 0);
  assert.is(await ctx.redis.bitcount(key), set.length);
  assert.is(await ctx.redis.bitcount(key, 1, -1), set.length - 2);
  assert.is(await ctx.redis.call('BITCOUNT', key, 8, 1000, 'BIT'), 2);
  assert.is(await ctx.redis.bitpos(key, 1, 2), 1000);
  assert.is(await ctx.redis.call('BITPOS', key, 1, 1001, -1, 'BIT'), 65535);
  assert.is(await ctx.redis.bitpos(key, 0), 1);
  await rejects(ctx.redis.setbit(key, 2 ** 32, 1), exactly('ERR bit offset is not an integer or out of range'));
  await rejects(ctx.redis.call('SETBIT', key, 1, 2), exactly('ERR bit is not an integer or out of range'));
});

test('BITOP and BITFIELD', async () => {
  await ctx.redis.set('bm:a', Buffer.from([0b1100_1100, 0xff]));
  await ctx.redis.set('bm:b', Buffer.from([0b1010_1010]));
  assert.is(await ctx.redis.bitop('AND', 'bm:and', 'bm:a', 'bm:b'), 2);
  assert.equal(await ctx.redis.getBuffer('bm:and'), Buffer.from([0b1000_1000, 0]));
  assert.is(await ctx.redis.bitop('NOT', 'bm:not', 'bm:b'), 1);
  assert.equal(await ctx.redis.getBuffer('bm:not'), Buffer.from([0b0101_0101]));
  assert.equal(await ctx.redis.call('BITFIELD', 'bm:f', 'SET', 'u8', '#0', 200, 'INCRBY', 'u8', '#0', 100, 'GET', 'i8', '#0'), [0, 44, 44]);
  assert.equal(await ctx.redis.bitfield('bm:f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '#0', 250), [null]);
  assert.equal(await ctx.redis.bitfield('bm:f', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '#0', 250), [127]);
  assert.equal(await ctx.redis.call('BITFIELD_RO', 'bm:f', 'GET', 'u4', 0, 'GET', 'u4', 4), [7, 15]);
  await rejects(ctx.redis.call('BITFIELD_RO', 'bm:f', 'SET', 'u4', 0, 1), exactly('ERR BITFIELD_RO only supports the GET subcommand'));
});

test('HyperLogLog: counts within the expected error, unions, corrupt values', async () => {
  const items = Array.from({ length: 50_000 }, (_, i) => `user:${i}`);
  for (let i = 0; i < items.length; i += 5000) await ctx.redis.pfadd('hll:a', ...items.slice(i, i + 5000));
  const n = await ctx.redis.pfcount('hll:a');
  assert.ok(Math.abs(n - 50_000) < 50_000 * 0.02, `estimate ${n}`);
  await ctx.redis.pfadd('hll:b', ...items.slice(0, 100), 'other');
  assert.is(await ctx.redis.pfadd('hll:b', 'user:1'), 0);
  const union = await ctx.redis.pfcount('hll:a', 'hll:b');
  assert.ok(union >= n && union <= n + 2, `union ${union}`);
  assert.is(await ctx.redis.pfmerge('hll:m', 'hll:a', 'hll:b'), 'OK');
  assert.is(await ctx.redis.pfcount('hll:m'), union);
  await ctx.redis.set('hll:bad', 'HYLL\x01');
  await rejects(ctx.redis.pfcount('hll:bad'), exactly('WRONGTYPE Key is not a valid HyperLogLog string value.'));
  await ctx.redis.pfadd('hll:c', 'x');
  await ctx.redis.append('hll:c', 'trailing bytes');
  await rejects(ctx.redis.pfcount('hll:c'), exactly('INVALIDOBJ Corrupted HLL object detected'));
  assert.is(await ctx.redis.ping(), 'PONG');
});

test('SORT and SORT_RO with BY, GET and STORE', async () => {
  await ctx.redis.rpush('so:l', '3', '1', '2');
  await ctx.redis.mset('so:w_1', '30', 'so:w_2', '10', 'so:w_3', '20');
  await ctx.redis.hset('so:h_1', 'name', 'one');
  await ctx.redis.hset('so:h_3', 'name', 'three');
  assert.equal(await ctx.redis.sort('so:l'), ['1', '2', '3']);
  assert.equal(await ctx.redis.sort('so:l', 'BY', 'so:w_*', 'GET', '#', 'GET', 'so:h_*->name'), ['2', null, '3', 'three', '1', 'one']);
  assert.equal(await ctx.redis.call('SORT_RO', 'so:l', 'DESC', 'LIMIT', '0', '2'), ['3', '2']);
  assert.is(await ctx.redis.sort('so:l', 'ALPHA', 'STORE', 'so:dst'), 3);
  assert.equal(await ctx.redis.lrange('so:dst', 0, -1), ['1', '2', '3']);
  await rejects(ctx.redis.call('SORT_RO', 'so:l', 'STORE', 'x'), exactly('ERR syntax error'));
  await ctx.redis.rpush('so:bad', 'x');
  await rejects(ctx.redis.sort('so:bad'), exactly("ERR One or more scores can't be converted into double"));
});

// ---- keyspace events ---------------------------------------------------------------------------

const CASES: EventCase[] = [
  {
    name: 'SETBIT fires only when a bit changes or the string grows',
    setup: [],
    run: [['SETBIT', 'b', '0', '1'], ['SETBIT', 'b', '0', '1'], ['SETBIT', 'b', '0', '0'], ['SETBIT', 'b', '100', '0'], ['SETBIT', 'b', '3', '0']],
    events: ['setbit b', 'setbit b', 'setbit b'],
  },
  {
    name: 'BITFIELD: changes fire setbit, refused or unchanged writes do not',
    setup: [['SET', 'f', 'abc']],
    run: [['BITFIELD', 'f', 'SET', 'u8', '0', '97'], ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9'], ['BITFIELD', 'f', 'INCRBY', 'u8', '0', '1', 'INCRBY', 'u8', '8', '1'], ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9']],
    events: ['setbit f'],
  },
  {
    name: 'BITOP: set on the destination, del when the result is empty',
    setup: [['SET', 'a', 'x']],
    run: [['BITOP', 'OR', 'd', 'a'], ['BITOP', 'AND', 'd', 'nokey'], ['BITOP', 'AND', 'd', 'nokey']],
    events: ['set d', 'del d'],
  },
  {
    name: 'PFADD and PFMERGE fire pfadd; PFCOUNT fires nothing',
    setup: [],
    run: [['PFADD', 'h', 'a'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFMERGE', 'h2', 'h'], ['PFADD', 'h3']],
    events: ['pfadd h', 'pfadd h2', 'pfadd h3'],
  },
  {
    name: 'SORT STORE fires sortstore, an empty result del',
    setup: [['RPUSH', 'l', '2', '1']],
    run: [['SORT', 'l', 'STORE', 'd'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'nokey', 'STORE', 'd'], ['SORT', 'nokey', 'STORE', 'd']],
    events: ['sortstore d', 'sortstore d', 'del d'],
  },
];

test('gearsd fires the events of the table', async () => {
  await checkEventTable(await startGearsd(EVENT_ARGS), CASES);
});

(canCompare() ? test : test.skip)('the table is what redis-server fires', async () => {
  await checkEventTable(await startRedisServer(EVENT_ARGS), CASES);
});

test.run();
