// The RG.* commands and the execution registry: replies and error texts as RedisGears 1.2.13
// gave them (shared/REDISGEARS_REPLIES.txt), ids, statuses, retention under MaxExecutions, and
// RG.CONFIGGET / RG.CONFIGSET.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { idOf, resultBytes, sleep, ZERO_ID } from './helpers/gears.js';
import { RawClient } from './helpers/raw-client.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let c: RawClient;

test.before(async () => {
  server = await startGearsd(['--gears', 'MyOwnKey hello PythonAttemptTraceback 1']);
  c = await RawClient.connect(server.port);
});

test.after(async () => {
  c.close();
  await server.stop();
});

async function call(...args: string[]): Promise<string> {
  return (await c.call(...args)).toString();
}

/** A script whose single record takes `ms` to map, so that its execution runs for a while. */
function slow(ms: number): string {
  return `import time\nGB('ShardsIDReader').map(lambda x: time.sleep(${ms / 1000}) or 'slept').run()`;
}

test('ids start at -0 and UNBLOCKING replies the id; results stay until dropped', async () => {
  await call('SET', 'a', '1');
  const first = await call('RG.PYEXECUTE', "GB().map(lambda x: x['key']).run()");
  assert.is(first, resultBytes(['a']));
  const id = idOf(await c.call('RG.PYEXECUTE', "GB().map(lambda x: x['value']).run()", 'UNBLOCKING'));
  assert.is(id, `${ZERO_ID}-1`);
  assert.is(await call('RG.GETRESULTSBLOCKING', id), resultBytes(['1']));
  assert.is(await call('RG.GETRESULTS', id), resultBytes(['1']));
  assert.is(await call('RG.GETRESULTS', id, 'extra', 'args'), resultBytes(['1']));
  assert.is(await call('RG.DROPEXECUTION', id), '+OK\r\n');
  assert.is(await call('RG.GETRESULTS', id), '-execution plan does not exist\r\n');
  assert.is(await call('RG.DROPEXECUTION', id), '-execution plan does not exist\r\n');
});

test('RG.DUMPEXECUTIONS lists in RedisGears\' dict order (the recorded session\'s ids)', async () => {
  const fresh = await startGearsd();
  const r = await RawClient.connect(fresh.port);
  const unblocking = async () => {
    const id = idOf(await r.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()", 'UNBLOCKING'));
    await r.call('RG.GETRESULTSBLOCKING', id);
    return id;
  };
  for (let i = 0; i < 4; i++) await r.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()");
  const id4 = await unblocking();
  // ids 5..51 go to internal work (each RG.ABORTEXECUTION uses one up)
  for (let i = 5; i <= 51; i++) await r.call('RG.ABORTEXECUTION', 'none');
  const id52 = await unblocking();
  const id53 = await unblocking();
  const ids = async () => [...(await r.call('RG.DUMPEXECUTIONS')).toString().matchAll(/(0{40}-\d+)/g)].map((m) => m[1]);
  assert.equal([id4, id52, id53], [`${ZERO_ID}-4`, `${ZERO_ID}-52`, `${ZERO_ID}-53`]);
  assert.equal(await ids(), [id53, id4, id52]);
  await r.call('RG.DROPEXECUTION', id52);
  await r.call('RG.DROPEXECUTION', id53);
  const id54 = await unblocking();
  assert.equal(await ids(), [id54, id4]);
  r.close();
  await fresh.stop();
});

test('a blocking run is listed only while it runs', async () => {
  const before = await call('RG.DUMPEXECUTIONS');
  await call('RG.PYEXECUTE', "GB('ShardsIDReader').run()");
  assert.is(await call('RG.DUMPEXECUTIONS'), before);
});

test('RG.DUMPEXECUTIONS and RG.GETEXECUTION of a finished execution', async () => {
  const id = idOf(await c.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()", 'UNBLOCKING'));
  await call('RG.GETRESULTSBLOCKING', id);
  const dump = await call('RG.DUMPEXECUTIONS');
  assert.ok(dump.includes(`*6\r\n$11\r\nexecutionId\r\n$${id.length}\r\n${id}\r\n$6\r\nstatus\r\n$4\r\ndone\r\n$10\r\nregistered\r\n:0\r\n`), dump);
  const plan = await call('RG.GETEXECUTION', id);
  assert.ok(plan.startsWith(`*1\r\n*4\r\n$8\r\nshard_id\r\n$40\r\n${ZERO_ID}\r\n$14\r\nexecution_plan\r\n*16\r\n$6\r\nstatus\r\n$4\r\ndone\r\n` +
    '$15\r\nshards_received\r\n:0\r\n$16\r\nshards_completed\r\n:0\r\n$7\r\nresults\r\n:1\r\n$6\r\nerrors\r\n*0\r\n'), plan);
  // collect, the str() map, the record conversion: last step first, reader not listed
  assert.match(plan, /\$5\r\nsteps\r\n\*3\r\n\*8\r\n\$4\r\ntype\r\n\$7\r\ncollect\r\n\$8\r\nduration\r\n:0\r\n\$4\r\nname\r\n\$7\r\ncollect\r\n\$3\r\narg\r\n\$0\r\n\r\n/);
  assert.match(plan, /\$29\r\nRedisGearsPy_PyCallbackMapper\r\n\$3\r\narg\r\n\$\d+\r\n<function GearsBuilder\.run\.<locals>\.<lambda> at 0x[0-9a-f]+>\r\n/);
  assert.ok(plan.endsWith('$4\r\nname\r\n$29\r\nRedisGearsPy_ToPyRecordMapper\r\n$3\r\narg\r\n$0\r\n\r\n'), plan);
  assert.is(await call('RG.GETEXECUTION', id, 'shard'), plan);
  assert.is(await call('RG.GETEXECUTION', id, 'CLUSTER'), '-no cluster detected - use `RG.GETEXECUTION <id> [SHARD]` instead\r\n');
  assert.is(await call('RG.GETEXECUTION', id, 'other'), '-unknown subcommand\r\n');
  assert.is(await call('RG.GETEXECUTION', id, 'a', 'b'), "-ERR wrong number of arguments for 'rg.getexecution' command\r\n");
});

test('the steps of every operation, and a failed execution\'s errors, in RG.GETEXECUTION', async () => {
  const script = "GB('ShardsIDReader').flatmap(lambda x: [x]).localgroupby(lambda x: x, lambda k, a, r: 1/0).run()";
  const id = idOf(await c.call('RG.PYEXECUTE', script, 'UNBLOCKING'));
  await call('RG.GETRESULTSBLOCKING', id);
  const plan = await call('RG.GETEXECUTION', id);
  const types = [...plan.matchAll(/\$4\r\ntype\r\n\$\d+\r\n(\w+)\r\n/g)].map((m) => m[1]);
  assert.equal(types, ['collect', 'map', 'map', 'accumulatebykey', 'extractkey', 'flatmap', 'map', 'map']);
  const names = [...plan.matchAll(/\$4\r\nname\r\n\$\d+\r\n(\w+)\r\n/g)].map((m) => m[1]);
  assert.equal(names, ['collect', 'RedisGearsPy_PyCallbackMapper', 'RedisGearsPy_ToPyRecordMapper', 'RedisGearsPy_PyCallbackAccumulateByKey',
    'RedisGearsPy_PyCallbackExtractor', 'flatmap', 'RedisGearsPy_PyCallbackFlatMapper', 'RedisGearsPy_ToPyRecordMapper']);
  assert.match(plan, /\$7\r\nresults\r\n:0\r\n\$6\r\nerrors\r\n\*1\r\n\$\d+\r\n\['Traceback/);
});

test('a running execution: still running, listed as running, not droppable; GETRESULTSBLOCKING waits', async () => {
  const id = idOf(await c.call('RG.PYEXECUTE', slow(400), 'UNBLOCKING'));
  const other = await RawClient.connect(server.port);
  assert.is((await other.call('RG.GETRESULTS', id)).toString(), '-execution is still running\r\n');
  assert.match((await other.call('RG.DUMPEXECUTIONS')).toString(), new RegExp(`${id}\\r\\n\\$6\\r\\nstatus\\r\\n\\$7\\r\\nrunning\\r\\n`));
  const plan = (await other.call('RG.GETEXECUTION', id)).toString();
  assert.match(plan, /\$6\r\nstatus\r\n\$7\r\nrunning\r\n.*\$7\r\nresults\r\n:-1\r\n\$6\r\nerrors\r\n\*0\r\n/s);
  assert.is((await other.call('RG.DROPEXECUTION', id)).toString(), '-can not drop a not yet finished execution, abort it first.\r\n');
  assert.is((await other.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes(['slept']));
  other.close();
});

test('RG.ABORTEXECUTION: unknown, finished (OK), running (aborted)', async () => {
  assert.is(await call('RG.ABORTEXECUTION', `${ZERO_ID}-99999`), '-execution does not exist\r\n');
  const done = idOf(await c.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()", 'UNBLOCKING'));
  await call('RG.GETRESULTSBLOCKING', done);
  assert.is(await call('RG.ABORTEXECUTION', done), '+OK\r\n');
  const spin = 'def spin(x):\n    while True:\n        pass\nGB(\'ShardsIDReader\').map(spin).run()';
  const id = idOf(await c.call('RG.PYEXECUTE', spin, 'UNBLOCKING'));
  await sleep(100);
  assert.is(await call('RG.ABORTEXECUTION', id), '+OK\r\n');
  assert.is(await call('RG.GETRESULTSBLOCKING', id), resultBytes([]));
  assert.match(await call('RG.DUMPEXECUTIONS'), new RegExp(`${id}\\r\\n\\$6\\r\\nstatus\\r\\n\\$7\\r\\naborted\\r\\n`));
});

test('unknown and malformed ids', async () => {
  for (const id of [`${ZERO_ID}-999`, 'no-such-id', `${ZERO_ID}-x`]) {
    assert.is(await call('RG.GETRESULTS', id), '-execution plan does not exist\r\n');
    assert.is(await call('RG.GETRESULTSBLOCKING', id), '-execution plan does not exist\r\n');
    assert.is(await call('RG.GETEXECUTION', id), '-execution plan does not exist\r\n');
    assert.is(await call('RG.DROPEXECUTION', id), '-execution plan does not exist\r\n');
  }
});

test('arity errors', async () => {
  for (const cmd of ['RG.PYEXECUTE', 'RG.GETRESULTS', 'RG.GETRESULTSBLOCKING', 'RG.GETEXECUTION', 'RG.DROPEXECUTION', 'RG.ABORTEXECUTION']) {
    assert.is(await call(cmd), `-ERR wrong number of arguments for '${cmd.toLowerCase()}' command\r\n`);
  }
  assert.is(await call('RG.DROPEXECUTION', 'a', 'b'), "-ERR wrong number of arguments for 'rg.dropexecution' command\r\n");
});

test('RG.PYEXECUTE options', async () => {
  assert.is(await call('RG.PYEXECUTE', '1+1'), '+OK\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'upgrade', 'Description', 'text', 'ID', 'my-id_1'), '+OK\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'ID'), '-ID is missing\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'DESCRIPTION'), '-DESCRIPTION is missing\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'REPLACE_WITH'), '-REPLACE_WITH is missing\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'ID', 'bad id'), "-ID must be compose of: ['A'-'Z' | 'a'-'z' | '0' - '9' | '-' | '_']\r\n");
  assert.is(await call('RG.PYEXECUTE', '1+1', 'UNBLOCKING', 'whatever'), '-Unknown arguments were given: whatever\r\n');
  assert.is(await call('RG.PYEXECUTE', '1+1', 'REPLACE_WITH', 'old'), '-Can not replace with old, session does not exists.\r\n');
  assert.match(await call('RG.PYEXECUTE', '1+1', 'REQUIREMENTS', 'numpy'), /^-REQUIREMENTS are not supported/);
  assert.match(await call('RG.PYEXECUTE', "GB('ShardsIDReader').run()\nGB('ShardsIDReader').run()"),
    /^-\['Traceback.*gears\.error: Can not run more then 1 executions in a single script\\n'\]\r\n$/);
});

test('RG.PYEXECUTE is refused where blocking is not allowed (execute() from Python)', async () => {
  assert.is(await call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: execute('RG.PYEXECUTE', '1')).run()"),
    resultBytes([], [`['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <lambda>\\n', 'gears.error: Can not run gears inside a multi exec, lua, or when blocking is not allowed\\n']`]));
});

test('MaxExecutions evicts the oldest execution', async () => {
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', '2'), '*1\r\n+OK\r\n');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = idOf(await c.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()", 'UNBLOCKING'));
    await call('RG.GETRESULTSBLOCKING', id);
    ids.push(id);
  }
  assert.is(await call('RG.GETRESULTS', ids[0]), '-execution plan does not exist\r\n');
  assert.is(await call('RG.GETRESULTS', ids[2]), resultBytes(['1']));
  assert.is((await call('RG.DUMPEXECUTIONS')).match(/executionId/g)!.length, 2);
  // evicted while running: unlisted, but whoever waits still gets the reply
  const running = c.call('RG.PYEXECUTE', slow(300));
  await sleep(50);
  for (let i = 0; i < 2; i++) await call('RG.PYEXECUTE', "GB('ShardsIDReader').run()", 'UNBLOCKING');
  assert.is((await running).toString(), resultBytes(['slept']));
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', '1000'), '*1\r\n+OK\r\n');
});

test('RG.CONFIGGET', async () => {
  assert.is(await call('RG.CONFIGGET', 'MaxExecutions', 'ExecutionMaxIdleTime', 'PythonInstallationDir', 'NoSuchConfig'),
    '*4\r\n:1000\r\n:5000\r\n$29\r\n/var/opt/redislabs/modules/rg\r\n-(error) Unsupported config parameter: NoSuchConfig\r\n');
  assert.is(await call('RG.CONFIGGET'), '*0\r\n');
  assert.is(await call('RG.CONFIGGET', 'Plugin', 'ExecutionThreads', 'PythonAttemptTraceback', 'DownloadDeps', 'MyOwnKey'),
    '*5\r\n*0\r\n:3\r\n:1\r\n:0\r\n$5\r\nhello\r\n');
  // core names are case-sensitive for CONFIGGET
  assert.is(await call('RG.CONFIGGET', 'maxexecutions'), '*1\r\n-(error) Unsupported config parameter: maxexecutions\r\n');
});

test('RG.CONFIGSET', async () => {
  assert.is(await call('RG.CONFIGSET', 'maxexecutions', '50', 'ExecutionThreads', '9', 'SendMsgRetries', '-1', 'ProfileExecutions'),
    '*4\r\n+OK\r\n-(error) Config value ExecutionThreads not modifiable at runtime\r\n-(error) Failed setting config value SendMsgRetries\r\n-(error) Failed setting config value ProfileExecutions\r\n');
  assert.is(await call('RG.CONFIGGET', 'MaxExecutions'), '*1\r\n:50\r\n');
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', 'abc', 'ExecutionMaxIdleTime', '0'),
    '*2\r\n-(error) Failed setting config value MaxExecutions\r\n-(error) Failed setting config value ExecutionMaxIdleTime\r\n');
  assert.is(await call('RG.CONFIGSET', 'custom', 'v1', 'lonely'),
    '*2\r\n+OK - value was saved in extra config dictionary\r\n-(error) Value was not given to lonely\r\n');
  assert.is(await call('RG.CONFIGGET', 'custom'), '*1\r\n$2\r\nv1\r\n');
  assert.is(await call('RG.CONFIGSET', 'CreateVenv', '1', 'PythonInstallReqMaxIdleTime', '0', 'PythonInstallReqMaxIdleTime', '10'),
    "*3\r\n-(error) CreateVenv is not configurable at runtime\r\n-Failed setting config value for key 'PythonInstallReqMaxIdleTime' with value '0'\r\n+OK - value was saved in extra config dictionary\r\n");
  assert.is(await call('RG.CONFIGGET', 'PythonInstallReqMaxIdleTime'), '*1\r\n:10\r\n');
  // configGet() reads the extra dictionary only
  assert.is(await call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: [configGet('custom'), configGet('MaxExecutions'), configGet('MyOwnKey')]).run()"),
    resultBytes(["['v1', None, 'hello']"]));
  assert.is(await call('RG.CONFIGSET', 'MaxExecutions', '1000'), '*1\r\n+OK\r\n');
});

test('PythonAttemptTraceback=0 gives "Error type: ..., Value: ..."', async () => {
  assert.is(await call('RG.CONFIGSET', 'PythonAttemptTraceback', '0'), '*1\r\n+OK - value was saved in extra config dictionary\r\n');
  assert.is(await call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: 1/0).run()"),
    resultBytes([], ["Error type: <class 'ZeroDivisionError'>, Value: division by zero"]));
  assert.is(await call('RG.CONFIGSET', 'PythonAttemptTraceback', '1'), '*1\r\n+OK - value was saved in extra config dictionary\r\n');
});

test('ProfileExecutions=1 measures step durations', async () => {
  await call('RG.CONFIGSET', 'ProfileExecutions', '1');
  const id = idOf(await c.call('RG.PYEXECUTE', "import time\nGB('ShardsIDReader').map(lambda x: time.sleep(0.05)).run()", 'UNBLOCKING'));
  await call('RG.GETRESULTSBLOCKING', id);
  const plan = await call('RG.GETEXECUTION', id);
  const durations = [...plan.matchAll(/\$8\r\nduration\r\n:(\d+)\r\n/g)].map((m) => Number(m[1]));
  assert.ok(durations.some((d) => d >= 40), plan);
  const total = Number(/\$14\r\ntotal_duration\r\n:(\d+)/.exec(plan)![1]);
  assert.ok(total >= 40, plan);
  await call('RG.CONFIGSET', 'ProfileExecutions', '0');
});

test('RG.PYSTATS counts what Python allocates', async () => {
  const stats = async () => {
    const m = /^\*6\r\n\$14\r\nTotalAllocated\r\n:(\d+)\r\n\$13\r\nPeakAllocated\r\n:(\d+)\r\n\$13\r\nCurrAllocated\r\n:(\d+)\r\n$/.exec(await call('RG.PYSTATS'));
    assert.ok(m);
    return m!.slice(1).map(Number);
  };
  const [total, peak, current] = await stats();
  assert.ok(total >= peak && peak >= current && current > 0);
  await call('RG.PYEXECUTE', "x = 'y' * 50000000");
  const [total2, peak2] = await stats();
  assert.ok(total2 >= total + 50000000 && peak2 >= 50000000, `${total2} ${peak2}`);
});

test('OverridePythonAllocators 0 at load: CPython keeps its own allocators, RG.PYSTATS counts nothing', async () => {
  const plain = await startGearsd(['--gears', 'OverridePythonAllocators 0']);
  const p = await RawClient.connect(plain.port);
  const stats = '*6\r\n$14\r\nTotalAllocated\r\n:0\r\n$13\r\nPeakAllocated\r\n:0\r\n$13\r\nCurrAllocated\r\n:0\r\n';
  assert.is((await p.call('RG.PYSTATS')).toString(), stats);
  assert.is((await p.call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda r: len('y' * 5000000)).run()")).toString(), resultBytes(['5000000']));
  assert.is((await p.call('RG.PYSTATS')).toString(), stats);
  assert.is((await p.call('RG.CONFIGGET', 'OverridePythonAllocators')).toString(), '*1\r\n:0\r\n');
  assert.is((await p.call('RG.CONFIGSET', 'OverridePythonAllocators', '1')).toString(),
    '*1\r\n-(error) OverridePythonAllocators is not configurable at runtime\r\n');
  p.close();
  await plain.stop();
  // the default server counts, and refuses the change the same way
  assert.is(await call('RG.CONFIGGET', 'OverridePythonAllocators'), '*1\r\n:1\r\n');
  assert.is(await call('RG.CONFIGSET', 'OverridePythonAllocators', '0'), '*1\r\n-(error) OverridePythonAllocators is not configurable at runtime\r\n');
});

test('RG.INFOCLUSTER, RG.REFRESHCLUSTER, RG.DUMPPLUGINS, RG.PYDUMPREQS', async () => {
  assert.is(await call('RG.INFOCLUSTER'), '$15\r\nno cluster mode\r\n');
  assert.is(await call('RG.REFRESHCLUSTER'), '+OK\r\n');
  assert.is(await call('RG.DUMPPLUGINS'), '*1\r\n*2\r\n$17\r\nGearsPythonPlugin\r\n:10000\r\n');
  assert.is(await call('RG.PYDUMPREQS'), '*0\r\n');
});

test('a bad load-time Gears option stops start-up', async () => {
  let failed = false;
  try {
    const s = await startGearsd(['--gears', 'ExecutionThreads 0']);
    await s.stop();
  } catch (e) {
    failed = /Failed setting config value ExecutionThreads/.test(String(e));
  }
  assert.ok(failed);
});

test.run();
