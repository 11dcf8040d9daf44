// Clients blocked on keys, through real connections: who is served first, timeouts,
// disconnects, chains of BLMOVEs, and that a blocked client stalls nobody else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { families } from '../src/commands/index.js';
import { encodeCommand, RawClient } from './helpers/raw-client.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let admin: RawClient;
const open: RawClient[] = [];

const resp = (b: Buffer) => b.toString('latin1');
const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const pair = (a: string, b: string) => `*2\r\n${bulk(a)}${bulk(b)}`;

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  open.push(c);
  return c;
}

/** Tests that need commands of families other engineers build run once those exist. */
const declared = new Set(families.flat().map((s) => s.name));
const needs = (...names: string[]) => (names.every((n) => declared.has(n)) ? test : test.skip);

/**
 * Waits until `n` clients are blocked: by INFO's blocked_clients when the server has INFO,
 * else by giving the server a moment to read the request that blocks.
 */
async function waitForBlocked(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = resp(await admin.call('INFO', 'clients'));
    const m = /blocked_clients:(\d+)/.exec(info);
    if (!m) return new Promise((r) => setTimeout(r, 100));
    if (Number(m[1]) >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.unreachable(`${n} clients never blocked`);
}

/** Sends a blocking command without waiting for its reply. */
function send(c: RawClient, ...cmd: string[]): Promise<Buffer> {
  c.write(encodeCommand(cmd));
  return c.next();
}

test.before(async () => {
  server = await startGearsd();
  admin = await RawClient.connect(server.port);
});

test.after(async () => {
  for (const c of open) c.close();
  admin.close();
  await server.stop();
});

test('waiters on one key are served in the order they blocked', async () => {
  const [a, b, c] = [await client(), await client(), await client()];
  const ra = send(a, 'BLPOP', 'order', '0');
  await waitForBlocked(1);
  const rb = send(b, 'BRPOP', 'order', '0');
  await waitForBlocked(2);
  const rc = send(c, 'BLMPOP', '0', '1', 'order', 'LEFT', 'COUNT', '5');
  await waitForBlocked(3);
  assert.is(resp(await admin.call('RPUSH', 'order', 'x', 'y', 'z', 'w')), ':4\r\n');
  assert.is(resp(await ra), pair('order', 'x'));
  assert.is(resp(await rb), pair('order', 'w'));
  assert.is(resp(await rc), `*2\r\n${bulk('order')}*2\r\n${bulk('y')}${bulk('z')}`);
  assert.is(resp(await admin.call('LLEN', 'order')), ':0\r\n');
});

test('a client blocked on several keys is served by the key that gets data', async () => {
  const a = await client();
  const ra = send(a, 'BLPOP', 'multi:1', 'multi:2', 'multi:2', 'multi:3', '0');
  await waitForBlocked(1);
  await admin.call('RPUSH', 'multi:2', 'two');
  assert.is(resp(await ra), pair('multi:2', 'two'));
  // Served once: a later push to another of its keys stays in the list.
  await admin.call('RPUSH', 'multi:3', 'three');
  assert.is(resp(await admin.call('LRANGE', 'multi:3', '0', '-1')), `*1\r\n${bulk('three')}`);
});

test('data already there is served at once, from the first non-empty key', async () => {
  await admin.call('RPUSH', 'there:2', 'b');
  await admin.call('RPUSH', 'there:3', 'c');
  assert.is(resp(await admin.call('BLPOP', 'there:1', 'there:3', 'there:2', '0')), pair('there:3', 'c'));
});

test('a timeout answers a null array', async () => {
  const a = await client();
  assert.is(resp(await send(a, 'BLPOP', 'timeout:1', '0.05')), '*-1\r\n');
  assert.is(resp(await send(a, 'BRPOPLPUSH', 'timeout:1', 'timeout:2', '0.05')), '*-1\r\n');
  assert.is(resp(await send(a, 'BLMOVE', 'timeout:1', 'timeout:2', 'LEFT', 'LEFT', '0.001')), '*-1\r\n');
  assert.is(resp(await send(a, 'BLMPOP', '0.01', '2', 'timeout:1', 'timeout:2', 'RIGHT')), '*-1\r\n');
  // The client is usable afterwards and is no longer waiting on the key.
  assert.is(resp(await a.call('PING')), '+PONG\r\n');
  await admin.call('RPUSH', 'timeout:1', 'kept');
  assert.is(resp(await admin.call('LLEN', 'timeout:1')), ':1\r\n');
});

test('a timeout longer than what one Node timer holds does not fire early', async () => {
  const a = await client();
  const ra = send(a, 'BLPOP', 'long:1', '3000000');
  await waitForBlocked(1);
  await admin.call('LPUSH', 'long:1', 'late');
  assert.is(resp(await ra), pair('long:1', 'late'));
});

test('a blocked client does not stall the others, and its next requests wait for its reply', async () => {
  const a = await client();
  a.write(Buffer.concat([encodeCommand(['BLPOP', 'stall', '0']), encodeCommand(['ECHO', 'after'])]));
  const first = a.next();
  const second = a.next();
  await waitForBlocked(1);
  const b = await client();
  assert.is(resp(await b.call('PING')), '+PONG\r\n');
  assert.is(resp(await b.call('SET', 'stall:other', 'v')), '+OK\r\n');
  assert.is(resp(await b.call('GET', 'stall:other')), bulk('v'));
  await b.call('RPUSH', 'stall', 'go');
  assert.is(resp(await first), pair('stall', 'go'));
  assert.is(resp(await second), bulk('after'));
});

test('a waiter that disconnects is dropped; the next push goes to the next waiter', async () => {
  const [a, b] = [await client(), await client()];
  void send(a, 'BLPOP', 'gone', '0').catch(() => {});
  await waitForBlocked(1);
  const rb = send(b, 'BLPOP', 'gone', '0');
  await waitForBlocked(2);
  a.close();
  await a.closed();
  // The server notices the close in its own time; until then a would be served first.
  await new Promise((r) => setTimeout(r, 100));
  await admin.call('RPUSH', 'gone', 'for-b');
  assert.is(resp(await rb), pair('gone', 'for-b'));
  assert.is(resp(await admin.call('LLEN', 'gone')), ':0\r\n');
});

test('BLMOVE onto a list another client waits on serves that client too', async () => {
  const [a, b] = [await client(), await client()];
  const rb = send(b, 'BLPOP', 'chain:dst', '0');
  await waitForBlocked(1);
  const ra = send(a, 'BLMOVE', 'chain:src', 'chain:dst', 'RIGHT', 'LEFT', '0');
  await waitForBlocked(2);
  await admin.call('RPUSH', 'chain:src', 'foo');
  assert.is(resp(await ra), bulk('foo'));
  assert.is(resp(await rb), pair('chain:dst', 'foo'));
  assert.is(resp(await admin.call('LLEN', 'chain:dst')), ':0\r\n');
});

test('linked and circular BRPOPLPUSH resolve in one go', async () => {
  const [a, b] = [await client(), await client()];
  const ra = send(a, 'BRPOPLPUSH', 'circ:1', 'circ:2', '0');
  await waitForBlocked(1);
  const rb = send(b, 'BRPOPLPUSH', 'circ:2', 'circ:1', '0');
  await waitForBlocked(2);
  await admin.call('RPUSH', 'circ:1', 'foo');
  assert.is(resp(await ra), bulk('foo'));
  assert.is(resp(await rb), bulk('foo'));
  assert.is(resp(await admin.call('LRANGE', 'circ:1', '0', '-1')), `*1\r\n${bulk('foo')}`);
  assert.is(resp(await admin.call('LLEN', 'circ:2')), ':0\r\n');

  const c = await client();
  const rc = send(c, 'BRPOPLPUSH', 'self', 'self', '0');
  await waitForBlocked(1);
  await admin.call('RPUSH', 'self', 'x');
  assert.is(resp(await rc), bulk('x'));
  assert.is(resp(await admin.call('LRANGE', 'self', '0', '-1')), `*1\r\n${bulk('x')}`);
});

// Redis's "bug 593" regression: the woken client's pipelined second BRPOPLPUSH reaches
// dispatch while the pusher's command is still being handled; the push must run once.
test('a woken client with pipelined blocking commands does not make the push run twice', async () => {
  const [a, b] = [await client(), await client()];
  a.write(Buffer.concat([encodeCommand(['BRPOPLPUSH', 'b593:a', 'b593:b', '0']), encodeCommand(['BRPOPLPUSH', 'b593:a', 'b593:b', '0'])]));
  const ra = a.next();
  await waitForBlocked(1);
  const rb = send(b, 'BRPOPLPUSH', 'b593:b', 'b593:c', '0');
  await waitForBlocked(2);
  assert.is(resp(await admin.call('LPUSH', 'b593:a', 'data')), ':1\r\n');
  assert.is(resp(await admin.call('PING')), '+PONG\r\n');
  assert.is(resp(await ra), bulk('data'));
  assert.is(resp(await rb), bulk('data'));
  assert.is(resp(await admin.call('LLEN', 'b593:a')), ':0\r\n');
  assert.is(resp(await admin.call('LLEN', 'b593:b')), ':0\r\n');
  assert.is(resp(await admin.call('LRANGE', 'b593:c', '0', '-1')), `*1\r\n${bulk('data')}`);
});

test('a destination of the wrong type fails the woken BRPOPLPUSH and keeps the element', async () => {
  const [a, b] = [await client(), await client()];
  await admin.call('SET', 'wt:target1', 'not a list');
  const ra = send(a, 'BRPOPLPUSH', 'wt:src', 'wt:target1', '0');
  await waitForBlocked(1);
  const rb = send(b, 'BRPOPLPUSH', 'wt:src', 'wt:target2', '0');
  await waitForBlocked(2);
  await admin.call('LPUSH', 'wt:src', 'foo');
  assert.match(resp(await ra), /^-WRONGTYPE /);
  assert.is(resp(await rb), bulk('foo'));
  assert.is(resp(await admin.call('LRANGE', 'wt:target2', '0', '-1')), `*1\r\n${bulk('foo')}`);
});

test('blocking commands check types, timeouts and arity before blocking', async () => {
  await admin.call('SET', 'err:str', 'x');
  assert.match(resp(await admin.call('BLPOP', 'err:none', 'err:str', '0')), /^-WRONGTYPE /);
  assert.match(resp(await admin.call('BLMOVE', 'err:str', 'err:d', 'LEFT', 'LEFT', '0')), /^-WRONGTYPE /);
  assert.is(resp(await admin.call('BLPOP', 'err:none', '-1')), '-ERR timeout is negative\r\n');
  assert.is(resp(await admin.call('BLPOP', 'err:none', 'soon')), '-ERR timeout is not a float or out of range\r\n');
  assert.is(resp(await admin.call('BRPOPLPUSH', 'err:none', 'err:d', 'inf')), '-ERR timeout is negative\r\n');
  assert.is(resp(await admin.call('BLMOVE', 'err:none', 'err:d', 'UP', 'LEFT', '0')), '-ERR syntax error\r\n');
  assert.is(resp(await admin.call('BLMPOP', '0', '0', 'err:none', 'LEFT')), '-ERR numkeys should be greater than 0\r\n');
  assert.is(resp(await admin.call('BLMPOP', '0', '1', 'err:none', 'LEFT', 'COUNT', '0')), '-ERR count should be greater than 0\r\n');
  assert.is(resp(await admin.call('BLPOP', 'err:none')), "-ERR wrong number of arguments for 'blpop' command\r\n");
  assert.is(resp(await admin.call('BLMOVE', 'a', 'b', 'LEFT', 'LEFT')), "-ERR wrong number of arguments for 'blmove' command\r\n");
});

needs('client')('CLIENT UNBLOCK ends a block as a timeout or with an error', async () => {
  const a = await client();
  const id = resp(await a.call('CLIENT', 'ID')).slice(1).trim();
  for (const [how, expected] of [
    [[], '*-1\r\n'],
    [['TIMEOUT'], '*-1\r\n'],
    [['ERROR'], '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n'],
  ] as const) {
    const ra = send(a, 'BLPOP', 'unblock', '0');
    await waitForBlocked(1);
    assert.is(resp(await admin.call('CLIENT', 'UNBLOCK', id, ...how)), ':1\r\n');
    assert.is(resp(await ra), expected);
  }
  const ra = send(a, 'BLPOP', 'unblock', '0');
  await waitForBlocked(1);
  await admin.call('LPUSH', 'unblock', 'foo');
  assert.is(resp(await ra), pair('unblock', 'foo'));
});

needs('multi')('inside MULTI a blocking command answers at once; pushes in EXEC serve waiters after it', async () => {
  const a = await client();
  const ra = send(a, 'BLPOP', 'tx:l', '0');
  await waitForBlocked(1);
  assert.is(resp(await admin.call('MULTI')), '+OK\r\n');
  await admin.call('LPUSH', 'tx:l', 'a');
  await admin.call('LPUSH', 'tx:l', 'b');
  await admin.call('LPUSH', 'tx:l', 'c');
  await admin.call('BLPOP', 'tx:empty', '0');
  await admin.call('BRPOPLPUSH', 'tx:empty', 'tx:x', '0');
  assert.is(resp(await admin.call('EXEC')), `*5\r\n:1\r\n:2\r\n:3\r\n*-1\r\n$-1\r\n`);
  assert.is(resp(await ra), pair('tx:l', 'c'));
  assert.equal(resp(await admin.call('LRANGE', 'tx:l', '0', '-1')), `*2\r\n${bulk('b')}${bulk('a')}`);
});

needs('multi', 'del')('LPUSH + DEL + SET in one EXEC wakes nobody: the key is not a list when served', async () => {
  const a = await client();
  const rb = send(a, 'BLPOP', 'tx:l2', '0');
  await waitForBlocked(1);
  await admin.call('MULTI');
  await admin.call('LPUSH', 'tx:l2', 'a');
  await admin.call('DEL', 'tx:l2');
  await admin.call('SET', 'tx:l2', 'foo');
  await admin.call('EXEC');
  await admin.call('DEL', 'tx:l2');
  await admin.call('LPUSH', 'tx:l2', 'b');
  assert.is(resp(await rb), pair('tx:l2', 'b'));
});

needs('rg.pyexecute')('data pushed by a Python execute() on an execution thread wakes blocked clients', async () => {
  const [a, b] = [await client(), await client()];
  const ra = send(a, 'BLPOP', 'py:q', '0');
  await waitForBlocked(1);
  const rb = send(b, 'BRPOPLPUSH', 'py:q2', 'py:dst', '0');
  await waitForBlocked(2);
  await admin.call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: execute('RPUSH', 'py:q', 'from-python')).run()");
  assert.is(resp(await ra), pair('py:q', 'from-python'));
  // UNBLOCKING: the job ends after the reply, so the push reaches TS through the engine's channel.
  await admin.call('RG.PYEXECUTE', "GB('ShardsIDReader').map(lambda x: execute('LPUSH', 'py:q2', 'p2')).run()", 'UNBLOCKING');
  assert.is(resp(await rb), bulk('p2'));
  assert.is(resp(await admin.call('LRANGE', 'py:dst', '0', '-1')), `*1\r\n${bulk('p2')}`);
});

test.run();
