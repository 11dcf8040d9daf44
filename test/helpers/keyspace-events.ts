// Keyspace-event tables: each case runs some commands in a database of its own (SELECT n)
// on a server started with notify-keyspace-events KEA, and lists the `__keyevent@n__`
// messages it must produce, in order, as "event key". The same table is checked against
// gearsd and against redis-server, so the expectations are Redis's real behaviour.
import * as assert from 'uvu/assert';

import { decodeReply } from './differential.js';
import { RawClient } from './raw-client.js';
import type { RunningServer } from './servers.js';

export interface EventCase {
  name: string;
  setup: string[][];
  run: string[][];
  events: string[];
}

export const EVENT_ARGS = ['--notify-keyspace-events', 'KEA'];

/** Runs case `c` in database `db` of the server on `port` and returns its keyevent messages. */
async function eventsOf(port: number, c: EventCase, db: number): Promise<string[]> {
  const cmd = await RawClient.connect(port);
  const sub = await RawClient.connect(port);
  try {
    await cmd.call('SELECT', String(db));
    for (const s of c.setup) await cmd.call(...s);
    const prefix = `__keyevent@${db}__:`;
    await sub.call('PSUBSCRIBE', `${prefix}*`);
    for (const r of c.run) await cmd.call(...r);
    // A last write marks the end of the case's events.
    await cmd.call('SET', 'end-of-case', '1');
    const events: string[] = [];
    for (;;) {
      const m = decodeReply(await sub.next()) as string[];
      const event = `${m[2].slice(prefix.length)} ${m[3]}`;
      if (event === 'set end-of-case') break;
      events.push(event);
    }
    return events;
  } finally {
    cmd.close();
    sub.close();
  }
}

/** Asserts every case of the table on a server started with EVENT_ARGS, then stops it. */
export async function checkEventTable(server: RunningServer, cases: EventCase[]): Promise<void> {
  try {
    for (const [i, c] of cases.entries()) assert.equal(await eventsOf(server.port, c, i), c.events, c.name);
  } finally {
    await server.stop();
  }
}
