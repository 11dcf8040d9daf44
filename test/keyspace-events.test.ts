// Keyspace events of the string and generic key commands, compared with a real
// redis-server event for event: the same commands go to both servers, and a PSUBSCRIBE
// client on each collects the __keyspace/__keyevent messages up to a sentinel published
// after the commands.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare } from './helpers/differential.js';
import { bulkStrings, encodeCommand, RawClient } from './helpers/raw-client.js';
import { startGearsd, startRedisServer, type RunningServer } from './helpers/servers.js';

const FLAGS = 'KEAmn';  // everything, keymiss and new included
const SENTINEL = '__keyevent@0__:sentinel';

interface Side {
  server: RunningServer;
  client: RawClient;
  subscriber: RawClient;
}
let gearsd: Side;
let redis: Side;

const maybe = canCompare() ? test : test.skip;

async function side(server: RunningServer): Promise<Side> {
  const client = await RawClient.connect(server.port);
  const subscriber = await RawClient.connect(server.port);
  await subscriber.call('PSUBSCRIBE', '__key*__:*');
  return { server, client, subscriber };
}

test.before(async () => {
  if (!canCompare()) return;
  const flags = ['--notify-keyspace-events', FLAGS];
  [gearsd, redis] = await Promise.all([startGearsd(flags).then(side), startRedisServer(flags).then(side)]);
});

test.after(async () => {
  for (const s of [gearsd, redis]) {
    if (!s) continue;
    s.client.close();
    s.subscriber.close();
    await s.server.stop();
  }
});

/** A side's events since the last call, up to the sentinel published now. */
async function eventsUntilSentinel(s: Side): Promise<string[]> {
  await s.client.call('PUBLISH', SENTINEL, 'end');
  const events: string[] = [];
  for (;;) {
    const [, , channel, message] = bulkStrings((await s.subscriber.next()).toString('latin1'));
    if (channel === SENTINEL) return events;
    events.push(`${channel} ${message}`);
  }
}

type Step = string[] | { sleep: number };

/** Runs the steps on both servers and requires the same events, in the same order. */
async function sameEvents(steps: Step[]): Promise<void> {
  await Promise.all([gearsd.client.call('FLUSHALL'), redis.client.call('FLUSHALL')]);
  await Promise.all([eventsUntilSentinel(gearsd), eventsUntilSentinel(redis)]);
  for (const step of steps) {
    if ('sleep' in step) await new Promise((r) => setTimeout(r, step.sleep));
    else await Promise.all([gearsd.client.call(...step), redis.client.call(...step)]);
  }
  const [got, expected] = await Promise.all([eventsUntilSentinel(gearsd), eventsUntilSentinel(redis)]);
  assert.equal(got, expected);
}

maybe('string writes fire set, incrby, decrby, incrbyfloat, append, setrange, expire, new', async () => {
  await sameEvents([
    ['SET', 'a', '1'],
    ['SET', 'a', '2', 'EX', '100'],
    ['SET', 'a', '3', 'NX'],
    ['SET', 'b', '3', 'XX'],
    ['SETNX', 'b', 'x'],
    ['SETEX', 'c', '100', 'x'],
    ['PSETEX', 'c', '100000', 'y'],
    ['MSET', 'd', '1', 'e', '2'],
    ['MSETNX', 'd', '1', 'f', '2'],
    ['MSETNX', 'g', '1', 'h', '2'],
    ['INCR', 'n'],
    ['DECR', 'n'],
    ['INCRBY', 'n', '5'],
    ['DECRBY', 'n', '5'],
    ['INCRBYFLOAT', 'n', '1.5'],
    ['INCR', 'a'],
    ['APPEND', 'a', 'x'],
    ['APPEND', 'new', 'x'],
    ['SETRANGE', 'a', '0', 'z'],
    ['SETRANGE', 'a', '0', ''],
    ['SETRANGE', 'nothing', '0', ''],
    ['SETRANGE', 'sr', '2', 'ab'],
    ['GETSET', 'a', 'g'],
    ['GETSET', 'gs', 'g'],
    ['SET', 'a', 'x', 'GET'],
  ]);
});

maybe('GETDEL, GETEX and reads: del, expire, persist, keymiss', async () => {
  await sameEvents([
    ['SET', 'a', '1'],
    ['GETDEL', 'a'],
    ['GETDEL', 'a'],
    ['GET', 'missing'],
    ['MGET', 'a', 'b'],
    ['SET', 'a', '1'],
    ['GETEX', 'a'],
    ['GETEX', 'a', 'EX', '100'],
    ['GETEX', 'a', 'PERSIST'],
    ['GETEX', 'a', 'PERSIST'],
    ['GETEX', 'a', 'PXAT', '1'],
    ['STRLEN', 'a'],
    ['GETRANGE', 'a', '0', '1'],
    ['EXISTS', 'a'],
    ['TYPE', 'a'],
    ['TTL', 'a'],
    ['LCS', 'a', 'b'],
  ]);
});

maybe('key commands: del, rename_from/rename_to, move_from/move_to, copy_to, expire, persist', async () => {
  await sameEvents([
    ['MSET', 'a', '1', 'b', '2', 'c', '3'],
    ['DEL', 'a', 'nokey'],
    ['UNLINK', 'b'],
    ['SET', 'a', '1', 'EX', '100'],
    ['RENAME', 'a', 'c'],
    ['RENAME', 'c', 'c'],
    ['RENAMENX', 'c', 'd'],
    ['SET', 'e', '1'],
    ['RENAMENX', 'd', 'e'],
    ['MOVE', 'd', '1'],
    ['MOVE', 'e', '1'],
    ['COPY', 'e', 'f'],
    ['COPY', 'e', 'f', 'REPLACE'],
    ['COPY', 'e', 'e', 'DB', '1', 'REPLACE'],
    ['EXPIRE', 'e', '100'],
    ['PEXPIRE', 'e', '100000', 'GT'],
    ['EXPIRE', 'e', '10', 'NX'],
    ['PERSIST', 'e'],
    ['PERSIST', 'e'],
    ['EXPIREAT', 'e', '1'],
    ['SET', 'g', '1'],
    ['EXPIRE', 'g', '-1'],
    ['TOUCH', 'f', 'nokey'],
    ['SWAPDB', '0', '1'],
    ['FLUSHDB'],
    ['FLUSHALL', 'ASYNC'],
  ]);
});

// One key only: whether active or lazy expiry removes it first, the events are the same.
maybe('a key past its time fires expired, then the read misses', async () => {
  await sameEvents([['SET', 'a', '1', 'PX', '1'], { sleep: 30 }, ['GET', 'a']]);
});

maybe('list commands: lpush/rpush, lpop/rpop, linsert, lset, lrem, ltrim, LMOVE pop then push, del when emptied', async () => {
  await sameEvents([
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['LPUSH', 'l', 'z'],
    ['LPUSHX', 'none', 'x'],
    ['RPUSHX', 'l', 'd'],
    ['LINSERT', 'l', 'BEFORE', 'b', 'b0'],
    ['LINSERT', 'l', 'BEFORE', 'nope', 'x'],
    ['LSET', 'l', '0', 'Z'],
    ['LREM', 'l', '0', 'nope'],
    ['LREM', 'l', '1', 'b0'],
    ['LTRIM', 'l', '0', '-1'],
    ['LTRIM', 'l', '1', '-1'],
    ['LPOP', 'l'],
    ['RPOP', 'l', '1'],
    ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
    ['RPOPLPUSH', 'l', 'l'],
    ['RPOPLPUSH', 'l', 'm'],
    ['LMPOP', '2', 'none', 'm', 'RIGHT', 'COUNT', '5'],
    ['RPUSH', 't', 'a', 'b'],
    ['LTRIM', 't', '5', '10'],
    ['RPUSH', 'r', 'a'],
    ['LREM', 'r', '0', 'a'],
    ['RPUSH', 'b', 'x'],
    ['BLPOP', 'none', 'b', '0'],
    ['RPUSH', 'b', 'x', 'y'],
    ['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '9'],
  ]);
});

maybe('a BLMOVE served when its source gets data fires the same events as LMOVE', async () => {
  const waiting = await Promise.all(
    [gearsd, redis].map(async (s) => {
      const c = await RawClient.connect(s.server.port);
      c.write(encodeCommand(['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0']));
      return c;
    }),
  );
  try {
    await sameEvents([{ sleep: 100 }, ['RPUSH', 'src', 'v']]);
    for (const c of waiting) assert.is((await c.next()).toString('latin1'), '$1\r\nv\r\n');
  } finally {
    for (const c of waiting) c.close();
  }
});

test.run();
