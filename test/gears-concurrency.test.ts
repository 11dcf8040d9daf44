// Gears executions and everyone else: a long job over a million keys does not hold up other
// clients, atomic() keeps other writers out for its whole block, and TS-owned commands reached
// from execution threads are served by the main thread.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { idOf, resultBytes } from './helpers/gears.js';
import { RawClient, encodeCommand } from './helpers/raw-client.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;

test.before(async () => {
  server = await startGearsd(['--notify-keyspace-events', 'KA']);
});

test.after(async () => {
  await server.stop();
});

/** Writes n keys prefix:0..n-1 with value i, in pipelined MSETs. */
async function populate(c: RawClient, prefix: string, n: number): Promise<void> {
  const perCommand = 1000;
  const commands: Buffer[] = [];
  for (let start = 0; start < n; start += perCommand) {
    const args = ['MSET'];
    for (let i = start; i < Math.min(n, start + perCommand); i++) args.push(`${prefix}${i}`, String(i));
    commands.push(encodeCommand(args));
  }
  const window = 50;
  for (let i = 0; i < commands.length; i += window) {
    const batch = commands.slice(i, i + window);
    c.write(Buffer.concat(batch));
    for (let k = 0; k < batch.length; k++) assert.is((await c.next()).toString(), '+OK\r\n');
  }
}

test('while a job over 1,000,000 keys runs, other clients are answered before it finishes', async () => {
  const c = await RawClient.connect(server.port);
  await populate(c, 'big:', 1_000_000);
  const script = "GB().map(lambda x: int(x['value'])).aggregate(0, lambda a, r: a + r, lambda a, r: a + r).run('big:*')";
  const id = idOf(await c.call('RG.PYEXECUTE', script, 'UNBLOCKING'));
  const other = await RawClient.connect(server.port);
  assert.is((await other.call('PING')).toString(), '+PONG\r\n');
  assert.is((await other.call('GET', 'big:7')).toString(), '$1\r\n7\r\n');
  assert.is((await other.call('SET', 'during', 'yes')).toString(), '+OK\r\n');
  // Answered while the job still runs: it has not finished yet.
  assert.is((await other.call('RG.GETRESULTS', id)).toString(), '-execution is still running\r\n');
  assert.is((await c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes([String((999_999 * 1_000_000) / 2)]));
  other.close();
  c.close();
});

test('a walk sees every key that exists throughout, while the table grows under it', async () => {
  const c = await RawClient.connect(server.port);
  await c.call('SELECT', '3');
  await populate(c, 'walk:', 100_000);
  const id = idOf(await c.call('RG.PYEXECUTE', "GB('KeysOnlyReader').map(lambda k: k).distinct().count().run('walk:*')", 'UNBLOCKING'));
  const writer = await RawClient.connect(server.port);
  await writer.call('SELECT', '3');
  await populate(writer, 'grow:', 300_000);  // doubles the table (at least) while the walk runs
  assert.is((await c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes(['100000']));
  writer.close();
  c.close();
});

test('no other client\'s write lands inside an atomic() block', async () => {
  const c = await RawClient.connect(server.port);
  await c.call('SET', 'at:counter', '0');
  const script = [
    'import time',
    'def f(r):',
    '    time.sleep(0.1)',
    '    with atomic():',
    "        first = execute('INCR', 'at:counter')",
    '        time.sleep(0.3)',
    "        execute('SET', 'at:first', first)",
    "        execute('SET', 'at:last', execute('GET', 'at:counter'))",
    "GB('ShardsIDReader').foreach(f).run()",
  ].join('\n');
  // A writer increments the same counter without pause before, during and after the block.
  const writer = await RawClient.connect(server.port);
  let finished = false;
  const seen: number[] = [];
  const writing = (async () => {
    while (!finished) seen.push(Number((await writer.call('INCR', 'at:counter')).toString().slice(1)));
  })();
  await c.call('RG.PYEXECUTE', script);
  finished = true;
  await writing;
  const first = Number((await c.call('GET', 'at:first')).toString().split('\r\n')[1]);
  const last = Number((await c.call('GET', 'at:last')).toString().split('\r\n')[1]);
  assert.is(last, first, 'a write landed inside the atomic block');
  assert.ok(seen.some((v) => v < first) && seen.some((v) => v > first), `writer values ${seen.length} around ${first}`);
  writer.close();
  c.close();
});

test('atomic() refuses nesting and TS-owned commands', async () => {
  const c = await RawClient.connect(server.port);
  const nested = "def f(r):\n    with atomic():\n        with atomic():\n            pass\nGB('ShardsIDReader').foreach(f).run()";
  assert.match((await c.call('RG.PYEXECUTE', nested)).toString(), /gears.error: Already inside an atomic block/);
  const ts = "def f(r):\n    with atomic():\n        execute('PING')\nGB('ShardsIDReader').foreach(f).run()";
  assert.match((await c.call('RG.PYEXECUTE', ts)).toString(), /gears.error: Can not execute 'PING' inside an atomic block: it is served by the main thread/);
  // the lock was released: the server still serves writes
  assert.is((await c.call('SET', 'after:atomic', '1')).toString(), '+OK\r\n');
  c.close();
});

test('execute() reaches TS-owned commands from execution threads and script bodies', async () => {
  const c = await RawClient.connect(server.port);
  const r = await c.call('RG.PYEXECUTE', "x = execute('ECHO', 'body')\nGB('PythonReader').map(lambda r: [x, execute('ECHO', r), execute('RG.INFOCLUSTER')]).run(lambda: (yield from ['a', 'b']))");
  assert.is(r.toString(), resultBytes(["['body', 'a', 'no cluster mode']", "['body', 'b', 'no cluster mode']"]));
  c.close();
});

test('executions run on ExecutionThreads threads at once; more wait as created', async () => {
  const c = await RawClient.connect(server.port);
  const script = "import time\nGB('ShardsIDReader').map(lambda x: time.sleep(0.5) or 'done').run()";
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(idOf(await c.call('RG.PYEXECUTE', script, 'UNBLOCKING')));
  await new Promise((r) => setTimeout(r, 100));
  const statuses = [];
  for (const id of ids) statuses.push(/\$6\r\nstatus\r\n\$\d+\r\n(\w+)/.exec((await c.call('RG.GETEXECUTION', id)).toString())![1]);
  // the default pool has 3 threads: three sleep at once, the fourth waits its turn
  assert.equal(statuses, ['running', 'running', 'running', 'created']);
  for (const id of ids) assert.is((await c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes(['done']));
  c.close();
});

test('PUBLISH from a step reaches subscribers; keyspace events of writes on execution threads are delivered', async () => {
  const sub = await RawClient.connect(server.port);
  assert.is((await sub.call('SUBSCRIBE', 'ch', '__keyspace@0__:pubkey')).toString(), '*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
  await sub.next();
  const c = await RawClient.connect(server.port);
  const r = await c.call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: [execute('PUBLISH', 'ch', 'hi'), execute('SET', 'pubkey', 'v')]).run()");
  assert.is(r.toString(), resultBytes(["[1, 'OK']"]));
  assert.is((await sub.next()).toString(), '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
  assert.is((await sub.next()).toString(), '*3\r\n$7\r\nmessage\r\n$21\r\n__keyspace@0__:pubkey\r\n$3\r\nset\r\n');
  sub.close();
  c.close();
});

test('RG.PYEXECUTE inside MULTI is refused', async () => {
  const c = await RawClient.connect(server.port);
  assert.is((await c.call('MULTI')).toString(), '+OK\r\n');
  assert.is((await c.call('RG.PYEXECUTE', "GB('ShardsIDReader').run()")).toString(), '+QUEUED\r\n');
  assert.is((await c.call('EXEC')).toString(), '*1\r\n-Can not run gears inside a multi exec, lua, or when blocking is not allowed\r\n');
  c.close();
});

test.run();
