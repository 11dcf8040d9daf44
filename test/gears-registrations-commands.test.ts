// CommandReader registrations (GEARS_API.md §5.6, RG.TRIGGER / RG.TRIGGERONKEY) and KeysReader's
// commands= with override_reply() (§5.1): triggers in each mode, in order, their errors; hooks
// with call_next and keyprefix; a client held until the executions its command fired are done.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { registerId, registration, registrations } from './helpers/registrations.js';
import { decodeReply, type Reply } from './helpers/resp.js';
import { RawClient } from './helpers/raw-client.js';
import { rawGearsdForSuite } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

async function call(...args: string[]): Promise<string> {
  return (await ctx.c.call(...args)).toString();
}

async function unregisterAll(): Promise<void> {
  for (const r of await registrations(ctx.c)) await call('RG.UNREGISTER', r.id);
}

test('RG.TRIGGER: the record is [trigger, args...]; sync and async reply with the results', async () => {
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: '|'.join(r)).register(trigger='echo', mode='sync')");
  assert.is(await call('RG.TRIGGER', 'echo', 'a', 'b'), '*1\r\n$8\r\necho|a|b\r\n');
  const id = await registerId(ctx.c, "GB('CommandReader').map(lambda r: r[1:]).register(trigger='spread', convertToStr=False)");
  assert.is(await call('RG.TRIGGER', 'spread', 'x', 'y'), '*1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
  assert.is(await call('RG.TRIGGERONKEY', 'spread', 'k', 'v'), '*1\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
  const reg = await registration(ctx.c, id);
  assert.is(reg.reader, 'CommandReader');
  assert.is((reg.raw[7] as Reply[]).length, 20);
  assert.equal(reg.data.args, ['trigger', 'spread', 'inorder', 0]);
  assert.is(reg.data.numSuccess, 2);
  // the executions are dropped once they replied
  assert.equal((decodeReply(await ctx.c.call('RG.DUMPEXECUTIONS')) as Reply[]).length, 0);
  await unregisterAll();
});

test('RG.TRIGGER errors: unknown (case-sensitive), the first error, arity, taken names', async () => {
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: 1/0).register(trigger='Bad', mode='sync')");
  assert.is(await call('RG.TRIGGER', 'bad'), '-ERR subcommand not found\r\n');
  assert.match(await call('RG.TRIGGER', 'Bad'), /^-\['Traceback.*ZeroDivisionError/);
  assert.is(await call('RG.TRIGGER'), "-ERR wrong number of arguments for 'rg.trigger' command\r\n");
  assert.match(await call('RG.PYEXECUTE', "GB('CommandReader').register(trigger='Bad')"), /gears\.error: trigger already registered\\n/);
  assert.match(await call('RG.PYEXECUTE', "GB('CommandReader').register(trigger='t2')\nGB('CommandReader').register(trigger='t2')"),
    /gears\.error: trigger already registered in this session\\n/);
  assert.match(await call('RG.PYEXECUTE', "GB('CommandReader').register()"), /gears\.error: no trigger or hook argument was given\\n/);
  assert.match(await call('RG.PYEXECUTE', "GB('CommandReader').register(trigger='x', hook='get')"),
    /gears\.error: trigger argument can not be given with keyprefix or hook\\n/);
  assert.match(await call('RG.PYEXECUTE', "GB('CommandReader').register(hook='nosuchcmd')"), /gears\.error: Can not override an unexisting command\\n/);
  // a non-sync trigger cannot block inside MULTI
  await registerId(ctx.c, "GB('CommandReader').register(trigger='later')");
  ctx.c.write('MULTI\r\nRG.TRIGGER later\r\nEXEC\r\n');
  await ctx.c.next();
  await ctx.c.next();
  assert.is((await ctx.c.next()).toString(),
    '*1\r\n-ERR can not run a non-sync execution inside a MULTI/LUA (blocking is not allowed) or on loading.\r\n');
  await unregisterAll();
});

test('an upgraded session may take its own trigger again', async () => {
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: 'v1').register(trigger='ver', mode='sync')", 'ID', 'trig');
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: 'v2').register(trigger='ver', mode='sync')", 'ID', 'trig', 'UPGRADE');
  assert.is(await call('RG.TRIGGER', 'ver'), '*1\r\n$2\r\nv2\r\n');
  await unregisterAll();
});

test('inorder: async_local executions of one trigger run in arrival order', async () => {
  await registerId(ctx.c, "GB('CommandReader').foreach(lambda r: execute('RPUSH', 'io:log', r[1])).register(trigger='io', mode='async_local', inorder=True)");
  const conns = await Promise.all([0, 1, 2, 3].map(() => RawClient.connect(ctx.server.port)));
  // one client pipelines: its triggers arrive in this order
  const n = 30;
  let pipe = '';
  for (let i = 0; i < n; i++) pipe += `*3\r\n$10\r\nRG.TRIGGER\r\n$2\r\nio\r\n$${String(i).length}\r\n${i}\r\n`;
  conns[0].write(pipe);
  for (let i = 0; i < n; i++) await conns[0].next();
  assert.equal(decodeReply(await ctx.c.call('LRANGE', 'io:log', '0', '-1')), Array.from({ length: n }, (_, i) => String(i)));
  for (const k of conns) k.close();
  await unregisterAll();
});

test('hook: the command is served by the execution; call_next runs the command; keyprefix', async () => {
  await registerId(ctx.c,
    "def h(r):\n    v = call_next(*r[1:])\n    return ('hooked:' + v) if v else v\n" +
    "GB('CommandReader').map(h).register(hook='get', keyprefix='hk:', mode='sync', convertToStr=False)");
  await call('SET', 'hk:a', '1');
  await call('SET', 'other', '2');
  assert.is(await call('GET', 'hk:a'), '$8\r\nhooked:1\r\n');
  assert.is(await call('GET', 'other'), '$1\r\n2\r\n');
  // an integer result with the default str conversion is the bulk "2"
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: len(r)).register(hook='strlen', mode='sync')");
  assert.is(await call('STRLEN', 'whatever'), '$1\r\n2\r\n');
  // exactly one result
  await registerId(ctx.c, "GB('CommandReader').flatmap(lambda r: [1, 2]).register(hook='ttl', mode='sync')");
  assert.is(await call('TTL', 'x'), '-Command hook must return exactly one result\r\n');
  // async hooks block the client until done
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: call_next(*r[1:])).register(hook='incr', convertToStr=False)");
  assert.is(await call('INCR', 'hk:n'), ':1\r\n');
  assert.is(await call('INCR', 'hk:n'), ':2\r\n');
  // call_next passes a bytearray's bytes, as execute() does
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: call_next(r[1], bytearray(b'ba'))).register(hook='append', mode='sync', convertToStr=False)");
  assert.is(await call('APPEND', 'bytes:k', 'ignored'), ':2\r\n');
  assert.is(await call('GET', 'bytes:k'), '$2\r\nba\r\n');
  await unregisterAll();
  assert.is(await call('GET', 'hk:a'), '$1\r\n1\r\n');
  assert.match(await call('RG.PYEXECUTE', "GB().map(lambda r: call_next()).run()"), /Can not get CommandHook ctx/);
});

test('hooks form a chain: the newest serves the command, call_next goes down to the older ones, then the command', async () => {
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: 'a(' + str(call_next(*r[1:])) + ')').register(hook='get', mode='sync', convertToStr=False)");
  await registerId(ctx.c, "GB('CommandReader').map(lambda r: 'b(' + str(call_next(*r[1:])) + ')').register(hook='get', mode='sync', convertToStr=False)");
  await call('SET', 'chain:k', 'v');
  assert.is(await call('GET', 'chain:k'), '$10\r\nb(a(v))\r\n'.replace('10', String('b(a(v))'.length)));
  await unregisterAll();
  assert.is(await call('GET', 'chain:k'), '$1\r\nv\r\n');
});

test('commands=: the client waits for the executions, and may get override_reply\'s value', async () => {
  await registerId(ctx.c,
    "GB().foreach(lambda r: override_reply('overridden')).register('cmd:*', commands=['hset'], mode='sync')");
  assert.is(await call('HSET', 'cmd:1', 'f', 'v'), '$10\r\noverridden\r\n');
  assert.is(await call('HGET', 'cmd:1', 'f'), '$1\r\nv\r\n');
  // other commands on the same keys do not fire it
  assert.is(await call('DEL', 'cmd:1'), ':1\r\n');
  await unregisterAll();
  // async: HSET answers only once the execution has written
  await registerId(ctx.c,
    "GB().foreach(lambda r: execute('SET', 'cmdseen', get_command()[0])).register('cmda:*', commands=['HSET'])");
  assert.is(await call('HSET', 'cmda:1', 'f', 'v'), ':1\r\n');
  assert.is(await call('GET', 'cmdseen'), '$4\r\nHSET\r\n');
  // outside such an execution
  assert.match(await call('RG.PYEXECUTE', "GB().map(lambda r: override_reply(1)).run()"), /Can not get command ctx/);
  assert.match(await call('RG.PYEXECUTE', "GB().register('x', commands=['publish'])"),
    /Can not hook a command by key prefix with none positive first key/);
  await unregisterAll();
});

// GEARS_API.md §4.6 / §6.1: a sync execution whose step awaits goes on as async_local, and its
// caller waits for it; inside MULTI it may not await.
test('a sync trigger whose step awaits replies when it finishes; in MULTI the await is refused', async () => {
  await registerId(ctx.c,
    "import asyncio\nasync def late(r):\n    await asyncio.sleep(0.05)\n    return 'late:' + r[1]\nGB('CommandReader').map(late).register(trigger='awaits', mode='sync')");
  assert.is(await call('RG.TRIGGER', 'awaits', 'x'), '*1\r\n$6\r\nlate:x\r\n');
  ctx.c.write('MULTI\r\nRG.TRIGGER awaits y\r\nEXEC\r\n');
  await ctx.c.next();
  await ctx.c.next();
  assert.match((await ctx.c.next()).toString(), /^\*1\r\n-.*Creating async record is not allowed/);
  assert.is(await call('PING'), '+PONG\r\n');
  await unregisterAll();
});

test.run();
