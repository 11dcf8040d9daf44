// Registrations under load (GEARS_API.md §6.1, issue 5 point 2): while the ctx.server runs no event
// is lost, and a sync registration stays atomic with the write that fired it when many
// clients write at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { encodeCommand, RawClient } from './helpers/raw-client.js';
import { finished, registerId } from './helpers/registrations.js';
import { decodeReply, type Reply } from './helpers/resp.js';
import { rawGearsdForSuite } from './helpers/servers.js';

const ctx = rawGearsdForSuite(test);

/** `clients` connections each send `perClient` commands made by `command(client, i)`, pipelined; all replies checked. */
async function writeFromMany(clients: number, perClient: number, command: (client: number, i: number) => string[],
  expect: (reply: string) => boolean): Promise<void> {
  const conns = await Promise.all(Array.from({ length: clients }, () => RawClient.connect(ctx.server.port)));
  await Promise.all(conns.map(async (conn, k) => {
    const batch = 500;
    for (let start = 0; start < perClient; start += batch) {
      const n = Math.min(batch, perClient - start);
      const parts: Buffer[] = [];
      for (let i = start; i < start + n; i++) parts.push(encodeCommand(command(k, i)));
      conn.write(Buffer.concat(parts));
      for (let i = 0; i < n; i++) {
        const r = (await conn.next()).toString();
        if (!expect(r)) throw new Error(`unexpected reply ${r}`);
      }
    }
  }));
  for (const conn of conns) conn.close();
}

test('100,000 writes by 50 clients to matching keys: exactly 100,000 async executions and their effects', async () => {
  const id = await registerId(ctx.c, "GB().foreach(lambda r: execute('HINCRBY', 'nlestats', 'writes', 1)).register('nle:*')");
  await writeFromMany(50, 2000, (k, i) => ['HSET', `nle:${k}:${i % 100}`, 'f', String(i)], (r) => r.startsWith(':'));
  const reg = await finished(ctx.c, id, 100000, 300000);
  assert.is(reg.data.numTriggered, 100000);
  assert.is(reg.data.numSuccess, 100000);
  assert.is(reg.data.numFailures, 0);
  assert.is(reg.data.numAborted, 0);
  assert.is((await ctx.c.call('HGET', 'nlestats', 'writes')).toString(), '$6\r\n100000\r\n');
  await ctx.c.call('RG.UNREGISTER', id);
});

test('sync under concurrent writers: every write and its registration\'s effect are seen together', async () => {
  // each SET copies itself into a shadow key inside the same command; a reader never sees them differ
  const id = await registerId(ctx.c,
    "GB().foreach(lambda r: execute('SET', 'shadow:' + r['key'], r['value'])).register('src:*', eventTypes=['set'], mode='sync')");
  const checker = await RawClient.connect(ctx.server.port);
  let stop = false;
  let mismatches = 0;
  let checks = 0;
  const check = (async () => {
    while (!stop) {
      // MULTI reads both keys at one instant
      checker.write(encodeCommand(['MULTI']));
      checker.write(encodeCommand(['GET', 'src:0']));
      checker.write(encodeCommand(['GET', 'shadow:src:0']));
      checker.write(encodeCommand(['EXEC']));
      for (let i = 0; i < 3; i++) await checker.next();
      const [src, shadow] = decodeReply(await checker.next()) as Reply[];
      if (src !== shadow) mismatches++;
      checks++;
    }
  })();
  await writeFromMany(10, 1000, (k, i) => ['SET', 'src:0', `${k}-${i}`], (r) => r === '+OK\r\n');
  stop = true;
  await check;
  checker.close();
  assert.ok(checks > 0);
  assert.is(mismatches, 0);
  const reg = await finished(ctx.c, id, 10000);
  assert.is(reg.data.numSuccess, 10000);
  assert.is((await ctx.c.call('GET', 'src:0')).toString(), (await ctx.c.call('GET', 'shadow:src:0')).toString());
  await ctx.c.call('RG.UNREGISTER', id);
});

test.run();
