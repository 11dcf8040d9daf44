// Sessions and the commands around registrations (GEARS_API.md §3, §8): RG.PYEXECUTE ID,
// DESCRIPTION, UPGRADE and REPLACE_WITH, RG.PYDUMPSESSIONS, RG.CLEARREGISTRATIONSSTATS, and
// register() arguments that fail the script and register nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { finished, registerId, registration, registrations } from './helpers/registrations.js';
import { decodeReply, pairs, type Reply } from './helpers/resp.js';
import { rawGearsdForSuite } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

async function call(...args: string[]): Promise<string> {
  return (await ctx.c.call(...args)).toString();
}

async function sessions(...args: string[]): Promise<Reply[]> {
  return decodeReply(await ctx.c.call('RG.PYDUMPSESSIONS', ...args)) as Reply[];
}

async function unregisterAll(): Promise<void> {
  for (const r of await registrations(ctx.c)) await call('RG.UNREGISTER', r.id);
}

test('ID and DESCRIPTION name the session; RG.PYDUMPSESSIONS lists it with its registrations', async () => {
  const id = await registerId(ctx.c, "GB().register('s1:*')", 'ID', 'sess1', 'DESCRIPTION', 'first session');
  const list = await sessions();
  assert.is(list.length, 1);
  assert.equal(list[0], [
    'ID', 'sess1', 'sessionDescription', 'first session', 'refCount', 1, 'linked', 'primary', 'dead', 'false',
    'requirementInstallationNeeded', 0, 'requirements', [], 'registrations', [id],
  ]);
  const reg = await registration(ctx.c, id);
  assert.is(reg.pd,
    `{'sessionName':'sess1', 'sessionDescription':'first session', 'refCount': 1, 'linkedTo': primary, 'dead': false, ` +
    `'isInstallationNeeded':0, 'registrationsList':['${id}'], 'depsList':[]}`);
  // VERBOSE: the registrations in full, without their PD pair
  const verbose = pairs((await sessions('VERBOSE'))[0]);
  const entry = (verbose.registrations as Reply[][])[0];
  assert.is(entry.length, 10);
  assert.equal(entry.slice(0, 4), ['id', id, 'reader', 'KeysReader']);
  assert.not.ok(entry.includes('PD'));
  // SESSIONS names some (an unknown one is a bulk line in its place)
  const named = await sessions('SESSIONS', 'sess1', 'nope');
  assert.is(pairs(named[0]).ID, 'sess1');
  assert.is(named[1], 'Session nope does not exists');
  await unregisterAll();
});

test('an existing session needs UPGRADE; UPGRADE replaces its registrations atomically', async () => {
  const old = await registerId(ctx.c, "GB().foreach(lambda r: execute('INCR', 'up:old')).register('up:k', mode='sync')", 'ID', 'up');
  assert.is(await call('RG.PYEXECUTE', "GB().register('up:x')", 'ID', 'up'), '-Session up already exists\r\n');
  assert.equal((await registrations(ctx.c)).map((r) => r.id), [old]);
  const neu = await registerId(ctx.c, "GB().foreach(lambda r: execute('INCR', 'up:new')).register('up:k', mode='sync')", 'ID', 'up', 'UPGRADE');
  assert.equal((await registrations(ctx.c)).map((r) => r.id), [neu]);
  await call('SET', 'up:k', '1');
  assert.is(await call('GET', 'up:old'), '$-1\r\n');
  assert.is(await call('GET', 'up:new'), '$1\r\n1\r\n');
  const [s] = await sessions();
  assert.equal(pairs(s).registrations, [neu]);
  // the old session is gone once nothing uses it
  assert.equal(await sessions('DEAD'), []);
  await unregisterAll();
});

test('REPLACE_WITH: its errors, and the old session replaced by a new one', async () => {
  const old = await registerId(ctx.c, "GB().register('rw:k')", 'ID', 'rw-old');
  assert.is(await call('RG.PYEXECUTE', "GB().register('rw:k')", 'ID', 'rw-new', 'REPLACE_WITH', 'missing'),
    '-Can not replace with missing, session does not exists.\r\n');
  await registerId(ctx.c, "GB().register('rw:other')", 'ID', 'rw-taken');
  assert.is(await call('RG.PYEXECUTE', "GB().register('rw:k')", 'ID', 'rw-taken', 'REPLACE_WITH', 'rw-old'),
    '-Can not replace an existing session rw-taken with rw-old\r\n');
  assert.is(await call('RG.PYEXECUTE', "GB().register('rw:k')", 'REPLACE_WITH'), '-REPLACE_WITH is missing\r\n');
  const neu = await registerId(ctx.c, "GB().register('rw:k')", 'ID', 'rw-new', 'REPLACE_WITH', 'rw-old');
  const ids = (await registrations(ctx.c)).map((r) => r.id);
  assert.ok(ids.includes(neu));
  assert.not.ok(ids.includes(old));
  const names = (await sessions()).map((s) => pairs(s).ID).sort();
  assert.equal(names, ['rw-new', 'rw-taken']);
  await unregisterAll();
});

test('a session that only ran something is not listed, so its ID can be used again', async () => {
  assert.is(await call('RG.PYEXECUTE', "GB().filter(lambda r: False).run()", 'ID', 'ran'), '*2\r\n*0\r\n*0\r\n');
  assert.equal(await sessions(), []);
  assert.is(await call('RG.PYEXECUTE', "GB().filter(lambda r: False).run()", 'ID', 'ran'), '*2\r\n*0\r\n*0\r\n');
});

test('RG.PYDUMPSESSIONS: an unknown option', async () => {
  assert.is(await call('RG.PYDUMPSESSIONS', 'FOO'), '-Unknown option FOO\r\n');
});

test('RG.CLEARREGISTRATIONSSTATS resets the counters, durations and lastError', async () => {
  const id = await registerId(ctx.c, "GB().map(lambda r: 1/0).register('clr:k', mode='sync')");
  await call('SET', 'clr:k', '1');
  await call('SET', 'clr:k', '2');
  let reg = await registration(ctx.c, id);
  assert.is(reg.data.numTriggered, 2);
  assert.is(reg.data.numFailures, 2);
  assert.ok(reg.data.lastError !== null);
  assert.is(await call('RG.CLEARREGISTRATIONSSTATS'), '+OK\r\n');
  reg = await registration(ctx.c, id);
  for (const k of ['numTriggered', 'numSuccess', 'numFailures', 'numAborted', 'lastRunDurationMS', 'totalRunDurationMS']) {
    assert.is(reg.data[k], 0, k);
  }
  assert.is(reg.data.avgRunDurationMS, '0');
  assert.is(reg.data.lastError, null);
  assert.is(await call('RG.CLEARREGISTRATIONSSTATS', 'x'), "-ERR wrong number of arguments for 'rg.clearregistrationsstats' command\r\n");
  await unregisterAll();
});

test('bad register() arguments fail RG.PYEXECUTE with RedisGears\' texts and register nothing', async () => {
  const cases: [string, string][] = [
    ["GB().register('a', mode='bad')", 'unknown execution mode'],
    ["GB().register('a', mode=1)", 'execution mode must be a string'],
    ["GB().register(1)", 'regex argument must be a string'],
    ["GB().register('a', eventTypes=5)", 'given eventTypes is not iterable'],
    ["GB().register('a', eventTypes=[1])", 'given event type is not string'],
    ["GB().register('a', keyTypes=5)", 'given keyTypes is not iterable'],
    ["GB().register('a', keyTypes=['bad'])", 'unknown key type'],
    ["GB().register('a', readValue=1)", 'readValue is not boolean'],
    ["GB().register('a', onRegistered=5)", 'OnRegistered argument must be a function'],
    ["GB('ShardsIDReader').register('a')", 'given reader does not exists or does not support register'],
    ["GB('StreamReader').register('s', batch='x')", 'batch argument must be a number'],
    ["GB('StreamReader').register('s', onFailedPolicy='x')", 'onFailedPolicy must be Continue/Abort/Retry'],
    ["GB('StreamReader').register('s', onFailedPolicy='abort', mode='sync')", 'ExecutionMode sync can only be combined with OnFailedPolicy Continue'],
    ["GB('StreamReader').register('s', trimStream=1)", 'pyTrimmStream argument must be a boolean'],
    // the first register() was fine: it does not take effect either
    ["GB().register('ok:*')\nGB().register('a', mode='bad')", 'unknown execution mode'],
  ];
  for (const [script, text] of cases) {
    const r = await call('RG.PYEXECUTE', script);
    assert.ok(r.startsWith("-['Traceback (most recent call last):\\n'"), `${script}: ${r}`);
    assert.ok(r.includes(`gears.error: ${text}\\n']`), `${script}: ${r}`);
  }
  // a script that fails after a good register() registers nothing
  assert.ok((await call('RG.PYEXECUTE', "GB().register('ok:*')\nraise Exception('late')")).includes('Exception: late'));
  assert.equal(await registrations(ctx.c), []);
  assert.equal(await sessions(), []);
});

test('a registration\'s failures show with the traceback and are counted, async too', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('NOSUCHCOMMAND')).register('fa:*')");
  await call('SET', 'fa:1', '1');
  const reg = await finished(ctx.c, id, 1);
  assert.is(reg.data.numFailures, 1);
  assert.match(String(reg.data.lastError), /gears\.error: No such file or directory/);
  await unregisterAll();
});

test.run();
