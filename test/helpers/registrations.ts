// Helpers for the registration tests: RG.DUMPREGISTRATIONS decoded, and waiting (with a
// deadline, never a fixed sleep) until async executions have caught up.

import { RawClient } from './raw-client.js';
import { decodeReply, pairs, type Reply } from './resp.js';

export interface RegistrationView {
  id: string;
  reader: string;
  desc: Reply;
  data: Record<string, Reply>;
  args: Record<string, Reply>;
  pd: string;
  raw: Reply[];
}

/** RG.DUMPREGISTRATIONS, decoded. */
export async function registrations(c: RawClient): Promise<RegistrationView[]> {
  const all = decodeReply(await c.call('RG.DUMPREGISTRATIONS')) as Reply[][];
  return all.map((entry) => {
    const e = pairs(entry);
    const data = pairs(e.RegistrationData as Reply);
    return {
      id: String(e.id),
      reader: String(e.reader),
      desc: e.desc,
      data,
      args: pairs(data.args as Reply),
      pd: String(e.PD),
      raw: entry,
    };
  });
}

export async function registration(c: RawClient, id: string): Promise<RegistrationView> {
  const r = (await registrations(c)).find((x) => x.id === id);
  if (!r) throw new Error(`registration ${id} is not listed`);
  return r;
}

/** Polls until `check` holds (20 s unless told); returns the last value seen. */
export async function eventually<T>(get: () => Promise<T>, check: (v: T) => boolean, what: string, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the registration has finished `n` executions (success, failure or abort). */
export async function finished(c: RawClient, id: string, n: number, ms = 20000): Promise<RegistrationView> {
  return eventually(
    () => registration(c, id),
    (r) => Number(r.data.numSuccess) + Number(r.data.numFailures) + Number(r.data.numAborted) >= n,
    `${n} finished executions of ${id}`,
    ms,
  );
}

/** RG.PYEXECUTE that must answer +OK (a registering script); returns nothing. */
export async function registerScript(c: RawClient, script: string, ...options: string[]): Promise<void> {
  const r = (await c.call('RG.PYEXECUTE', script, ...options)).toString();
  if (r !== '+OK\r\n') throw new Error(`RG.PYEXECUTE ${script}: ${r}`);
}

/**
 * The id a registering script got from register() (its last line), passed out through a key
 * it sets.
 */
export async function registerId(c: RawClient, script: string, ...options: string[]): Promise<string> {
  const key = `__regid:${Math.random().toString(36).slice(2)}`;
  const lines = script.split('\n');
  const last = lines.pop()!;
  await registerScript(c, [...lines, `__id = ${last}`, `execute('SET', '${key}', __id)`].join('\n'), ...options);
  const id = (await c.call('GET', key)).toString().split('\r\n')[1];
  await c.call('DEL', key);
  return id;
}
