// Helpers for the Gears tests: RESP bytes as RedisGears prints them, and a raw client bound to
// one database so that tests sharing a server do not see each other's keys.

import { RawClient } from './raw-client.js';

export const ZERO_ID = '0'.repeat(40);

/** The reply bytes of an execution result [[results...], [errors...]] of bulk strings. */
export function resultBytes(results: string[], errors: string[] = []): string {
  const bulks = (xs: string[]) => xs.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('');
  return `*2\r\n*${results.length}\r\n${bulks(results)}*${errors.length}\r\n${bulks(errors)}`;
}

/** RedisGears' text for an exception raised in a one-line lambda of a script. */
export function lambdaError(type: string, message: string): string {
  return `['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <lambda>\\n', '${type}: ${message}\\n']`;
}

/** A raw client that has selected `db`. */
export async function rawOnDb(port: number, db: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  const r = (await c.call('SELECT', String(db))).toString();
  if (r !== '+OK\r\n') throw new Error(`SELECT ${db}: ${r}`);
  return c;
}

/** Splits an execution id reply ($43\r\n<id>\r\n) into the id. */
export function idOf(bulk: Buffer): string {
  const s = bulk.toString();
  const m = /^\$\d+\r\n(.*)\r\n$/.exec(s);
  if (!m) throw new Error(`not an execution id: ${JSON.stringify(s)}`);
  return m[1];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
