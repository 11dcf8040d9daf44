// Stream commands without consumer groups, through a real client (ioredis) against gearsd.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { rejects } from './helpers/assert.js';
import { gearsdForSuite } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

type Entry = [string, string[]];
const x = (...args: (string | number)[]) => ctx.redis.call(args[0] as string, ...args.slice(1));
const ids = (entries: unknown) => (entries as Entry[]).map((e) => e[0]);

/** Adds n entries with ids 1-0 .. n-0 and one field "i" = index. */
async function fill(key: string, n: number, from = 1): Promise<void> {
  const p = ctx.redis.pipeline();
  for (let i = from; i < from + n; i++) p.xadd(key, `${i}-0`, 'i', String(i));
  await p.exec();
}

test('XADD appends entries that XRANGE returns with their fields, binary safe', async () => {
  const id1 = await ctx.redis.xadd('s:basic', '*', 'item', '1', 'value', 'a');
  const id2 = await ctx.redis.xadd('s:basic', '*', 'item', '2', 'value', 'b');
  assert.match(id1!, /^\d+-\d+$/);
  assert.ok(id2! > id1! || id2!.length > id1!.length);
  assert.is(await ctx.redis.xlen('s:basic'), 2);
  assert.equal(await ctx.redis.xrange('s:basic', '-', '+'), [
    [id1, ['item', '1', 'value', 'a']],
    [id2, ['item', '2', 'value', 'b']],
  ]);
  const bin = Buffer.from([0, 1, 13, 10, 255]);
  await ctx.redis.xadd(Buffer.from('s:bin'), '1-1', bin, bin);
  const [[, fields]] = (await ctx.redis.xrangeBuffer('s:bin', '-', '+')) as unknown as [Buffer, Buffer[]][];
  assert.equal(fields, [bin, bin]);
});

test('XADD id rules: explicit ids, ms-*, increasing ids, 0-0, exhaustion', async () => {
  assert.is(await x('XADD', 's:id', '123-456', 'a', '1'), '123-456');
  assert.is(await x('XADD', 's:id', '123-*', 'a', '2'), '123-457');
  assert.is(await x('XADD', 's:id', '789-*', 'a', '3'), '789-0');
  assert.is(await x('XADD', 's:id', '790', 'a', '4'), '790-0', 'a bare ms means seq 0');
  await rejects(x('XADD', 's:id', '42-*', 'a', '5'), /^ERR The ID specified in XADD is equal or smaller than the target stream top item$/);
  await rejects(x('XADD', 's:id', '790-0', 'a', '5'), /equal or smaller/);
  const auto = (await x('XADD', 's:id', '*', 'a', '6')) as string;
  assert.ok(Number(auto.split('-')[0]) > 790);

  await rejects(x('XADD', 's:zero', '0-0', 'k', 'v'), /^ERR The ID specified in XADD must be greater than 0-0$/);
  assert.is(await ctx.redis.exists('s:zero').catch(() => 0), 0);
  assert.is(await x('XADD', 's:zero', '0-*', 'k', 'v'), '0-1');

  await x('XADD', 's:max', '18446744073709551615-18446744073709551615', 'a', 'b');
  await rejects(x('XADD', 's:max', '*', 'c', 'd'), /^ERR The stream has exhausted the last possible ID, unable to add more items$/);
  await x('XADD', 's:seq', '1-18446744073709551615', 'a', 'b');
  await rejects(x('XADD', 's:seq', '1-*', 'c', 'd'), /^ERR Elements are too large to be stored$/);
  assert.is(await x('XADD', 's:seq', '2-*', 'c', 'd'), '2-0');

  // The id after the largest sequence of a ms is the next ms.
  await x('XADD', 's:edge', '2577343934890-18446744073709551615', 'f', 'v');
  assert.is(await x('XADD', 's:edge', '*', 'f2', 'v2'), '2577343934891-0');

  for (const bad of ['+', '-', 'foo', '1-2-3', '-1', '1-']) {
    await rejects(x('XADD', 's:id', bad, 'a', 'b'), /^ERR Invalid stream ID specified as stream command argument$/);
  }
});

test('XADD NOMKSTREAM does not create the key', async () => {
  assert.is(await x('XADD', 's:nomk', 'NOMKSTREAM', '*', 'a', 'b'), null);
  assert.is(await ctx.redis.xlen('s:nomk'), 0);
  await x('XADD', 's:nomk', '1-1', 'a', 'b');
  assert.is(await x('XADD', 's:nomk', 'NOMKSTREAM', '2-1', 'a', 'c'), '2-1');
  assert.is(await ctx.redis.xlen('s:nomk'), 2);
});

test('XADD MAXLEN and MINID trim exactly, with ~ only whole nodes, LIMIT caps the work', async () => {
  for (let j = 0; j < 100; j++) await x('XADD', 's:maxlen', 'MAXLEN', '5', '*', 'xitem', String(j));
  assert.is(await ctx.redis.xlen('s:maxlen'), 5);
  assert.equal(((await ctx.redis.xrange('s:maxlen', '-', '+')) as Entry[]).map((e) => e[1][1]), ['95', '96', '97', '98', '99']);

  // 100 entries per node by default: 1000 entries trimmed with ~ 555 keep 6 nodes.
  const p = ctx.redis.pipeline();
  for (let j = 0; j < 1000; j++) p.call('XADD', 's:approx', 'MAXLEN', '~', '555', '*', 'xitem', String(j));
  await p.exec();
  assert.is(await ctx.redis.xlen('s:approx'), 600);

  for (let j = 1; j <= 20; j++) await x('XADD', 's:minid', 'MINID', String(Math.max(0, j - 5)), `${j}-0`, 'i', String(j));
  assert.equal(ids(await ctx.redis.xrange('s:minid', '-', '+')), ['15-0', '16-0', '17-0', '18-0', '19-0', '20-0']);

  await x('XADD', 's:limit', '1-0', 'x', 'v');
  await x('XADD', 's:limit', '2-0', 'x', 'v');
  await x('XADD', 's:limit', '3-0', 'x', 'v');
  await x('XADD', 's:limit', 'MAXLEN', '~', '0', 'LIMIT', '1', '4-0', 'x', 'v');
  assert.is(await ctx.redis.xlen('s:limit'), 4, 'a LIMIT below one node removes nothing');
  await x('XADD', 's:limit', 'MAXLEN', '0', '5-0', 'x', 'v');
  assert.is(await ctx.redis.xlen('s:limit'), 0, 'MAXLEN 0 can leave an empty stream');
  assert.is(await ctx.redis.exists('s:limit').catch(() => 1), 1);
});

test('XADD option errors', async () => {
  await rejects(x('XADD', 's:opt', 'MAXLEN', '-1', '*', 'a', 'b'), /^ERR The MAXLEN argument must be >= 0\.$/);
  await rejects(x('XADD', 's:opt', 'MAXLEN', 'abc', '*', 'a', 'b'), /^ERR value is not an integer or out of range$/);
  await rejects(x('XADD', 's:opt', 'LIMIT', '5', '*', 'a', 'b'), /^ERR syntax error, LIMIT cannot be used without specifying a trimming strategy$/);
  await rejects(x('XADD', 's:opt', 'MAXLEN', '5', 'LIMIT', '5', '*', 'a', 'b'), /^ERR syntax error, LIMIT cannot be used without the special ~ option$/);
  await rejects(x('XADD', 's:opt', 'MAXLEN', '~', '5', 'LIMIT', '-1', '*', 'a', 'b'), /^ERR The LIMIT argument must be >= 0\.$/);
  await rejects(x('XADD', 's:opt', 'MAXLEN', '5', 'MINID', '5', '*', 'a', 'b'), /^ERR syntax error, MAXLEN and MINID options at the same time are not compatible$/);
  await rejects(x('XADD', 's:opt', 'MINID', '+', '*', 'a', 'b'), /Invalid stream ID/);
  for (const argv of [['s:opt'], ['s:opt', '*'], ['s:opt', '*', 'field'], ['s:opt', '*', 'a', 'b', 'c'], ['s:opt', 'MAXLEN', '5', '*']]) {
    await rejects(x('XADD', ...argv), /^ERR wrong number of arguments for 'xadd' command$/);
  }
});

test('XRANGE and XREVRANGE: - and +, incomplete ids, exclusive bounds, COUNT', async () => {
  const all = ['0-1', '0-18446744073709551615', '1-0', '42-0', '42-42', '18446744073709551615-18446744073709551614', '18446744073709551615-18446744073709551615'];
  for (const id of all) await x('XADD', 's:range', id, 'foo', 'bar');
  assert.equal(ids(await ctx.redis.xrange('s:range', '-', '+')), all);
  assert.equal(ids(await ctx.redis.xrevrange('s:range', '+', '-')), [...all].reverse());
  assert.equal(ids(await ctx.redis.xrange('s:range', '42', '42')), ['42-0', '42-42'], 'an incomplete end means its last sequence');
  assert.equal(ids(await ctx.redis.xrange('s:range', '(0-1', '(1-0')), ['0-18446744073709551615']);
  assert.equal(ids(await ctx.redis.xrange('s:range', '(1-0', '(42-42')), ['42-0']);
  assert.equal(ids(await ctx.redis.xrevrange('s:range', '(42-42', '(1-0')), ['42-0']);
  assert.equal(ids(await ctx.redis.xrange('s:range', '-', '+', 'COUNT', 2)), ['0-1', '0-18446744073709551615']);
  assert.equal(ids(await ctx.redis.xrevrange('s:range', '+', '-', 'COUNT', 1)), ['18446744073709551615-18446744073709551615']);
  assert.is(await x('XRANGE', 's:range', '-', '+', 'COUNT', '0'), null, 'COUNT 0 is a nil reply');
  assert.equal(await x('XRANGE', 's:range', '+', '-'), []);
  assert.equal(await x('XRANGE', 's:nokey', '-', '+'), []);

  await rejects(x('XRANGE', 's:range', '(-', '+'), /^ERR Invalid stream ID specified as stream command argument$/);
  await rejects(x('XRANGE', 's:range', '-', '(+'), /Invalid stream ID/);
  await rejects(x('XRANGE', 's:range', '(18446744073709551615-18446744073709551615', '+'), /^ERR invalid start ID for the interval$/);
  await rejects(x('XRANGE', 's:range', '-', '(0-0'), /^ERR invalid end ID for the interval$/);
  await rejects(x('XRANGE', 's:range', '-', '+', 'COUNT'), /^ERR syntax error$/);
  await rejects(x('XRANGE', 's:range', '-', '+', 'COUNT', 'x'), /^ERR value is not an integer or out of range$/);
  await rejects(x('XRANGE', 's:range', '-'), /^ERR wrong number of arguments for 'xrange' command$/);
});

test('XRANGE walks a long stream in pages, XREVRANGE is its reverse', async () => {
  await fill('s:pages', 1050);
  let last = '-';
  let seen = 0;
  for (;;) {
    const page = (await ctx.redis.xrange('s:pages', last, '+', 'COUNT', 100)) as Entry[];
    if (page.length === 0) break;
    for (const [, f] of page) assert.is(f[1], String(++seen));
    last = `(${page[page.length - 1][0]}`;
  }
  assert.is(seen, 1050);
  const fwd = await ctx.redis.xrange('s:pages', '-', '+');
  assert.equal(await ctx.redis.xrevrange('s:pages', '+', '-'), (fwd as Entry[]).reverse());
});

test('XDEL removes entries; the emptied stream stays, and its last id still counts', async () => {
  await fill('s:del', 3);
  assert.is(await x('XDEL', 's:del', '2-0', '2-0', '9-0'), 1);
  assert.equal(ids(await ctx.redis.xrange('s:del', '-', '+')), ['1-0', '3-0']);
  assert.is(await x('XDEL', 's:del', '1-0', '3-0'), 2);
  assert.is(await ctx.redis.xlen('s:del'), 0);
  await rejects(x('XADD', 's:del', '3-0', 'a', 'b'), /equal or smaller/);
  await rejects(x('XDEL', 's:del', '1-0', 'bad'), /Invalid stream ID/);
  assert.is(await x('XDEL', 's:nokey', '1-0'), 0);
});

test('XDEL of every entry in random order keeps the stream consistent', async () => {
  await fill('s:delfuzz', 2500);
  const order = Array.from({ length: 2500 }, (_, i) => i + 1);
  let seed = 7;
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let left = 2500;
  for (const n of order) {
    assert.is(await x('XDEL', 's:delfuzz', `${n}-0`), 1);
    left--;
    if (left % 500 === 0) {
      assert.is(await ctx.redis.xlen('s:delfuzz'), left);
      assert.is(((await ctx.redis.xrange('s:delfuzz', '-', '+')) as Entry[]).length, left);
    }
  }
});

test('XTRIM: MAXLEN and MINID, exact and ~, LIMIT', async () => {
  await fill('s:trim', 1000);
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '666'), 334);
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '=', '555'), 111);
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '~', '444'), 55, 'only whole nodes go');
  assert.is(await ctx.redis.xlen('s:trim'), 500);
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '~', '400'), 100);
  assert.is(await x('XTRIM', 's:trim', 'MINID', '700'), 99);
  assert.equal(ids(await ctx.redis.xrange('s:trim', '-', '+', 'COUNT', 1)), ['700-0']);
  assert.is(await x('XTRIM', 's:trim', 'MINID', '~', '850'), 101, 'whole nodes: the one left holding 700, and 701..800');
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '~', '0', 'LIMIT', '99'), 0, 'a node does not fit the limit');
  assert.is(await x('XTRIM', 's:trim', 'MAXLEN', '~', '0', 'LIMIT', '100'), 100);
  assert.is(await x('XTRIM', 's:nokey', 'MAXLEN', '0'), 0);

  await rejects(x('XTRIM', 's:trim', 'foo', 'bar'), /^ERR syntax error$/);
  await rejects(x('XTRIM', 's:trim', 'LIMIT', '0', 'x'), /^ERR syntax error$/);
  await rejects(x('XTRIM', 's:trim', 'MAXLEN', '1', 'LIMIT', '30'), /^ERR syntax error, LIMIT cannot be used without the special ~ option$/);
  await rejects(x('XTRIM', 's:trim', 'LIMIT', '0', 'LIMIT', '0'), /^ERR syntax error, XTRIM must be called with a trimming strategy$/);
  await rejects(x('XTRIM', 's:trim', 'MAXLEN'), /^ERR wrong number of arguments for 'xtrim' command$/);
});

test('XREAD: from ids, several streams, COUNT, $ and BLOCK when data is already there', async () => {
  await fill('s:read1', 3);
  await fill('s:read2', 2, 10);
  assert.equal(await x('XREAD', 'COUNT', '2', 'STREAMS', 's:read1', 's:nokey', 's:read2', '0', '0', '10-0'), [
    ['s:read1', [['1-0', ['i', '1']], ['2-0', ['i', '2']]]],
    ['s:read2', [['11-0', ['i', '11']]]],
  ]);
  assert.is(await x('XREAD', 'STREAMS', 's:read1', 's:nokey', '$', '0'), null);
  assert.is(await x('XREAD', 'STREAMS', 's:read1', '3-0'), null);
  // With something to read, BLOCK does not wait.
  assert.equal(await x('XREAD', 'BLOCK', '0', 'STREAMS', 's:read1', '2-0'), [['s:read1', [['3-0', ['i', '3']]]]]);
  // A deleted entry beyond the id is not something to read.
  await x('XDEL', 's:read1', '3-0');
  assert.is(await x('XREAD', 'STREAMS', 's:read1', '2-0'), null);

  await rejects(x('XREAD', 'STREAMS', 's:read1'), /^ERR wrong number of arguments for 'xread' command$/);
  await rejects(x('XREAD', 'STREAMS', 's:read1', 's:read2', '0'), /^ERR Unbalanced XREAD list of streams: for each stream key an ID or '\$' must be specified\.$/);
  await rejects(x('XREAD', 'COUNT', '1', 'STREAMX', 's:read1', '0'), /^ERR syntax error$/);
  await rejects(x('XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's:read1', '0'), /^ERR The GROUP option is only supported by XREADGROUP\. You called XREAD instead\.$/);
  await rejects(x('XREAD', 'NOACK', 'STREAMS', 's:read1', '0'), /^ERR The NOACK option is only supported by XREADGROUP/);
  await rejects(x('XREAD', 'STREAMS', 's:read1', '>'), /^ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option\.$/);
  await rejects(x('XREAD', 'BLOCK', 'x', 'STREAMS', 's:read1', '0'), /^ERR timeout is not an integer or out of range$/);
  await rejects(x('XREAD', 'BLOCK', '-1', 'STREAMS', 's:read1', '0'), /^ERR timeout is negative$/);
  await rejects(x('XREAD', 'COUNT', 'x', 'STREAMS', 's:read1', '0'), /^ERR value is not an integer or out of range$/);
  await rejects(x('XREAD', 'STREAMS', 's:read1', '+'), /Invalid stream ID/);
});

test('XSETID moves the last id and the counters XINFO shows', async () => {
  await x('XADD', 's:setid', 'MAXLEN', '0', '*', 'a', 'b');
  assert.is(await x('XSETID', 's:setid', '200-0'), 'OK');
  let info = (await x('XINFO', 'STREAM', 's:setid')) as unknown[];
  assert.is(info[info.indexOf('last-generated-id') + 1], '200-0');
  assert.is(info[info.indexOf('entries-added') + 1], 1);
  await x('XADD', 's:setid', '300-0', 'a', 'b');
  await rejects(x('XSETID', 's:setid', '1-1'), /^ERR The ID specified in XSETID is smaller than the target stream top item$/);
  await rejects(x('XSETID', 's:setid', '400-0', 'ENTRIESADDED', '0'), /^ERR The entries_added specified in XSETID is smaller than the target stream length$/);
  await rejects(x('XSETID', 's:setid', '400-0', 'ENTRIESADDED', '-1', 'MAXDELETEDID', '0-0'), /^ERR entries_added must be positive$/);
  await rejects(x('XSETID', 's:setid', '400-0', 'MAXDELETEDID', '500-0'), /^ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id$/);
  await rejects(x('XSETID', 's:setid', '400-0', '0'), /^ERR syntax error$/);
  await rejects(x('XSETID', 's:nokey', '1-1'), /^ERR no such key$/);
  assert.is(await x('XSETID', 's:setid', '400-0', 'ENTRIESADDED', '50', 'MAXDELETEDID', '350-0'), 'OK');
  info = (await x('XINFO', 'STREAM', 's:setid')) as unknown[];
  assert.is(info[info.indexOf('max-deleted-entry-id') + 1], '350-0');
  assert.is(info[info.indexOf('entries-added') + 1], 50);
});

test('XINFO STREAM, its FULL form and the recorded first id', async () => {
  for (let i = 1; i <= 5; i++) await x('XADD', 's:info', `${i}-0`, 'data', String(i));
  await x('XDEL', 's:info', '2-0');
  await x('XDEL', 's:info', '1-0');
  assert.equal(await x('XINFO', 'STREAM', 's:info'), [
    'length', 3, 'radix-tree-keys', 1, 'radix-tree-nodes', 2, 'last-generated-id', '5-0',
    'max-deleted-entry-id', '2-0', 'entries-added', 5, 'recorded-first-entry-id', '3-0', 'groups', 0,
    'first-entry', ['3-0', ['data', '3']], 'last-entry', ['5-0', ['data', '5']],
  ]);
  await x('XTRIM', 's:info', 'MAXLEN', '=', '2');
  const full = (await x('XINFO', 'STREAM', 's:info', 'FULL')) as unknown[];
  assert.is(full.length, 18);
  assert.is(full[full.indexOf('recorded-first-entry-id') + 1], '4-0');
  assert.equal(full[full.indexOf('entries') + 1], [['4-0', ['data', '4']], ['5-0', ['data', '5']]]);
  const one = (await x('XINFO', 'STREAM', 's:info', 'FULL', 'COUNT', '1')) as unknown[];
  assert.equal(one[one.indexOf('entries') + 1], [['4-0', ['data', '4']]]);
  await x('XADD', 's:infoempty', 'MAXLEN', '0', '1-1', 'a', 'b');
  const empty = (await x('XINFO', 'STREAM', 's:infoempty')) as unknown[];
  assert.is(empty[empty.indexOf('first-entry') + 1], null);

  await rejects(x('XINFO', 'STREAM', 's:nokey'), /^ERR no such key$/);
  await rejects(x('XINFO', 'STREAM', 's:info', 'FULL', 'x'), /^ERR unknown subcommand or wrong number of arguments for 'STREAM'\. Try XINFO HELP\.$/);
  await rejects(x('XINFO', 'STREAM', 's:info', 'FULL', 'COUNT', 'x'), /^ERR value is not an integer or out of range$/);
  await rejects(x('XINFO', 'NOPE', 's:info'), /^ERR unknown subcommand 'NOPE'\. Try XINFO HELP\.$/);
  await rejects(x('XINFO', 'HELP', 'xxx'), /^ERR wrong number of arguments for 'xinfo\|help' command$/);
  const help = (await x('XINFO', 'HELP')) as string[];
  assert.is(help[0], 'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assert.is(help[help.length - 2], 'HELP');
});

test('every stream command refuses a key of another type', async () => {
  await ctx.redis.set('s:string', 'x');
  const wrong = /^WRONGTYPE Operation against a key holding the wrong kind of value$/;
  for (const argv of [
    ['XADD', 's:string', '*', 'a', 'b'], ['XLEN', 's:string'], ['XRANGE', 's:string', '-', '+'],
    ['XREVRANGE', 's:string', '+', '-'], ['XDEL', 's:string', '1-1'], ['XTRIM', 's:string', 'MAXLEN', '0'],
    ['XREAD', 'STREAMS', 's:string', '0'], ['XSETID', 's:string', '1-1'], ['XINFO', 'STREAM', 's:string'],
    ['XINFO', 'GROUPS', 's:string'], ['XGROUP', 'CREATE', 's:string', 'g', '$', 'MKSTREAM'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's:string', '>'], ['XACK', 's:string', 'g', '1-1'],
    ['XPENDING', 's:string', 'g'], ['XCLAIM', 's:string', 'g', 'c', '0', '1-1'], ['XAUTOCLAIM', 's:string', 'g', 'c', '0', '0'],
  ]) {
    await rejects(x(...argv), wrong);
  }
});

test('arity comes from the command table', async () => {
  for (const [cmd, argv] of [
    ['xlen', []], ['xrange', ['k', '-']], ['xrevrange', ['k']], ['xdel', ['k']], ['xtrim', ['k', 'MAXLEN']],
    ['xread', ['STREAMS', 'k']], ['xreadgroup', ['GROUP', 'g', 'c', 'STREAMS', 'k']], ['xack', ['k', 'g']],
    ['xpending', ['k']], ['xclaim', ['k', 'g', 'c', '0']], ['xautoclaim', ['k', 'g', 'c', '0']], ['xsetid', ['k']],
    ['xgroup', []], ['xinfo', []],
  ] as [string, string[]][]) {
    await rejects(x(cmd.toUpperCase(), ...argv), new RegExp(`^ERR wrong number of arguments for '${cmd}' command$`));
  }
});

test.run();
