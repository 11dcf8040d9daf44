// Server commands through real clients: INFO's figures, CONFIG (limits wired to the
// request decoder, REWRITE, timeout), MODULE LIST, COMMAND, TIME, SHUTDOWN and signals.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { rejects } from './helpers/assert.js';
import { RawClient } from './helpers/raw-client.js';
import { decodeReply, pairs, type Reply } from './helpers/resp.js';
import { connectIoredis, gearsdForSuite, startGearsd } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

/** INFO text as { field: value } (section headers dropped). */
async function info(...sections: string[]): Promise<Record<string, string>> {
  const text = (await ctx.redis.info(...sections)) as string;
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

test('INFO server: Redis version for clients, ours beside it, real process figures', async () => {
  const s = await info('server');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.is(s.redis_version, '7.0.15');
  assert.is(s.gearsd_version, pkg.version);
  assert.is(s.tcp_port, String(ctx.server.port));
  assert.is(s.process_id, String(ctx.server.process.pid));
  assert.match(s.run_id, /^[0-9a-f]{40}$/);
  assert.is((await info('server')).run_id, s.run_id);
  assert.match(s.python_version, /^3\.\d+/);
});

test('INFO clients and stats count what happens', async () => {
  const before = await info('clients', 'stats');
  const extra = await Promise.all([1, 2, 3].map(() => RawClient.connect(ctx.server.port)));
  await Promise.all(extra.map((c) => c.call('PING')));
  const during = await info('clients', 'stats');
  assert.is(Number(during.connected_clients), Number(before.connected_clients) + 3);
  assert.ok(Number(during.total_connections_received) >= Number(before.total_connections_received) + 3);
  assert.ok(Number(during.total_commands_processed) >= Number(before.total_commands_processed) + 4);
  assert.ok(Number(during.total_net_input_bytes) > Number(before.total_net_input_bytes));
  assert.is(during.blocked_clients, '0');
  extra.forEach((c) => c.close());
  await Promise.all(extra.map((c) => c.closed()));

  await ctx.redis.set('stats:hit', '1');
  const s0 = await info('stats');
  await ctx.redis.get('stats:hit');
  await ctx.redis.get('stats:miss');
  const s1 = await info('stats');
  assert.is(Number(s1.keyspace_hits), Number(s0.keyspace_hits) + 1);
  assert.is(Number(s1.keyspace_misses), Number(s0.keyspace_misses) + 1);
  assert.is(await ctx.redis.config('RESETSTAT'), 'OK');
  const s2 = await info('stats');
  assert.is(s2.keyspace_hits, '0');
  assert.ok(Number(s2.total_commands_processed) <= 2);
});

test('INFO memory follows the data; INFO keyspace lists each database', async () => {
  const m0 = Number((await info('memory')).used_memory);
  assert.ok(m0 > 0);
  const big = 'x'.repeat(8 * 1024 * 1024);
  await ctx.redis.set('mem:big', big);
  const m1 = await info('memory');
  assert.ok(Number(m1.used_memory) > m0 + 4 * 1024 * 1024, `${m1.used_memory} after an 8 MB value, ${m0} before`);
  assert.ok(Number(m1.used_memory_rss) > 0);
  assert.ok(Number(m1.used_memory_peak) >= Number(m1.used_memory));
  assert.match(m1.used_memory_human, /^\d+\.\d\dM$/);
  await ctx.redis.set('mem:big', '');

  await ctx.redis.select(7);
  await ctx.redis.set('ks:a', '1', 'EX', '100');
  await ctx.redis.set('ks:b', '1');
  const ks = await info('keyspace');
  assert.is(ks.db7, 'keys=2,expires=1,avg_ttl=0');
  await ctx.redis.select(0);
});

test('INFO section selection: default, all, everything, several, unknown', async () => {
  const titles = async (...a: string[]) => ((await ctx.redis.info(...a)) as string).split('\r\n').filter((l) => l.startsWith('# '));
  const defaults = ['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Cluster', '# Keyspace'];
  assert.equal(await titles(), defaults);
  assert.equal(await titles('default'), defaults);
  assert.equal(await titles('everything'), defaults);
  assert.equal(await titles('all'), defaults);
  assert.equal(await titles('keyspace', 'SERVER', 'nosuch'), ['# Server', '# Keyspace']);
  assert.is(await ctx.redis.info('nosuch'), '');
  assert.match((await ctx.redis.info('modules')) as string, /^# Modules\r\nmodule:name=rg,ver=10213,api=1,/);
});

test('CONFIG SET proto-max-bulk-len and max-multibulk-len apply to open connections at once', async () => {
  const c = await RawClient.connect(ctx.server.port);
  await ctx.redis.config('SET', 'proto-max-bulk-len', '1mb', 'max-multibulk-len', '10');
  try {
    assert.equal(await ctx.redis.config('GET', 'proto-max-bulk-len'), ['proto-max-bulk-len', '1048576']);
    c.write(`*1\r\n$${1024 * 1024 + 1}\r\n`);
    assert.is((await c.next()).toString(), '-ERR Protocol error: invalid bulk length\r\n');
    await c.closed();
    const d = await RawClient.connect(ctx.server.port);
    d.write('*11\r\n');
    assert.is((await d.next()).toString(), '-ERR Protocol error: invalid multibulk length\r\n');
    await d.closed();
  } finally {
    await ctx.redis.config('SET', 'proto-max-bulk-len', '512mb', 'max-multibulk-len', '1048576');
  }
  // The default refuses a request of more than 1M elements before reading it.
  const e = await RawClient.connect(ctx.server.port);
  e.write('*1048577\r\n');
  assert.is((await e.next()).toString(), '-ERR Protocol error: invalid multibulk length\r\n');
  await e.closed();
});

test('CONFIG SET is all or nothing; read-only options say so', async () => {
  const before = await ctx.redis.config('GET', 'timeout');
  await rejects(ctx.redis.config('SET', 'timeout', '30', 'maxclients', 'lots'), /argument 'maxclients'\) - argument couldn't be parsed into an integer/);
  assert.equal(await ctx.redis.config('GET', 'timeout'), before);
  await rejects(ctx.redis.config('SET', 'maxmemory', '1gb'), /can't set immutable config/);
  await rejects(ctx.redis.config('SET', 'appendonly', 'yes'), /argument\(s\) must be one of the following: no/);
  await rejects(ctx.redis.config('SET', 'save', '900 1'), /does not save snapshots/);
  assert.is(await ctx.redis.config('SET', 'save', ''), 'OK');
  const all = (await ctx.redis.config('GET', '*')) as string[];
  assert.ok(all.length >= 40 && all.length % 2 === 0);
  assert.ok(all.includes('client-output-buffer-limit'));
});

test('CONFIG SET timeout closes idle clients', async () => {
  const idle = await RawClient.connect(ctx.server.port);
  const busy = await RawClient.connect(ctx.server.port);
  await idle.call('PING');
  await busy.call('CONFIG', 'SET', 'timeout', '1');
  // Only the idle one goes: the busy one keeps talking.
  let closed = false;
  void idle.closed().then(() => (closed = true));
  while (!closed) {
    assert.is((await busy.call('PING')).toString(), '+PONG\r\n');
    await new Promise((r) => setTimeout(r, 200));
  }
  await busy.call('CONFIG', 'SET', 'timeout', '0');
  busy.close();
  // The test's own ioredis connection was idle too.
  ctx.redis.disconnect();
  ctx.redis = await connectIoredis(ctx.server.port);
});

test('CONFIG REWRITE writes the changes back into the config file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gearsd-conf-'));
  const file = path.join(dir, 'gearsd.conf');
  writeFileSync(file, '# my settings\nmaxclients 500\ntimeout 0\ntimeout 5\n');
  const s = await startGearsd([], file);
  const c = await connectIoredis(s.port);
  try {
    assert.equal(await c.config('GET', 'maxclients'), ['maxclients', '500']);
    assert.equal(await c.config('GET', 'timeout'), ['timeout', '5']);
    await c.config('SET', 'maxclients', '123', 'loglevel', 'warning');
    assert.is(await c.config('REWRITE'), 'OK');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# my settings\nmaxclients 123\ntimeout 5\n/);
    assert.match(text, /\nloglevel warning\n/);
    assert.match(text, new RegExp(`\\nport ${s.port}\\n`));
    assert.is((await c.info('server')).includes(`config_file:${file}`), true);
  } finally {
    c.disconnect();
    await s.stop();
  }
  await rejects(ctx.redis.config('REWRITE'), /ERR The server is running without a config file/);
});

test('MODULE LIST shows RedisGears as rg 1.2.13', async () => {
  const list = decodeReply(await (await RawClient.connect(ctx.server.port)).call('MODULE', 'LIST')) as Reply[];
  assert.is(list.length, 1);
  const m = pairs(list[0]);
  assert.is(m.name, 'rg');
  assert.is(m.ver, 10213);
  assert.match(String(m.path), /gearsd_native\.node$/);
  assert.equal(m.args, []);
});

test('COMMAND, COMMAND COUNT, INFO, DOCS and LIST agree with each other', async () => {
  const all = (await ctx.redis.call('COMMAND')) as unknown[][];
  assert.is(await ctx.redis.command('COUNT'), all.length);
  const names = all.map((e) => e[0] as string);
  for (const n of ['get', 'set', 'ping', 'client', 'config', 'command', 'info']) assert.ok(names.includes(n), n);
  const list = (await ctx.redis.command('LIST')) as string[];
  assert.ok(list.includes('client|list') && list.includes('config|get'));
  const infos = (await ctx.redis.command('INFO', ...list)) as unknown[];
  assert.ok(infos.every((x) => Array.isArray(x)), 'every listed name, subcommands included, has an INFO entry');
  const docs = (await ctx.redis.command('DOCS')) as unknown[];
  assert.is(docs.length, all.length * 2);
  for (let i = 1; i < docs.length; i += 2) {
    const d = pairs(docs[i] as Reply);
    assert.ok(typeof d.summary === 'string' && typeof d.since === 'string' && typeof d.group === 'string', String(docs[i - 1]));
  }
});

test('TIME is the wall clock in seconds and microseconds', async () => {
  const [sec, usec] = (await ctx.redis.call('TIME')) as [string, string];
  assert.ok(Math.abs(Number(sec) * 1000 + Number(usec) / 1000 - Date.now()) < 60_000);
  assert.ok(Number(usec) >= 0 && Number(usec) < 1_000_000);
});

test('SHUTDOWN, SIGTERM and SIGINT end the process cleanly', async () => {
  for (const how of ['SHUTDOWN', 'SIGTERM', 'SIGINT'] as const) {
    const s = await startGearsd();
    const c = await RawClient.connect(s.port);
    const exited = new Promise<number | null>((resolve) => s.process.once('exit', (code) => resolve(code)));
    if (how === 'SHUTDOWN') c.write('*1\r\n$8\r\nSHUTDOWN\r\n');
    else s.process.kill(how);
    await c.closed();
    assert.is(await exited, 0, how);
    assert.match(s.output(), /bye bye/);
  }
});

test.run();
