// StreamReader registrations (GEARS_API.md §5.3): batches read through the consumer group
// __gears_consumer_group__, existing entries first, acknowledged and trimmed; batch, duration,
// the failure policies, pause / unpause, and RG.DUMPREGISTRATIONS' stream fields.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { ZERO_ID } from './helpers/gears.js';
import { eventually, finished, registerId, registration } from './helpers/registrations.js';
import { decodeReply, type Reply } from './helpers/resp.js';
import { rawGearsdForSuite } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

async function call(...args: string[]): Promise<string> {
  return (await ctx.c.call(...args)).toString();
}

async function value(...args: string[]): Promise<Reply> {
  return decodeReply(await ctx.c.call(...args));
}

test('existing entries first, then new ones, in order; acknowledged and trimmed; the group is __gears_consumer_group__', async () => {
  await call('XADD', 'st:a', '1-1', 'n', '1');
  await call('XADD', 'st:a', '1-2', 'n', '2');
  const id = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: execute('RPUSH', 'seen:a', r['id'] + '=' + r['value']['n'])).register('st:*')");
  await call('XADD', 'st:a', '1-3', 'n', '3');
  await finished(ctx.c, id, 3);
  assert.equal(await value('LRANGE', 'seen:a', '0', '-1'), ['1-1=1', '1-2=2', '1-3=3']);
  assert.is(await call('XLEN', 'st:a'), ':0\r\n');
  const groups = await value('XINFO', 'GROUPS', 'st:a') as Reply[][];
  assert.is(groups[0][1], '__gears_consumer_group__');
  assert.is(groups[0][5], 0);  // pending
  const reg = await registration(ctx.c, id);
  assert.is(reg.reader, 'StreamReader');
  assert.is(reg.raw.length, 12);
  assert.is((reg.raw[7] as Reply[]).length, 26);
  assert.equal(Object.keys(reg.data), ['mode', 'numTriggered', 'numSuccess', 'numFailures', 'numAborted', 'lastRunDurationMS',
    'totalRunDurationMS', 'avgRunDurationMS', 'lastEstimatedLagMS', 'avgEstimatedLagMS', 'lastError', 'args', 'status']);
  assert.equal(reg.data.args, ['batchSize', 1, 'durationMS', 0, 'stream', 'st:*', 'trimStream', 1, 'onFailedPolicy', 'continue', 'retryInterval', 1]);
  assert.is(reg.data.status, 'OK');
  assert.is(reg.data.numSuccess, 3);
  await call('RG.UNREGISTER', id);
});

test('the record is {key, id, value}; sync runs before XADD replies', async () => {
  const id = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: execute('SET', 'seen:rec', str(r))).register('st:rec', mode='sync')");
  await call('XADD', 'st:rec', '5-1', 'f', 'v');
  assert.is(await call('GET', 'seen:rec'), `$${"{'key': 'st:rec', 'id': '5-1', 'value': {'f': 'v'}}".length}\r\n{'key': 'st:rec', 'id': '5-1', 'value': {'f': 'v'}}\r\n`);
  assert.is(await call('XLEN', 'st:rec'), ':0\r\n');
  await call('RG.UNREGISTER', id);
});

test('batch: one execution per full batch; duration runs a partial batch after that many ms', async () => {
  const id = await registerId(ctx.c, "GB('StreamReader').map(lambda r: r['id']).foreach(lambda x: execute('RPUSH', 'seen:b', x)).register('st:b', batch=3, trimStream=False)");
  await call('XADD', 'st:b', '1-1', 'f', 'v');
  await call('XADD', 'st:b', '1-2', 'f', 'v');
  assert.is((await registration(ctx.c, id)).data.numTriggered, 0);
  await call('XADD', 'st:b', '1-3', 'f', 'v');
  await finished(ctx.c, id, 1);
  assert.equal(await value('LRANGE', 'seen:b', '0', '-1'), ['1-1', '1-2', '1-3']);
  assert.is(await call('XLEN', 'st:b'), ':3\r\n');  // trimStream=False keeps them, acknowledged
  assert.is((await value('XPENDING', 'st:b', '__gears_consumer_group__') as Reply[])[0], 0);
  await call('RG.UNREGISTER', id);

  const d = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: execute('INCR', 'seen:d')).register('st:d', batch=100, duration=50)");
  await call('XADD', 'st:d', '*', 'f', 'v');
  await call('XADD', 'st:d', '*', 'f', 'v');
  const reg = await finished(ctx.c, d, 1);
  assert.is(reg.data.numTriggered, 1);
  assert.is(await call('GET', 'seen:d'), '$1\r\n2\r\n');
  assert.equal(reg.data.args, ['batchSize', 100, 'durationMS', 50, 'stream', 'st:d', 'trimStream', 1, 'onFailedPolicy', 'continue', 'retryInterval', 1]);
  await call('RG.UNREGISTER', d);
});

test('onFailedPolicy: continue acknowledges, abort stops (ABORTED), retry reprocesses after the interval', async () => {
  const cont = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: 1/0).register('st:cont')");
  await call('XADD', 'st:cont', '*', 'f', 'v');
  let reg = await finished(ctx.c, cont, 1);
  assert.is(reg.data.numFailures, 1);
  assert.match(String(reg.data.lastError), /ZeroDivisionError/);
  assert.is(reg.data.status, 'OK');
  assert.is(await call('XLEN', 'st:cont'), ':0\r\n');
  await call('RG.UNREGISTER', cont);

  const ab = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: 1/0).register('st:ab', onFailedPolicy='Abort')");
  await call('XADD', 'st:ab', '*', 'f', 'v');
  reg = await finished(ctx.c, ab, 1);
  assert.is(reg.data.status, 'ABORTED');
  await call('XADD', 'st:ab', '*', 'f', 'v');
  assert.is(await call('XLEN', 'st:ab'), ':2\r\n');
  assert.is((await registration(ctx.c, ab)).data.numTriggered, 1);
  await call('RG.UNREGISTER', ab);

  // fails the first time only
  const rt = await registerId(ctx.c,
    "def f(r):\n    if execute('INCR', 'rt:tries') == 1:\n        raise Exception('first')\n    execute('RPUSH', 'seen:rt', r['id'])\n" +
    "GB('StreamReader').foreach(f).register('st:rt', onFailedPolicy='retry', onFailedRetryInterval=3)");
  await call('XADD', 'st:rt', '7-1', 'f', 'v');
  reg = await finished(ctx.c, rt, 1);
  assert.is(reg.data.numFailures, 1);
  assert.is(reg.data.status, 'WAITING_FOR_RETRY_ON_FAILURE');
  reg = await finished(ctx.c, rt, 2);
  assert.is(reg.data.status, 'OK');
  assert.equal(await value('LRANGE', 'seen:rt', '0', '-1'), ['7-1']);
  assert.is(await call('XLEN', 'st:rt'), ':0\r\n');
  await call('RG.UNREGISTER', rt);
});

test('RG.PAUSEREGISTRATIONS / RG.UNPAUSEREGISTRATIONS; a first error starting with PAUSE pauses', async () => {
  const id = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: execute('INCR', 'seen:p')).register('st:p')");
  assert.is(await call('RG.PAUSEREGISTRATIONS', id), '+OK\r\n');
  assert.is(await call('RG.PAUSEREGISTRATIONS', id), '+OK\r\n');
  await call('XADD', 'st:p', '*', 'f', 'v');
  assert.is((await registration(ctx.c, id)).data.status, 'PAUSED');
  assert.is((await registration(ctx.c, id)).data.numTriggered, 0);
  assert.is(await call('RG.UNPAUSEREGISTRATIONS', id), '+OK\r\n');
  await finished(ctx.c, id, 1);
  assert.is(await call('GET', 'seen:p'), '$1\r\n1\r\n');
  assert.is((await registration(ctx.c, id)).data.status, 'OK');
  await call('RG.UNREGISTER', id);

  const self = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: flat_error('PAUSE please')).register('st:sp')");
  await call('XADD', 'st:sp', '*', 'f', 'v');
  const reg = await finished(ctx.c, self, 1);
  assert.is(reg.data.status, 'PAUSED');
  assert.is(reg.data.lastError, 'PAUSE please');
  await call('RG.UNREGISTER', self);

  const keys = await registerId(ctx.c, "GB().register('nopause:*')");
  assert.is(await call('RG.PAUSEREGISTRATIONS', keys), '-Reader KeysReader does not support pause\r\n');
  assert.is(await call('RG.UNPAUSEREGISTRATIONS', keys), '-Reader KeysReader does not support unpause\r\n');
  await call('RG.UNREGISTER', keys);
  assert.is(await call('RG.PAUSEREGISTRATIONS', `${ZERO_ID}-99999`), `-Execution ${ZERO_ID}-99999 does not exists on shard ${ZERO_ID}\r\n`);
  assert.is(await call('RG.PAUSEREGISTRATIONS', 'ABORTPENDING'), '-ERR no registration to pause\r\n');
  assert.is(await call('RG.PAUSEREGISTRATIONS'), "-ERR wrong number of arguments for 'rg.pauseregistrations' command\r\n");
  assert.is(await call('RG.UNPAUSEREGISTRATIONS', 'a', 'b'), "-ERR wrong number of arguments for 'rg.unpauseregistrations' command\r\n");
});

test('many entries at full speed are all processed in batches, none lost', async () => {
  const id = await registerId(ctx.c, "GB('StreamReader').foreach(lambda r: execute('INCR', 'seen:many')).register('st:many', batch=100)");
  const n = 5000;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push('*5\r\n$4\r\nXADD\r\n$7\r\nst:many\r\n$1\r\n*\r\n$1\r\nf\r\n$1\r\nv\r\n');
  ctx.c.write(parts.join(''));
  for (let i = 0; i < n; i++) await ctx.c.next();
  await eventually(() => call('GET', 'seen:many'), (v) => v === `$4\r\n${n}\r\n`, 'every entry processed');
  await eventually(() => call('XLEN', 'st:many'), (v) => v === ':0\r\n', 'the stream trimmed');
  const reg = await registration(ctx.c, id);
  assert.is(reg.data.numTriggered, n / 100);  // full batches only
  await call('RG.UNREGISTER', id);
});

test.run();
