// KeysReader registrations (GEARS_API.md §5.1, §6): what fires them, the records they read,
// sync and async modes, ordering, their own writes, and RG.DUMPREGISTRATIONS / RG.UNREGISTER.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { ZERO_ID } from './helpers/gears.js';
import { RawClient } from './helpers/raw-client.js';
import { eventually, finished, registerId, registration, registrations } from './helpers/registrations.js';
import { decodeReply, type Reply } from './helpers/resp.js';
import { rawGearsdForSuite, startGearsd } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

async function call(...args: string[]): Promise<string> {
  return (await ctx.c.call(...args)).toString();
}

async function results(id: string): Promise<Reply> {
  return decodeReply(await ctx.c.call('RG.GETRESULTS', id));
}

/** The ids of the listed executions a registration made. */
async function executionsOf(): Promise<string[]> {
  const rows = decodeReply(await ctx.c.call('RG.DUMPEXECUTIONS')) as Reply[][];
  return rows.filter((r) => r[5] === 1).map((r) => String(r[1]));
}

test('RG.DUMPREGISTRATIONS has RedisGears\' exact shape (the recorded session, ids and times aside)', async () => {
  const fresh = await startGearsd();
  const r = await RawClient.connect(fresh.port);
  assert.is((await r.call('RG.PYEXECUTE', "GB().register('x*')")).toString(), '+OK\r\n');
  assert.is((await r.call('SET', 'x1', '1')).toString(), '+OK\r\n');
  const [reg] = await registrations(r);
  await finished(r, reg.id, 1);
  const bytes = (await r.call('RG.DUMPREGISTRATIONS')).toString();
  const session = /'sessionName':'([0-9a-f]{40})'/.exec(bytes)![1];
  const id = reg.id;
  const pd = `{'sessionName':'${session}', 'sessionDescription':'null', 'refCount': 1, 'linkedTo': primary, 'dead': false, 'isInstallationNeeded':0, 'registrationsList':['${id}'], 'depsList':[]}`;
  // The recorded reply with this run's ids; durations are whole milliseconds of real time.
  const expected =
    `*1\r\n*12\r\n$2\r\nid\r\n$${id.length}\r\n${id}\r\n$6\r\nreader\r\n$10\r\nKeysReader\r\n$4\r\ndesc\r\n$-1\r\n` +
    `$16\r\nRegistrationData\r\n*20\r\n$4\r\nmode\r\n$5\r\nasync\r\n$12\r\nnumTriggered\r\n:1\r\n$10\r\nnumSuccess\r\n:1\r\n` +
    `$11\r\nnumFailures\r\n:0\r\n$10\r\nnumAborted\r\n:0\r\n$17\r\nlastRunDurationMS\r\n:0\r\n$18\r\ntotalRunDurationMS\r\n:0\r\n` +
    `$16\r\navgRunDurationMS\r\n$1\r\n0\r\n$9\r\nlastError\r\n$-1\r\n$4\r\nargs\r\n*8\r\n$5\r\nregex\r\n$2\r\nx*\r\n` +
    `$10\r\neventTypes\r\n$-1\r\n$8\r\nkeyTypes\r\n$-1\r\n$12\r\nhookCommands\r\n$-1\r\n$2\r\nPD\r\n$${pd.length}\r\n${pd}\r\n` +
    `$19\r\nExecutionThreadPool\r\n$11\r\nDefaultPool\r\n`;
  const normalized = bytes
    .replace(/(lastRunDurationMS\r\n|totalRunDurationMS\r\n):\d+/g, '$1:0')
    .replace(/avgRunDurationMS\r\n\$\d+\r\n[0-9.e+-]+/, 'avgRunDurationMS\r\n$1\r\n0');
  assert.is(normalized, expected);
  // the registration's executions are listed as registered
  const rows = decodeReply(await r.call('RG.DUMPEXECUTIONS')) as Reply[][];
  assert.equal(rows.map((row) => row[5]), [1]);
  r.close();
  await fresh.stop();
});

test('register() returns the registration id; a record carries the event name and the key read when it runs', async () => {
  const id = await registerId(ctx.c, "GB().register('rec:*', mode='sync')");
  assert.match(id, new RegExp(`^${ZERO_ID}-\\d+$`));
  await call('HSET', 'rec:h', 'f', 'v');
  await call('DEL', 'rec:h');
  const ex = await executionsOf();
  const records = await Promise.all(ex.map((e) => results(e)));
  const texts = records.map((r) => (r as Reply[][])[0][0]);
  assert.ok(texts.includes("{'event': 'hset', 'key': 'rec:h', 'type': 'hash', 'value': {'f': 'v'}}"), String(texts));
  assert.ok(texts.includes("{'event': 'del', 'key': 'rec:h', 'type': 'empty', 'value': None}"), String(texts));
  await call('RG.UNREGISTER', id);
});

test('prefix: a trailing * is starts-with, anything else is the exact key', async () => {
  const starts = await registerId(ctx.c, "GB().foreach(lambda r: execute('INCR', 'hits:starts')).register('pre:ab*', mode='sync')");
  const exact = await registerId(ctx.c, "GB().foreach(lambda r: execute('INCR', 'hits:exact')).register('pre:ab', mode='sync')");
  for (const k of ['pre:ab', 'pre:abc', 'pre:a', 'pre:xab']) await call('SET', k, '1');
  assert.is(await call('GET', 'hits:starts'), '$1\r\n2\r\n');
  assert.is(await call('GET', 'hits:exact'), '$1\r\n1\r\n');
  await call('RG.UNREGISTER', starts);
  await call('RG.UNREGISTER', exact);
});

test('eventTypes (any case), keyTypes (the type when the event fires) and readValue=False', async () => {
  const ev = await registerId(ctx.c, "GB().foreach(lambda r: execute('RPUSH', 'seen:ev', r['event'])).register('ev:*', eventTypes=['SET', 'del'], mode='sync')");
  await call('SET', 'ev:1', 'a');
  await call('APPEND', 'ev:1', 'b');
  await call('DEL', 'ev:1');
  assert.is(await call('LRANGE', 'seen:ev', '0', '-1'), '*2\r\n$3\r\nset\r\n$3\r\ndel\r\n');
  await call('RG.UNREGISTER', ev);

  const kt = await registerId(ctx.c, "GB().foreach(lambda r: execute('RPUSH', 'seen:kt', r['event'])).register('kt:*', keyTypes=['hash'], mode='sync')");
  await call('SET', 'kt:s', '1');
  await call('HSET', 'kt:h', 'f', '1');
  await call('DEL', 'kt:h');  // the key is gone when del fires: its type is empty
  assert.is(await call('LRANGE', 'seen:kt', '0', '-1'), '*1\r\n$4\r\nhset\r\n');
  await call('RG.UNREGISTER', kt);

  const rv = await registerId(ctx.c, "GB().foreach(lambda r: execute('SET', 'seen:rv', str(sorted(r.keys())))).register('rv:*', readValue=False, mode='sync')");
  await call('SET', 'rv:1', 'x');
  assert.is(await call('GET', 'seen:rv'), "$16\r\n['event', 'key']\r\n");
  await call('RG.UNREGISTER', rv);
});

test('keymiss, expiry and execute() writes fire registrations', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('RPUSH', 'seen:misc', r['event'] + ':' + r['key'])).register('misc:*', mode='sync')");
  await call('GET', 'misc:nothing');
  await call('SET', 'misc:ttl', '1', 'PX', '1');
  await eventually(() => call('EXISTS', 'misc:ttl'), (r) => r === ':0\r\n', 'misc:ttl to expire');
  await call('RG.PYEXECUTE', "execute('SET', 'misc:py', '1')");
  const seen = decodeReply(await ctx.c.call('LRANGE', 'seen:misc', '0', '-1')) as string[];
  assert.ok(seen.includes('keymiss:misc:nothing'), String(seen));
  assert.ok(seen.includes('expired:misc:ttl'), String(seen));
  assert.ok(seen.includes('set:misc:py'), String(seen));
  await call('RG.UNREGISTER', id);
});

test('sync runs inside the command, before its reply; its own writes do not fire it again', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('INCR', r['key'])).register('own:*', mode='sync')");
  assert.is(await call('SET', 'own:1', '10'), '+OK\r\n');
  assert.is(await call('GET', 'own:1'), '$2\r\n11\r\n');  // already done when SET replied
  const reg = await registration(ctx.c, id);
  assert.is(reg.data.numTriggered, 1);
  assert.is(reg.data.numSuccess, 1);
  assert.is(reg.data.mode, 'sync');
  await call('RG.UNREGISTER', id);
});

// A sync execution whose step awaits goes on as async_local (GEARS_API.md §4.6); the writes its
// coroutine makes (without the GIL, on the event loop) still count as the registration's own.
test('a sync registration whose step awaits finishes later, and its own writes do not fire it', async () => {
  const id = await registerId(ctx.c,
    "import asyncio\nasync def f(r):\n    await asyncio.sleep(0.02)\n    execute('INCR', 'awaited:count')\n    execute('SET', 'awaited:own', '1')\n    return r\nGB().map(f).register('awaited:*', mode='sync')");
  assert.is(await call('SET', 'awaited:k', 'v'), '+OK\r\n');
  const reg = await finished(ctx.c, id, 1);
  assert.is(reg.data.numSuccess, 1);
  assert.is(await call('GET', 'awaited:count'), '$1\r\n1\r\n');
  assert.is(reg.data.numTriggered, 1);  // awaited:own did not fire it
  // Fired from inside MULTI/EXEC, the same step may not await.
  ctx.c.write(Buffer.from('MULTI\r\nSET awaited:m v\r\nEXEC\r\n'));
  for (let i = 0; i < 2; i++) await ctx.c.next();
  assert.is((await ctx.c.next()).toString(), '*1\r\n+OK\r\n');
  const after = await registration(ctx.c, id);
  assert.is(after.data.numFailures, 1);
  assert.match(String(after.data.lastError), /Creating async record is not allowed/);
  assert.is(await call('GET', 'awaited:count'), '$1\r\n1\r\n');
  await call('RG.UNREGISTER', id);
});

test('a sync registration is atomic: MULTI sees its effect with the write that fired it', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('SET', 'atom:copy', execute('GET', r['key']))).register('atom:src', mode='sync')");
  ctx.c.write(Buffer.from('MULTI\r\nSET atom:src v1\r\nGET atom:copy\r\nEXEC\r\n'));
  for (let i = 0; i < 3; i++) await ctx.c.next();
  assert.is((await ctx.c.next()).toString(), '*2\r\n+OK\r\n$2\r\nv1\r\n');
  await call('RG.UNREGISTER', id);
});

test('async executions run in order, one at a time, and the writer does not wait for them', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('RPUSH', 'order:log', r['value'])).register('order:k')");
  const n = 200;
  const cmds: Buffer[] = [];
  for (let i = 0; i < n; i++) cmds.push(Buffer.from(`*3\r\n$3\r\nSET\r\n$7\r\norder:k\r\n$${String(i).length}\r\n${i}\r\n`));
  ctx.c.write(Buffer.concat(cmds));
  for (let i = 0; i < n; i++) assert.is((await ctx.c.next()).toString(), '+OK\r\n');
  await finished(ctx.c, id, n);
  // each execution reads the key when it runs, so later ones may read a newer value, but the
  // values read never go back
  const log = (decodeReply(await ctx.c.call('LRANGE', 'order:log', '0', '-1')) as string[]).map(Number);
  assert.is(log.length, n);
  for (let i = 1; i < n; i++) assert.ok(log[i] >= log[i - 1], `out of order at ${i}: ${log.slice(0, i + 1)}`);
  assert.is(log[n - 1], n - 1);
  await call('RG.UNREGISTER', id);
});

test('a failing registration shows numFailures and lastError with the traceback; a success clears lastError', async () => {
  const id = await registerId(ctx.c, "GB().map(lambda r: 1/0 if r['value'] == 'bad' else r).register('fail:k', mode='sync')");
  await call('SET', 'fail:k', 'bad');
  let reg = await registration(ctx.c, id);
  assert.is(reg.data.numFailures, 1);
  assert.is(reg.data.lastError,
    `['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <lambda>\\n', 'ZeroDivisionError: division by zero\\n']`);
  await call('SET', 'fail:k', 'good');
  reg = await registration(ctx.c, id);
  assert.is(reg.data.numSuccess, 1);
  assert.is(reg.data.lastError, null);
  assert.ok(ctx.server.output().includes(`GEARS: registration ${id} (KeysReader) failed`), 'the failure is logged');
  await call('RG.UNREGISTER', id);
});

test('RG.UNREGISTER: its executions go with it; unknown and malformed ids; arity', async () => {
  const id = await registerId(ctx.c, "GB().register('unreg:*', mode='sync')");
  await call('SET', 'unreg:1', '1');
  const before = await executionsOf();
  assert.ok(before.length >= 1);
  assert.is(await call('RG.UNREGISTER', id, 'whatever'), '+OK\r\n');
  const after = await executionsOf();
  for (const e of before) assert.not.ok(after.includes(e), `${e} still listed`);
  assert.is(await call('RG.UNREGISTER', id), '-execution is not registered\r\n');
  assert.is(await call('RG.UNREGISTER', `${ZERO_ID}-999999`), '-execution is not registered\r\n');
  assert.is(await call('RG.UNREGISTER', 'no-such-id'), '-execution is not registered\r\n');
  assert.is(await call('RG.UNREGISTER'), "-ERR wrong number of arguments for 'rg.unregister' command\r\n");
  assert.is(await call('RG.UNREGISTER', 'a', 'b', 'c'), "-ERR wrong number of arguments for 'rg.unregister' command\r\n");
  assert.is((await registrations(ctx.c)).filter((r) => r.id === id).length, 0);
});

test('RG.UNREGISTER ... ABORTPENDING aborts the queued executions', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: __import__('time').sleep(0.05)).register('slowreg:k')");
  for (let i = 0; i < 20; i++) await call('SET', 'slowreg:k', String(i));
  assert.is(await call('RG.UNREGISTER', id, 'ABORTPENDING'), '+OK\r\n');
  // nothing of it is left running once the aborted ones have wound down
  await eventually(async () => (decodeReply(await ctx.c.call('RG.DUMPEXECUTIONS')) as Reply[][]).filter((r) => r[5] === 1).length,
    (n) => n === 0, 'the aborted executions to go');
});

test('MaxExecutionsPerRegistration keeps only the latest finished executions', async () => {
  assert.is(await call('RG.CONFIGSET', 'MaxExecutionsPerRegistration', '3'), '*1\r\n+OK\r\n');
  const id = await registerId(ctx.c, "GB().register('keep:k')");
  for (let i = 0; i < 10; i++) await call('SET', 'keep:k', String(i));
  await finished(ctx.c, id, 10);
  await eventually(executionsOf, (ex) => ex.length === 3, 'three kept executions');
  assert.is(await call('RG.CONFIGSET', 'MaxExecutionsPerRegistration', '100'), '*1\r\n+OK\r\n');
  await call('RG.UNREGISTER', id);
});

test('MaxExecutions also evicts registrations\' executions; RG.UNREGISTER forgets the kept ones', async () => {
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', '4'), '*1\r\n+OK\r\n');
  const id = await registerId(ctx.c, "GB().map(lambda r: r['value']).register('cap:k')");
  for (let i = 0; i < 12; i++) await call('SET', 'cap:k', `v${i}`);
  await finished(ctx.c, id, 12);
  await eventually(executionsOf, (ex) => ex.length === 4, 'four listed executions');
  const kept = await executionsOf();
  const newest = kept.map((e) => Number(e.split('-')[1])).sort((a, b) => b - a)[0];
  const newestId = kept.find((e) => Number(e.split('-')[1]) === newest)!;
  assert.equal(await results(newestId), [['v11'], []]);
  const evicted = `${ZERO_ID}-${newest - 6}`;
  assert.is(await call('RG.GETRESULTS', evicted), '-execution plan does not exist\r\n');
  assert.is(await call('RG.UNREGISTER', id), '+OK\r\n');
  assert.equal(await executionsOf(), []);
  assert.is(await call('RG.GETRESULTS', newestId), '-execution plan does not exist\r\n');
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', '1000'), '*1\r\n+OK\r\n');
});

test('onRegistered runs once the registration is applied; async_local mode; async own writes do not fire it again', async () => {
  const id = await registerId(ctx.c,
    "def hello():\n    execute('SET', 'onregflag', 'yes')\n" +
    "GB().foreach(lambda r: execute('INCR', r['key'])).register('onreg:*', mode='async_local', onRegistered=hello)");
  assert.is(await call('GET', 'onregflag'), '$3\r\nyes\r\n');
  const reg = await registration(ctx.c, id);
  assert.is(reg.data.mode, 'async_local');
  await call('SET', 'onreg:n', '1');
  await finished(ctx.c, id, 1);
  // its own INCR of onreg:n did not queue a second execution
  assert.is(await call('GET', 'onreg:n'), '$1\r\n2\r\n');
  assert.is((await registration(ctx.c, id)).data.numTriggered, 1);
  await call('RG.UNREGISTER', id);
});

test('an onRegistered error is only logged; the registration stays', async () => {
  const id = await registerId(ctx.c, "def boom():\n    raise Exception('no')\nGB().register('onregerr:*', onRegistered=boom)");
  assert.is((await registration(ctx.c, id)).reader, 'KeysReader');
  await eventually(async () => ctx.server.output(), (o) => o.includes('Error occured on RedisGearsPy_OnRegistered'), 'the log line');
  await call('RG.UNREGISTER', id);
});

test('an async registration fires for an execute() write made by another registration', async () => {
  const a = await registerId(ctx.c, "GB().foreach(lambda r: execute('SET', 'chain:b', r['value'])).register('chain:a', mode='sync')");
  const b = await registerId(ctx.c, "GB().foreach(lambda r: execute('SET', 'chain:c', r['value'])).register('chain:b')");
  await call('SET', 'chain:a', 'v');
  await finished(ctx.c, b, 1);
  assert.is(await call('GET', 'chain:c'), '$1\r\nv\r\n');
  await call('RG.UNREGISTER', a);
  await call('RG.UNREGISTER', b);
});

test.run();
