// Nothing a script does crashes the ctx.server (issue #4 point 6): syntax errors, exceptions in any
// step or reader, a step that loops forever (aborted), MemoryError, a huge result, a client
// that disconnects while its execution runs. After each, the ctx.server serves on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { idOf, lambdaError, resultBytes, sleep } from './helpers/gears.js';
import { RawClient, encodeCommand } from './helpers/raw-client.js';
import { connectIoredis, rawGearsdForSuite } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

async function run(script: string, ...opts: string[]): Promise<string> {
  return (await ctx.c.call('RG.PYEXECUTE', script, ...opts)).toString();
}

async function alive(): Promise<void> {
  const probe = await RawClient.connect(ctx.server.port);
  assert.is((await probe.call('PING')).toString(), '+PONG\r\n');
  probe.close();
}

test('syntax errors: "Error type: ..., Value: ..." (no traceback)', async () => {
  assert.is(await run('x = = 1'), "-Error type: <class 'SyntaxError'>, Value: invalid syntax (<string>, line 1)\r\n");
  assert.is(await run('\0'), "-Error type: <class 'SyntaxError'>, Value: source code string cannot contain null bytes\r\n");
  await alive();
});

test('an exception at the top level of a script, with its traceback', async () => {
  assert.is(await run("raise Exception('boom at top level')"),
    `-['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <module>\\n', 'Exception: boom at top level\\n']\r\n`);
  // an execution made before the exception never runs, and its id is not listed
  assert.match(await run("GB('ShardsIDReader').run(); raise Exception('after run')", 'UNBLOCKING'), /Exception: after run/);
  assert.is((await ctx.c.call('RG.DUMPEXECUTIONS')).toString(), '*0\r\n');
});

test('exceptions in every kind of step and reader become error records', async () => {
  const boom = lambdaError('ZeroDivisionError', 'division by zero');
  const steps = [
    'map(lambda x: 1/0)', 'flatmap(lambda x: 1/0)', 'filter(lambda x: 1/0)', 'foreach(lambda x: 1/0)',
    'accumulate(lambda a, r: 1/0)', 'localgroupby(lambda x: 1/0, lambda k, a, r: a)', 'localgroupby(lambda x: x, lambda k, a, r: 1/0)',
    'groupby(lambda x: x, lambda k, a, r: 1/0)', 'batchgroupby(lambda x: x, lambda k, rs: 1/0)', 'repartition(lambda x: 1/0)',
  ];
  for (const step of steps) assert.is(await run(`GB('ShardsIDReader').${step}.run()`), resultBytes([], [boom]), step);
  assert.is(await run("GB('PythonReader').run(lambda: 1/0)"), resultBytes([], [boom]));
  const gen = "def g():\n    yield 1\n    raise ValueError('from the reader')\nGB('PythonReader').run(g)";
  assert.is(await run(gen), resultBytes(['1'], [
    `['Traceback (most recent call last):\\n', '  File "<string>", line 3, in g\\n', 'ValueError: from the reader\\n']`,
  ]));
  await alive();
});

test('MemoryError in a step is an error record', async () => {
  const r = await run("GB('ShardsIDReader').map(lambda x: bytearray(2**62)).run()");
  assert.is(r, resultBytes([], [`['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <lambda>\\n', 'MemoryError\\n']`]));
  await alive();
});

test('a huge result', async () => {
  // ioredis parses incrementally; the raw test client would re-frame 20 MB per chunk.
  const redis = await connectIoredis(ctx.server.port);
  const r = (await redis.call('RG.PYEXECUTE', "GB('PythonReader').map(lambda x: 'x' * 100).run(lambda: (yield from range(200000)))")) as [string[], string[]];
  assert.is(r[0].length, 200000);
  assert.is(r[0][199999], 'x'.repeat(100));
  assert.equal(r[1], []);
  redis.disconnect();
  await alive();
});

test('a step that loops for ever is stopped by RG.ABORTEXECUTION (gears.forcestopped)', async () => {
  const spin = "def spin(x):\n    while True:\n        pass\nGB('ShardsIDReader').map(spin).run()";
  const id = idOf(await ctx.c.call('RG.PYEXECUTE', spin, 'UNBLOCKING'));
  await alive();
  assert.is((await ctx.c.call('RG.ABORTEXECUTION', id)).toString(), '+OK\r\n');
  assert.is((await ctx.c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes([]));
  // the loop can catch the exception but the execution still ends as aborted
  const stubborn = "def spin(x):\n    try:\n        while True:\n            pass\n    except Exception:\n        return 'caught'\nGB('ShardsIDReader').map(spin).run()";
  const id2 = idOf(await ctx.c.call('RG.PYEXECUTE', stubborn, 'UNBLOCKING'));
  await sleep(50);
  await ctx.c.call('RG.ABORTEXECUTION', id2);
  await ctx.c.call('RG.GETRESULTSBLOCKING', id2);
  assert.match((await ctx.c.call('RG.DUMPEXECUTIONS')).toString(), new RegExp(`${id2}\\r\\n\\$6\\r\\nstatus\\r\\n\\$7\\r\\naborted`));
  // a reader that never ends (a plain PythonReader function) stops too
  const id3 = idOf(await ctx.c.call('RG.PYEXECUTE', "GB('PythonReader').filter(lambda x: False).run(lambda: 1)", 'UNBLOCKING'));
  await ctx.c.call('RG.ABORTEXECUTION', id3);
  assert.is((await ctx.c.call('RG.GETRESULTSBLOCKING', id3)).toString(), resultBytes([]));
  // the thread that ran them runs the next execution normally
  for (let i = 0; i < 4; i++) assert.is(await run("GB('ShardsIDReader').map(lambda x: 'fine').run()"), resultBytes(['fine']));
});

test('a blocked RG.PYEXECUTE client gets its partial result when the execution is aborted', async () => {
  const spin = "def gen():\n    yield 'first'\n    while True:\n        pass\nGB('PythonReader').run(gen)";
  const waiting = ctx.c.call('RG.PYEXECUTE', spin);
  const other = await RawClient.connect(ctx.server.port);
  let id = '';
  while (!id) {
    const m = /(0{40}-\d+)\r\n\$6\r\nstatus\r\n\$7\r\nrunning/.exec((await other.call('RG.DUMPEXECUTIONS')).toString());
    if (m) id = m[1];
    else await sleep(10);
  }
  assert.is((await other.call('RG.ABORTEXECUTION', id)).toString(), '+OK\r\n');
  assert.is((await waiting).toString(), resultBytes(['first']));
  other.close();
});

test('RG.ABORTEXECUTION ends a step stuck in time.sleep (gears.forcestopped), blocking or not', async () => {
  // CPython cannot interrupt its own sleep on a worker thread; gearsd's time.sleep can
  const sleeper = "import time\nGB('PythonReader').map(lambda r: time.sleep(100) or r).run(lambda: (yield from ['a', 'b']))";
  const id = idOf(await ctx.c.call('RG.PYEXECUTE', sleeper, 'UNBLOCKING'));
  let status = '';
  while (!status.includes(`${id}\r\n$6\r\nstatus\r\n$7\r\nrunning`)) status = (await ctx.c.call('RG.DUMPEXECUTIONS')).toString();
  assert.is((await ctx.c.call('RG.ABORTEXECUTION', id)).toString(), '+OK\r\n');
  assert.is((await ctx.c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes([]));
  assert.match((await ctx.c.call('RG.DUMPEXECUTIONS')).toString(), new RegExp(`${id}\\r\\n\\$6\\r\\nstatus\\r\\n\\$7\\r\\naborted`));
  // a blocked client gets its (empty) result; `from time import sleep` is the same function
  const redis = await connectIoredis(ctx.server.port);
  const other = await connectIoredis(ctx.server.port);
  const waiting = redis.call('RG.PYEXECUTE', "from time import sleep\nGB('ShardsIDReader').map(lambda r: sleep(100)).run()");
  let running: string | undefined;
  while (!running) {
    const list = (await other.call('RG.DUMPEXECUTIONS')) as string[][];
    running = list.find((e) => e[3] === 'running')?.[1];
  }
  assert.is(await other.call('RG.ABORTEXECUTION', running), 'OK');
  assert.equal(await waiting, [[], []]);
  // a short sleep still sleeps, and a bad argument fails as CPython's does
  assert.is(await run("import time\nGB('ShardsIDReader').map(lambda r: (time.sleep(0.001), time.sleep.__name__)).run()"),
    resultBytes(["(None, 'sleep')"]));
  assert.is(await run("import time; GB('ShardsIDReader').map(lambda r: time.sleep(-1)).run()"),
    resultBytes([], [lambdaError('ValueError', 'sleep length must be non-negative')]));
  redis.disconnect();
  other.disconnect();
  await alive();
});

test('a client that disconnects while its execution runs', async () => {
  const gone = await RawClient.connect(ctx.server.port);
  gone.write(encodeCommand(['RG.PYEXECUTE', "import time\nGB('ShardsIDReader').map(lambda x: time.sleep(0.3) or 'x').run()"]));
  await sleep(50);
  gone.close();
  await alive();
  await sleep(400);
  await alive();
  // its blocking execution was dropped when it finished
  assert.is((await ctx.c.call('RG.DUMPEXECUTIONS')).toString().includes('running'), false);
});

test('an atomic() block left open by a step is closed when the execution ends', async () => {
  const leak = "def f(x):\n    atomic().__enter__()\n    return 'left open'\nGB('ShardsIDReader').map(f).run()";
  assert.is(await run(leak), resultBytes(['left open']));
  assert.is((await ctx.c.call('SET', 'still', 'writable')).toString(), '+OK\r\n');
});

test.run();
