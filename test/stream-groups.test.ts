// Stream consumer groups through a real client (ioredis) against gearsd: XGROUP,
// XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO GROUPS / CONSUMERS / FULL.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';

import { rejects } from './helpers/assert.js';
import { gearsdForSuite } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

type Entry = [string, string[] | null];
type Pending = [string, string, number, number];
const x = (...args: (string | number)[]) => ctx.redis.call(args[0] as string, ...args.slice(1));

/** A stream with entries 1-0 .. n-0 (field f, value v<i>) and a group reading from 0. */
async function stream(key: string, n: number, group = 'grp'): Promise<void> {
  for (let i = 1; i <= n; i++) await x('XADD', key, `${i}-0`, 'f', `v${i}`);
  await x('XGROUP', 'CREATE', key, group, '0');
}

/** XINFO-style flat [name, value, ...] arrays as objects. */
function fields(flat: unknown): Record<string, unknown> {
  const a = flat as unknown[];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1];
  return o;
}

const readIds = (reply: unknown) => ((reply as [string, Entry[]][])[0][1]).map((e) => e[0]);

test('XGROUP CREATE: from $ or an id, MKSTREAM, BUSYGROUP, ENTRIESREAD', async () => {
  await x('XADD', 'g:create', '1-0', 'foo', 'bar');
  assert.is(await x('XGROUP', 'CREATE', 'g:create', 'mygroup', '$'), 'OK');
  await rejects(x('XGROUP', 'CREATE', 'g:create', 'mygroup', '$'), /^BUSYGROUP Consumer Group name already exists$/);
  await rejects(x('XGROUP', 'CREATE', 'g:nokey', 'mygroup', '$'),
    /^ERR The XGROUP subcommand requires the key to exist\. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically\.$/);
  assert.is(await x('XGROUP', 'CREATE', 'g:mk', 'mygroup', '$', 'MKSTREAM'), 'OK');
  assert.is(await ctx.redis.xlen('g:mk'), 0);
  assert.is(await x('XGROUP', 'CREATE', 'g:create', 'g2', '0', 'ENTRIESREAD', '1'), 'OK');
  const groups = ((await x('XINFO', 'GROUPS', 'g:create')) as unknown[]).map(fields);
  assert.equal(groups.map((g) => [g.name, g['last-delivered-id'], g['entries-read'], g.lag]), [['g2', '0-0', 1, 0], ['mygroup', '1-0', null, 0]]);

  await rejects(x('XGROUP', 'CREATE', 'g:create', 'g3', '+'), /^ERR Invalid stream ID specified as stream command argument$/);
  await rejects(x('XGROUP', 'CREATE', 'g:create', 'g3', '0', 'ENTRIESREAD', '-5'), /^ERR value for ENTRIESREAD must be positive or -1$/);
  await rejects(x('XGROUP', 'CREATE', 'g:create', 'g3', '0', 'FOO'), /^ERR unknown subcommand or wrong number of arguments for 'CREATE'\. Try XGROUP HELP\.$/);
  await rejects(x('XGROUP', 'CREATE', 'g:create', 'g3'), /^ERR wrong number of arguments for 'xgroup\|create' command$/);
  await rejects(x('XGROUP', 'FOO', 'g:create'), /^ERR unknown subcommand 'FOO'\. Try XGROUP HELP\.$/);
  await rejects(x('XGROUP', 'HELP', 'xxx'), /^ERR wrong number of arguments for 'xgroup\|help' command$/);
  const help = (await x('XGROUP', 'HELP')) as string[];
  assert.is(help[0], 'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assert.is(help.length, 17);
});

test('XREADGROUP: > delivers each entry once, an id reads the consumer own pending history', async () => {
  await x('XADD', 'g:read', '1-0', 'foo', 'bar');
  await x('XGROUP', 'CREATE', 'g:read', 'grp', '$');
  await x('XADD', 'g:read', '2-0', 'a', '1');
  await x('XADD', 'g:read', '3-0', 'b', '2');
  assert.equal(await x('XREADGROUP', 'GROUP', 'grp', 'c1', 'STREAMS', 'g:read', '>'), [
    ['g:read', [['2-0', ['a', '1']], ['3-0', ['b', '2']]]],
  ]);
  assert.is(await x('XREADGROUP', 'GROUP', 'grp', 'c1', 'STREAMS', 'g:read', '>'), null);
  await x('XADD', 'g:read', '4-0', 'c', '3');
  await x('XADD', 'g:read', '5-0', 'd', '4');
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'grp', 'c2', 'COUNT', '1', 'STREAMS', 'g:read', '>')), ['4-0']);
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'grp', 'c1', 'STREAMS', 'g:read', '0')), ['2-0', '3-0']);
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'grp', 'c1', 'COUNT', '1', 'STREAMS', 'g:read', '2-0')), ['3-0']);
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'grp', 'c2', 'STREAMS', 'g:read', '0')), ['4-0']);
  assert.equal(await x('XREADGROUP', 'GROUP', 'grp', 'c3', 'STREAMS', 'g:read', '0'), [['g:read', []]], 'empty history still answers');
  // Reading history twice counts deliveries.
  const pending = (await x('XPENDING', 'g:read', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(pending.map((p) => [p[0], p[1], p[3]]), [['2-0', 'c1', 2], ['3-0', 'c1', 3], ['4-0', 'c2', 2]]);
});

test('XREADGROUP history shows a deleted pending entry with nil fields', async () => {
  await x('XGROUP', 'CREATE', 'g:hist', 'grp', '$', 'MKSTREAM');
  await x('XADD', 'g:hist', '1', 'field1', 'A');
  await x('XREADGROUP', 'GROUP', 'grp', 'me', 'STREAMS', 'g:hist', '>');
  await x('XADD', 'g:hist', 'MAXLEN', '1', '2', 'field1', 'B');
  await x('XREADGROUP', 'GROUP', 'grp', 'me', 'STREAMS', 'g:hist', '>');
  assert.equal(await x('XREADGROUP', 'GROUP', 'grp', 'me', 'STREAMS', 'g:hist', '0-1'), [
    ['g:hist', [['1-0', null], ['2-0', ['field1', 'B']]]],
  ]);
});

test('XREADGROUP NOACK delivers without making entries pending; the consumer exists anyway', async () => {
  await stream('g:noack', 2);
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'grp', 'alice', 'NOACK', 'STREAMS', 'g:noack', '>')), ['1-0', '2-0']);
  assert.equal(await x('XPENDING', 'g:noack', 'grp'), [0, null, null, null]);
  const consumers = ((await x('XINFO', 'CONSUMERS', 'g:noack', 'grp')) as unknown[]).map(fields);
  assert.equal(consumers.map((c) => [c.name, c.pending]), [['alice', 0]]);
});

test('XREADGROUP errors', async () => {
  await stream('g:rerr', 1);
  await rejects(x('XREADGROUP', 'GROUP', 'nogroup', 'c', 'STREAMS', 'g:rerr', '>'),
    /^NOGROUP No such key 'g:rerr' or consumer group 'nogroup' in XREADGROUP with GROUP option$/);
  await rejects(x('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 'g:nokey', '>'), /^NOGROUP No such key 'g:nokey'/);
  await rejects(x('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 'g:rerr', '$'), /^ERR The \$ ID is meaningless in the context of XREADGROUP/);
  await rejects(x('XREADGROUP', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'g:rerr', '>'), /^ERR Missing GROUP option for XREADGROUP$/);
  await rejects(x('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 'g:rerr', 'x'), /Invalid stream ID/);
});

test('XACK acknowledges pending ids, all or nothing on a bad id', async () => {
  await stream('g:ack', 3);
  await x('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 'g:ack', '>');
  await rejects(x('XACK', 'g:ack', 'grp', '1-0', 'invalid-id'), /^ERR Invalid stream ID specified as stream command argument$/);
  assert.is(await x('XACK', 'g:ack', 'grp', '1-0'), 1);
  assert.is(await x('XACK', 'g:ack', 'grp', '1-0'), 0);
  assert.is(await x('XACK', 'g:ack', 'grp', '1-0', '2-0', '9-0'), 1);
  assert.is(await x('XACK', 'g:ack', 'nogroup', '3-0'), 0);
  assert.is(await x('XACK', 'g:nokey', 'grp', '3-0'), 0);
  assert.equal(await x('XPENDING', 'g:ack', 'grp'), [1, '3-0', '3-0', [['c', '1']]]);
});

test('XPENDING: summary, ranges with exclusive bounds, consumer filter, IDLE, errors', async () => {
  await stream('g:pend', 4);
  await x('XREADGROUP', 'GROUP', 'grp', 'consumer-1', 'COUNT', '2', 'STREAMS', 'g:pend', '>');
  await x('XREADGROUP', 'GROUP', 'grp', 'consumer-2', 'STREAMS', 'g:pend', '>');
  assert.equal(await x('XPENDING', 'g:pend', 'grp'), [4, '1-0', '4-0', [['consumer-1', '2'], ['consumer-2', '2']]]);
  const all = (await x('XPENDING', 'g:pend', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(all.map((p) => [p[0], p[1], p[3]]), [['1-0', 'consumer-1', 1], ['2-0', 'consumer-1', 1], ['3-0', 'consumer-2', 1], ['4-0', 'consumer-2', 1]]);
  assert.ok(all.every((p) => p[2] >= 0));
  assert.equal(((await x('XPENDING', 'g:pend', 'grp', '(1-0', '(4-0', '10')) as Pending[]).map((p) => p[0]), ['2-0', '3-0']);
  assert.equal(((await x('XPENDING', 'g:pend', 'grp', '-', '+', '1')) as Pending[]).map((p) => p[0]), ['1-0']);
  assert.equal(((await x('XPENDING', 'g:pend', 'grp', '-', '+', '10', 'consumer-2')) as Pending[]).map((p) => p[0]), ['3-0', '4-0']);
  assert.equal(await x('XPENDING', 'g:pend', 'grp', '-', '+', '10', 'nobody'), []);
  // Age one entry by claiming it back with an old delivery time; only it is idle enough.
  await x('XCLAIM', 'g:pend', 'grp', 'consumer-1', '0', '2-0', 'IDLE', '100000', 'JUSTID');
  assert.equal(((await x('XPENDING', 'g:pend', 'grp', 'IDLE', '50000', '-', '+', '10')) as Pending[]).map((p) => p[0]), ['2-0']);
  assert.equal(await x('XPENDING', 'g:pend', 'grp', 'IDLE', '99999999', '-', '+', '10', 'consumer-1'), []);

  await rejects(x('XPENDING', 'g:pend', 'grp', '-', '+'), /^ERR syntax error$/);
  await rejects(x('XPENDING', 'g:pend', 'grp', 'IDLE', '5', '-', '+'), /^ERR syntax error$/);
  await rejects(x('XPENDING', 'g:pend', 'grp', '-', '+', 'x'), /^ERR value is not an integer or out of range$/);
  await rejects(x('XPENDING', 'g:pend', 'grp', '(+', '+', '10'), /Invalid stream ID/);
  await rejects(x('XPENDING', 'g:pend', 'nogroup'), /^NOGROUP No such key 'g:pend' or consumer group 'nogroup'$/);
  await rejects(x('XPENDING', 'g:nokey', 'grp'), /^NOGROUP No such key 'g:nokey' or consumer group 'grp'$/);
});

test('XCLAIM: moves ownership, JUSTID does not count a delivery, RETRYCOUNT / FORCE / LASTID', async () => {
  await stream('g:claim', 3);
  await x('XREADGROUP', 'GROUP', 'grp', 'consumer1', 'COUNT', '1', 'STREAMS', 'g:claim', '>');
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer2', '0', '1-0'), [['1-0', ['f', 'v1']]]);
  let pel = (await x('XPENDING', 'g:claim', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(pel.map((p) => [p[0], p[1], p[3]]), [['1-0', 'consumer2', 2]]);
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer3', '0', '1-0', 'JUSTID'), ['1-0']);
  pel = (await x('XPENDING', 'g:claim', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(pel.map((p) => [p[1], p[3]]), [['consumer3', 2]]);
  // A long min-idle-time leaves a fresh entry alone.
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer4', '3600000', '1-0'), []);
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer3', '0', '1-0', 'RETRYCOUNT', '7', 'JUSTID'), ['1-0']);
  pel = (await x('XPENDING', 'g:claim', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(pel.map((p) => [p[0], p[1], p[3]]), [['1-0', 'consumer3', 7]]);
  // Not pending: only FORCE takes it, and only if the entry exists.
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer4', '0', '2-0'), []);
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer4', '0', '2-0', '9-0', 'FORCE', 'JUSTID'), ['2-0']);
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer4', '0', '3-0', 'TIME', '1', 'LASTID', '3-0', 'FORCE'), [['3-0', ['f', 'v3']]]);
  const [grp] = ((await x('XINFO', 'GROUPS', 'g:claim')) as unknown[]).map(fields);
  assert.is(grp['last-delivered-id'], '3-0');
  const times = (await x('XPENDING', 'g:claim', 'grp', '-', '+', '10')) as Pending[];
  assert.equal(times.map((p) => [p[0], p[1], p[3]]), [['1-0', 'consumer3', 7], ['2-0', 'consumer4', 1], ['3-0', 'consumer4', 2]]);
  assert.ok(times[2][2] > 1000000, 'TIME 1 set the delivery far in the past');

  // A pending entry whose stream entry is gone is dropped by the claim.
  await x('XDEL', 'g:claim', '2-0');
  assert.equal(await x('XCLAIM', 'g:claim', 'grp', 'consumer5', '0', '1-0', '2-0', '3-0', 'JUSTID'), ['1-0', '3-0']);
  assert.equal(((await x('XPENDING', 'g:claim', 'grp', '-', '+', '10')) as Pending[]).map((p) => p[0]), ['1-0', '3-0']);

  await rejects(x('XCLAIM', 'g:claim', 'grp', 'c', 'x', '1-0'), /^ERR Invalid min-idle-time argument for XCLAIM$/);
  await rejects(x('XCLAIM', 'g:claim', 'grp', 'c', '0', '1-0', 'IDLE', 'x'), /^ERR Invalid IDLE option argument for XCLAIM$/);
  await rejects(x('XCLAIM', 'g:claim', 'grp', 'c', '0', '1-0', 'TIME', 'x'), /^ERR Invalid TIME option argument for XCLAIM$/);
  await rejects(x('XCLAIM', 'g:claim', 'grp', 'c', '0', '1-0', 'RETRYCOUNT', 'x'), /^ERR Invalid RETRYCOUNT option argument for XCLAIM$/);
  await rejects(x('XCLAIM', 'g:claim', 'grp', 'c', '0', '1-0', 'BOGUS'), /^ERR Unrecognized XCLAIM option 'BOGUS'$/);
  await rejects(x('XCLAIM', 'g:claim', 'nogroup', 'c', '0', '1-0'), /^NOGROUP No such key 'g:claim' or consumer group 'nogroup'$/);
});

test('XAUTOCLAIM walks the PEL like a cursor and reports deleted entries', async () => {
  await stream('g:auto', 5);
  await x('XREADGROUP', 'GROUP', 'grp', 'consumer1', 'STREAMS', 'g:auto', '>');
  let reply = (await x('XAUTOCLAIM', 'g:auto', 'grp', 'consumer2', '0', '-', 'COUNT', '2')) as [string, Entry[], string[]];
  assert.equal(reply, ['3-0', [['1-0', ['f', 'v1']], ['2-0', ['f', 'v2']]], []]);
  reply = (await x('XAUTOCLAIM', 'g:auto', 'grp', 'consumer2', '0', reply[0], 'COUNT', '2')) as typeof reply;
  assert.equal(reply[0], '5-0');
  await x('XDEL', 'g:auto', '5-0');
  reply = (await x('XAUTOCLAIM', 'g:auto', 'grp', 'consumer2', '0', reply[0], 'COUNT', '2')) as typeof reply;
  assert.equal(reply, ['0-0', [], ['5-0']]);
  assert.equal(await x('XAUTOCLAIM', 'g:auto', 'grp', 'consumer3', '0', '(1-0', 'JUSTID'), ['0-0', ['2-0', '3-0', '4-0'], []]);
  assert.equal(await x('XAUTOCLAIM', 'g:auto', 'grp', 'consumer3', '3600000', '0'), ['0-0', [], []]);

  await x('XDEL', 'g:auto', '1-0', '2-0');
  assert.equal(await x('XAUTOCLAIM', 'g:auto', 'grp', 'bob', '0', '0-0', 'COUNT', '1'), ['2-0', [], ['1-0']]);
  assert.equal(await x('XAUTOCLAIM', 'g:auto', 'grp', 'bob', '0', '2-0', 'COUNT', '1'), ['3-0', [], ['2-0']]);
  assert.equal(await x('XAUTOCLAIM', 'g:auto', 'grp', 'bob', '0', '3-0', 'COUNT', '1'), ['4-0', [['3-0', ['f', 'v3']]], []]);

  await rejects(x('XAUTOCLAIM', 'g:auto', 'grp', 'c', '0', '0', 'COUNT', '0'), /^ERR COUNT must be > 0$/);
  await rejects(x('XAUTOCLAIM', 'g:auto', 'grp', 'c', '0', '0', 'COUNT', '8070450532247928833'), /^ERR COUNT must be > 0$/);
  await rejects(x('XAUTOCLAIM', 'g:auto', 'grp', 'c', 'x', '0'), /^ERR Invalid min-idle-time argument for XAUTOCLAIM$/);
  await rejects(x('XAUTOCLAIM', 'g:auto', 'grp', 'c', '0', '0', 'FOO'), /^ERR syntax error$/);
  await rejects(x('XAUTOCLAIM', 'g:auto', 'grp', 'c', '0', '(18446744073709551615-18446744073709551615'), /^ERR invalid start ID for the interval$/);
  await rejects(x('XAUTOCLAIM', 'g:auto', 'nogroup', 'c', '0', '0'), /^NOGROUP No such key 'g:auto' or consumer group 'nogroup'$/);
});

test('XGROUP SETID re-delivers, DESTROY, CREATECONSUMER and DELCONSUMER', async () => {
  for (let i = 1; i <= 4; i++) await x('XADD', 'g:admin', `${i}-0`, 'f', 'v');
  await x('XGROUP', 'CREATE', 'g:admin', 'g1', '$');
  await x('XADD', 'g:admin', '5-0', 'f', 'v');
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'g1', 'c1', 'STREAMS', 'g:admin', '>')), ['5-0']);
  assert.is(await x('XGROUP', 'SETID', 'g:admin', 'g1', '-'), 'OK');
  // 5-0 was c1's; delivering it to c2 moves it.
  assert.equal(readIds(await x('XREADGROUP', 'GROUP', 'g1', 'c2', 'STREAMS', 'g:admin', '>')), ['1-0', '2-0', '3-0', '4-0', '5-0']);
  assert.equal(await x('XPENDING', 'g:admin', 'g1'), [5, '1-0', '5-0', [['c2', '5']]]);

  assert.is(await x('XGROUP', 'CREATECONSUMER', 'g:admin', 'g1', 'c1'), 0);
  assert.is(await x('XGROUP', 'CREATECONSUMER', 'g:admin', 'g1', 'c3'), 1);
  assert.equal(((await x('XINFO', 'CONSUMERS', 'g:admin', 'g1')) as unknown[]).map(fields).map((c) => [c.name, c.pending]),
    [['c1', 0], ['c2', 5], ['c3', 0]]);
  assert.is(await x('XGROUP', 'DELCONSUMER', 'g:admin', 'g1', 'c2'), 5);
  assert.is(await x('XGROUP', 'DELCONSUMER', 'g:admin', 'g1', 'c2'), 0);
  assert.equal(await x('XPENDING', 'g:admin', 'g1'), [0, null, null, null]);
  assert.is(await x('XGROUP', 'SETID', 'g:admin', 'g1', '$', 'ENTRIESREAD', '5'), 'OK');
  assert.equal(((await x('XINFO', 'GROUPS', 'g:admin')) as unknown[]).map(fields).map((g) => [g['last-delivered-id'], g['entries-read'], g.lag]), [['5-0', 5, 0]]);

  await rejects(x('XGROUP', 'SETID', 'g:admin', 'nog', '0'), /^NOGROUP No such consumer group 'nog' for key name 'g:admin'$/);
  await rejects(x('XGROUP', 'CREATECONSUMER', 'g:admin', 'nog', 'c'), /^NOGROUP No such consumer group 'nog' for key name 'g:admin'$/);
  await rejects(x('XGROUP', 'SETID', 'g:admin', 'g1', '0', 'MKSTREAM'), /^ERR unknown subcommand or wrong number of arguments for 'SETID'\. Try XGROUP HELP\.$/);
  assert.is(await x('XGROUP', 'DESTROY', 'g:admin', 'g1'), 1);
  assert.is(await x('XGROUP', 'DESTROY', 'g:admin', 'g1'), 0);
  assert.equal(await x('XINFO', 'GROUPS', 'g:admin'), []);
});

test('entries-read and lag follow reads, deletions and trimming as in Redis', async () => {
  for (let i = 1; i <= 5; i++) await x('XADD', 'g:lag', `${i}-0`, 'data', String(i));
  await x('XGROUP', 'CREATE', 'g:lag', 'g1', '0');
  const lag = async () => ((await x('XINFO', 'GROUPS', 'g:lag')) as unknown[]).map(fields).map((g) => [g['entries-read'], g.lag]);
  assert.equal(await lag(), [[null, 5]]);
  await x('XREADGROUP', 'GROUP', 'g1', 'c', 'COUNT', '1', 'STREAMS', 'g:lag', '>');
  assert.equal(await lag(), [[1, 4]]);
  await x('XREADGROUP', 'GROUP', 'g1', 'c', 'COUNT', '10', 'STREAMS', 'g:lag', '>');
  assert.equal(await lag(), [[5, 0]]);
  await x('XADD', 'g:lag', '6-0', 'data', '6');
  assert.equal(await lag(), [[5, 1]]);

  // A tombstone ahead of the group makes the lag unknown until the group passes it.
  for (let i = 1; i <= 5; i++) await x('XADD', 'g:lag2', `${i}-0`, 'data', String(i));
  await x('XDEL', 'g:lag2', '3-0');
  await x('XGROUP', 'CREATE', 'g:lag2', 'g1', '0');
  await x('XGROUP', 'CREATE', 'g:lag2', 'g2', '0');
  const lag2 = async () => ((await x('XINFO', 'GROUPS', 'g:lag2')) as unknown[]).map(fields).map((g) => [g['entries-read'], g.lag]);
  assert.equal(await lag2(), [[null, null], [null, null]]);
  for (let i = 0; i < 3; i++) await x('XREADGROUP', 'GROUP', 'g1', 'c', 'COUNT', '1', 'STREAMS', 'g:lag2', '>');
  assert.equal(await lag2(), [[null, null], [null, null]]);
  await x('XREADGROUP', 'GROUP', 'g1', 'c', 'COUNT', '1', 'STREAMS', 'g:lag2', '>');
  assert.equal(await lag2(), [[5, 0], [null, null]]);
  await x('XADD', 'g:lag2', '6-0', 'data', 'f');
  await x('XTRIM', 'g:lag2', 'MINID', '=', '3-0');
  assert.equal(await lag2(), [[5, 1], [null, 3]]);
  await x('XTRIM', 'g:lag2', 'MINID', '=', '5-0');
  assert.equal(await lag2(), [[5, 1], [null, 2]]);
});

test('XINFO STREAM FULL lists groups, their PEL and consumers', async () => {
  for (const [id, f] of [['100', 'a'], ['101', 'b'], ['102', 'c'], ['103', 'e'], ['104', 'f']]) await x('XADD', 'g:full', id, f, '1');
  await x('XGROUP', 'CREATE', 'g:full', 'g1', '0');
  await x('XGROUP', 'CREATE', 'g:full', 'g2', '0');
  await x('XREADGROUP', 'GROUP', 'g1', 'Alice', 'COUNT', '1', 'STREAMS', 'g:full', '>');
  await x('XREADGROUP', 'GROUP', 'g1', 'Bob', 'COUNT', '1', 'STREAMS', 'g:full', '>');
  await x('XREADGROUP', 'GROUP', 'g1', 'Bob', 'NOACK', 'COUNT', '1', 'STREAMS', 'g:full', '>');
  await x('XREADGROUP', 'GROUP', 'g2', 'Charlie', 'COUNT', '4', 'STREAMS', 'g:full', '>');
  await x('XDEL', 'g:full', '103');

  const info = fields(await x('XINFO', 'STREAM', 'g:full', 'FULL'));
  assert.is(info.length, 4);
  assert.equal((info.entries as Entry[]).map((e) => e[0]), ['100-0', '101-0', '102-0', '104-0']);
  const [g1, g2] = (info.groups as unknown[]).map(fields);
  assert.equal([g1.name, g1['last-delivered-id'], g1['entries-read'], g1.lag, g1['pel-count']], ['g1', '102-0', 3, null, 2], 'a tombstone ahead: lag unknown');
  assert.equal((g1.pending as Pending[]).map((p) => [p[0], p[1], p[3]]), [['100-0', 'Alice', 1], ['101-0', 'Bob', 1]]);
  const consumers = (g1.consumers as unknown[]).map(fields);
  assert.equal(consumers.map((c) => [c.name, c['pel-count']]), [['Alice', 1], ['Bob', 1]]);
  assert.equal((consumers[0].pending as [string, number, number][]).map((p) => [p[0], p[2]]), [['100-0', 1]]);
  assert.ok(typeof consumers[0]['seen-time'] === 'number');
  const charlie = fields((g2.consumers as unknown[])[0]);
  assert.equal((charlie.pending as [string, number, number][]).map((p) => p[0]), ['100-0', '101-0', '102-0', '103-0']);

  const limited = fields(await x('XINFO', 'STREAM', 'g:full', 'FULL', 'COUNT', '1'));
  assert.equal((limited.entries as Entry[]).map((e) => e[0]), ['100-0']);
  assert.is((fields((limited.groups as unknown[])[1]).pending as unknown[]).length, 1);
  await rejects(x('XINFO', 'CONSUMERS', 'g:full', 'nog'), /^NOGROUP No such consumer group 'nog' for key name 'g:full'$/);
});

test.run();
