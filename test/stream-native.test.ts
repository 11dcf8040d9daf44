// The native side of stream commands, driven through the addon's one door as the server
// drives it: the keyspace events each command fires (pub/sub delivery of them is not
// this file's business) and the blocking contract of XREAD / XREADGROUP (would block,
// the argv to re-run, MULTI's immediate answer, what a woken re-run answers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { families } from '../src/commands/index.js';
import { CommandTable } from '../src/commands/table.js';
import { CALLER_DENY_BLOCKING, CALLER_WAKE_UP, EXEC_RETRY_ARGV, EXEC_WOULD_BLOCK, loadNative } from '../src/native.js';

const native = loadNative();
native.init({ databases: 16 });
const table = new CommandTable(families);
table.bind(native);

// Keyevent messages (E) for stream (t), generic (g) and keymiss (m) events.
const NOTIFY = (1 << 1) | (1 << 2) | (1 << 10) | (1 << 11);
native.setNotifyFlags(NOTIFY);

interface Run {
  status: number;
  reply: string;
  events: string[];  // "event key"
}

function run(args: string[], caller = 0): Run {
  native.drainEvents();
  const spec = table.lookup(args[0])!;
  const status = native.exec(spec.nativeId!, 0, args.map((a) => Buffer.from(a)), caller);
  const reply = native.takeOutput().toString('latin1');
  const ps = native.drainEvents().pubsub;
  const events: string[] = [];
  for (let i = 0; i < ps.length; i += 2) events.push(`${ps[i].toString().replace('__keyevent@0__:', '')} ${ps[i + 1]}`);
  return { status, reply, events };
}

const events = (...args: string[]) => run(args).events;

test('XADD fires xadd, then xtrim when it trimmed', () => {
  assert.equal(events('XADD', 'ev:a', '1-1', 'f', 'v'), ['xadd ev:a']);
  assert.equal(events('XADD', 'ev:a', 'MAXLEN', '1', '2-1', 'f', 'v'), ['xadd ev:a', 'xtrim ev:a']);
  assert.equal(events('XADD', 'ev:a', 'MAXLEN', '5', '3-1', 'f', 'v'), ['xadd ev:a']);
  assert.equal(events('XADD', 'ev:a', '1-1', 'f', 'v'), [], 'a refused id changes nothing');
  assert.equal(events('XADD', 'ev:none', 'NOMKSTREAM', '*', 'f', 'v'), []);
});

test('XDEL, XTRIM and XSETID fire only when they change something', () => {
  run(['XADD', 'ev:b', '1-1', 'f', 'v']);
  run(['XADD', 'ev:b', '2-1', 'f', 'v']);
  run(['XADD', 'ev:b', '3-1', 'f', 'v']);
  assert.equal(events('XDEL', 'ev:b', '9-9'), []);
  assert.equal(events('XDEL', 'ev:b', '1-1'), ['xdel ev:b']);
  assert.equal(events('XTRIM', 'ev:b', 'MAXLEN', '5'), []);
  assert.equal(events('XTRIM', 'ev:b', 'MAXLEN', '1'), ['xtrim ev:b']);
  assert.equal(events('XSETID', 'ev:b', '10-0'), ['xsetid ev:b']);
  assert.equal(events('XLEN', 'ev:missing'), ['keymiss ev:missing']);
});

test('XGROUP subcommands and consumer creation by reads and claims', () => {
  assert.equal(events('XGROUP', 'CREATE', 'ev:g', 'grp', '$', 'MKSTREAM'), ['xgroup-create ev:g']);
  assert.equal(events('XGROUP', 'CREATE', 'ev:g', 'grp', '$'), [], 'BUSYGROUP');
  assert.equal(events('XGROUP', 'SETID', 'ev:g', 'grp', '0'), ['xgroup-setid ev:g']);
  assert.equal(events('XGROUP', 'CREATECONSUMER', 'ev:g', 'grp', 'alice'), ['xgroup-createconsumer ev:g']);
  assert.equal(events('XGROUP', 'CREATECONSUMER', 'ev:g', 'grp', 'alice'), []);
  run(['XADD', 'ev:g', '1-1', 'f', 'v']);
  assert.equal(events('XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'ev:g', '>'), ['xgroup-createconsumer ev:g']);
  assert.equal(events('XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'ev:g', '0'), []);
  assert.equal(events('XCLAIM', 'ev:g', 'grp', 'carol', '0', '1-1', 'JUSTID'), ['xgroup-createconsumer ev:g']);
  assert.equal(events('XAUTOCLAIM', 'ev:g', 'grp', 'dave', '0', '0'), ['xgroup-createconsumer ev:g']);
  assert.equal(events('XACK', 'ev:g', 'grp', '1-1'), [], 'XACK fires nothing, as in Redis');
  assert.equal(events('XGROUP', 'DELCONSUMER', 'ev:g', 'grp', 'alice'), ['xgroup-delconsumer ev:g']);
  assert.equal(events('XGROUP', 'DELCONSUMER', 'ev:g', 'grp', 'alice'), []);
  assert.equal(events('XGROUP', 'DESTROY', 'ev:g', 'grp'), ['xgroup-destroy ev:g']);
  assert.equal(events('XGROUP', 'DESTROY', 'ev:g', 'grp'), []);
});

test('XREAD BLOCK with nothing to read would block, with $ resolved in the argv to re-run', () => {
  run(['XADD', 'bl:a', '5-1', 'f', 'v']);
  const r = run(['XREAD', 'BLOCK', '0', 'STREAMS', 'bl:a', 'bl:nokey', 'bl:a', '$', '$', '9-9']);
  assert.is(r.reply, '', 'no reply while blocked');
  assert.ok(r.status & EXEC_WOULD_BLOCK);
  assert.ok(r.status & EXEC_RETRY_ARGV);
  const retry = native.takeRetryArgv().map(String);
  // Each key once, with its first id; COUNT made explicit as Redis serves woken readers.
  assert.equal(retry, ['XREAD', 'COUNT', '1000', 'BLOCK', '0', 'STREAMS', 'bl:a', 'bl:nokey', '5-1', '0-0']);

  // Re-run after new data: served from the resolved id.
  run(['XADD', 'bl:a', '6-1', 'f', 'w']);
  const woken = run(retry, CALLER_WAKE_UP);
  assert.not.ok(woken.status & EXEC_WOULD_BLOCK);
  assert.is(woken.reply, '*1\r\n*2\r\n$4\r\nbl:a\r\n*1\r\n*2\r\n$3\r\n6-1\r\n*2\r\n$1\r\nf\r\n$1\r\nw\r\n');
});

test('XREAD BLOCK inside MULTI (deny blocking) answers a nil array at once', () => {
  const r = run(['XREAD', 'COUNT', '3', 'BLOCK', '100', 'STREAMS', 'bl:none', '$'], CALLER_DENY_BLOCKING);
  assert.is(r.reply, '*-1\r\n');
  assert.not.ok(r.status & EXEC_WOULD_BLOCK);
});

test('a woken XREAD keeps waiting on a key that is not a stream any more', () => {
  run(['SET', 'bl:str', 'x']);
  const r = run(['XREAD', 'COUNT', '10', 'BLOCK', '0', 'STREAMS', 'bl:str', '0-0'], CALLER_WAKE_UP);
  assert.ok(r.status & EXEC_WOULD_BLOCK);
  native.takeRetryArgv();
  assert.match(run(['XREAD', 'BLOCK', '0', 'STREAMS', 'bl:str', '0-0']).reply, /^-WRONGTYPE/);
});

test('XREADGROUP BLOCK: would block on >, its re-run answers new data or why it cannot wait', () => {
  run(['XGROUP', 'CREATE', 'bl:g', 'grp', '$', 'MKSTREAM']);
  const r = run(['XREADGROUP', 'GROUP', 'grp', 'alice', 'BLOCK', '50', 'NOACK', 'STREAMS', 'bl:g', '>']);
  assert.ok(r.status & EXEC_WOULD_BLOCK);
  const retry = native.takeRetryArgv().map(String);
  assert.equal(retry, ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1000', 'BLOCK', '50', 'NOACK', 'STREAMS', 'bl:g', '>']);

  // Woken for nothing new (another group went away): keeps waiting.
  const again = run(retry, CALLER_WAKE_UP);
  assert.ok(again.status & EXEC_WOULD_BLOCK);
  native.takeRetryArgv();

  run(['XADD', 'bl:g', '1-1', 'f', 'v']);
  assert.is(run(retry, CALLER_WAKE_UP).reply, '*1\r\n*2\r\n$4\r\nbl:g\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');

  run(['XGROUP', 'DESTROY', 'bl:g', 'grp']);
  assert.is(run(retry, CALLER_WAKE_UP).reply, '-NOGROUP the consumer group this client was blocked on no longer exists\r\n');
  assert.is(run(retry).reply, "-NOGROUP No such key 'bl:g' or consumer group 'grp' in XREADGROUP with GROUP option\r\n");
  run(['SET', 'bl:g', 'now a string']);
  assert.is(run(retry, CALLER_WAKE_UP).reply, '-UNBLOCKED the stream key no longer exists\r\n');
  assert.is(run(['XREADGROUP', 'GROUP', 'grp', 'alice', 'BLOCK', '0', 'STREAMS', 'bl:gone', '>'], CALLER_WAKE_UP).reply,
    '-UNBLOCKED the stream key no longer exists\r\n');
});

test('XREADGROUP with an explicit id never blocks, even with BLOCK', () => {
  run(['XGROUP', 'CREATE', 'bl:h', 'grp', '$', 'MKSTREAM']);
  const r = run(['XREADGROUP', 'GROUP', 'grp', 'alice', 'BLOCK', '0', 'STREAMS', 'bl:h', '0']);
  assert.not.ok(r.status & EXEC_WOULD_BLOCK);
  assert.is(r.reply, '*1\r\n*2\r\n$4\r\nbl:h\r\n*0\r\n');
});

test.run();
