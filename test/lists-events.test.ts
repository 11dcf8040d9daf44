// The keyspace events list commands fire, compared with redis-server's: the same script
// runs on both with notify-keyspace-events KEA, and the messages a PSUBSCRIBEr receives
// must be the same, in the same order (lpush/rpush, lpop/rpop, linsert, lset, lrem, ltrim,
// del when a list empties, LMOVE's pop and push, the events of a served BLMOVE...).
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { families } from '../src/commands/index.js';
import { canCompare } from './helpers/differential.js';
import { encodeCommand, RawClient } from './helpers/raw-client.js';
import { startGearsd, startRedisServer, type RunningServer } from './helpers/servers.js';

const declared = new Set(families.flat().map((s) => s.name));
const runnable = canCompare() && ['psubscribe', 'subscribe', 'publish'].every((n) => declared.has(n));
const maybe = runnable ? test : test.skip;

const SCRIPT: string[][] = [
  ['RPUSH', 'ev:l', 'a', 'b', 'c'],
  ['LPUSH', 'ev:l', 'z'],
  ['LPUSHX', 'ev:none', 'x'],
  ['RPUSHX', 'ev:l', 'd'],
  ['LINSERT', 'ev:l', 'BEFORE', 'b', 'b0'],
  ['LINSERT', 'ev:l', 'BEFORE', 'nope', 'x'],
  ['LSET', 'ev:l', '0', 'Z'],
  ['LREM', 'ev:l', '0', 'nope'],
  ['LREM', 'ev:l', '1', 'b0'],
  ['LTRIM', 'ev:l', '0', '-1'],
  ['LTRIM', 'ev:l', '1', '-1'],
  ['LPOP', 'ev:l'],
  ['RPOP', 'ev:l', '1'],
  ['LMOVE', 'ev:l', 'ev:m', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 'ev:l', 'ev:l'],
  ['RPOPLPUSH', 'ev:l', 'ev:m'],
  ['LMPOP', '2', 'ev:none', 'ev:m', 'RIGHT', 'COUNT', '5'],
  ['RPUSH', 'ev:t', 'a', 'b'],
  ['LTRIM', 'ev:t', '5', '10'],
  ['RPUSH', 'ev:r', 'a'],
  ['LREM', 'ev:r', '0', 'a'],
  ['RPUSH', 'ev:b', 'x'],
  ['BLPOP', 'ev:none', 'ev:b', '0'],
  ['RPUSH', 'ev:b', 'x', 'y'],
  ['BLMPOP', '0', '1', 'ev:b', 'LEFT', 'COUNT', '9'],
];

/** Runs the script (and one served BLMOVE) and returns every keyspace message, in order. */
async function eventsOf(server: RunningServer): Promise<string[]> {
  const sub = await RawClient.connect(server.port);
  const cmd = await RawClient.connect(server.port);
  const blocked = await RawClient.connect(server.port);
  try {
    await sub.call('PSUBSCRIBE', '__key*__:*');
    await sub.call('SUBSCRIBE', 'end');
    for (const c of SCRIPT) await cmd.call(...c);
    blocked.write(encodeCommand(['BLMOVE', 'ev:src', 'ev:dst', 'RIGHT', 'LEFT', '0']));
    await new Promise((r) => setTimeout(r, 100));
    await cmd.call('RPUSH', 'ev:src', 'v');
    await blocked.next();
    await cmd.call('PUBLISH', 'end', 'end');
    const out: string[] = [];
    for (;;) {
      const msg = (await sub.next()).toString('latin1');
      const parts = msg.split('\r\n'); // *4 $8 pmessage $n pattern $n channel $n message
      if (parts[2] === 'message') return out;
      out.push(`${parts[6]} ${parts[8]}`);
    }
  } finally {
    sub.close();
    cmd.close();
    blocked.close();
  }
}

maybe('list commands fire the events redis-server fires', async () => {
  const args = ['--notify-keyspace-events', 'KEA'];
  const [g, r] = await Promise.all([startGearsd(args), startRedisServer(args)]);
  try {
    const [got, want] = await Promise.all([eventsOf(g), eventsOf(r)]);
    assert.ok(want.length > 50);
    assert.equal(got, want);
  } finally {
    await Promise.all([g.stop(), r.stop()]);
  }
});

test.run();
