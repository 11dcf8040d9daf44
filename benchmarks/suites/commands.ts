// `npm run bench -- commands`: redis-benchmark against gearsd and redis-server, per
// command, unpipelined and with -P 16; then memory per key for 1M small strings and
// 1M five-field hashes. Targets (issues 2 and 3): >= 0.8x redis-server unpipelined,
// >= 0.5x with -P 16, <= 1.5x its memory per key.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { freePort } from '../../test/helpers/servers.js';
import { fmt, median, pipeline, query, redisBenchmark, rss, startBoth, table, type BenchContext } from '../lib.js';

const TESTS = ['ping', 'set', 'get', 'incr', 'mset', 'lpush', 'rpush', 'lpop', 'sadd', 'hset', 'spop', 'zadd', 'lrange_100'];
// The command each redis-benchmark test needs, to skip tests gearsd cannot run yet.
const NEEDS: Record<string, string[]> = {
  ping: ['PING'], set: ['SET', 'k', 'v'], get: ['GET', 'k'], incr: ['INCR', 'n'], mset: ['MSET', 'k', 'v'],
  lpush: ['LPUSH', 'l', 'v'], rpush: ['RPUSH', 'l', 'v'], lpop: ['LPOP', 'l'], sadd: ['SADD', 's', 'v'],
  hset: ['HSET', 'h', 'f', 'v'], spop: ['SPOP', 's'], zadd: ['ZADD', 'z', '1', 'v'], lrange_100: ['LRANGE', 'l', '0', '99'],
};
// redis-benchmark's CSV names for the tests above.
const CSV_NAME: Record<string, string> = { ping: 'ping_mbulk' };

const N = 200000;

async function throughput(ctx: BenchContext): Promise<void> {
  const servers = await startBoth();
  try {
    const supported: string[] = [];
    for (const t of TESTS) {
      const r = await query(servers.gearsd.port, NEEDS[t]);
      if (!r.startsWith('-ERR unknown command')) supported.push(t);
    }
    const modes: [string, string[], number][] = [
      ['-c 50', ['-c', '50'], 0.8],
      ['-c 50 -P 16', ['-c', '50', '-P', '16'], 0.5],
    ];
    for (const [label, flags, target] of modes) {
      const g = new Map<string, number[]>();
      const r = new Map<string, number[]>();
      for (let i = 0; i < ctx.repeat; i++) {
        // Alternate which server goes first, so drift on a noisy machine hits both.
        const order = i % 2 ? [servers.redis, servers.gearsd] : [servers.gearsd, servers.redis];
        for (const s of order) {
          const res = await redisBenchmark(s.port, ['-n', String(N), '-t', supported.join(','), ...flags]);
          const into = s === servers.gearsd ? g : r;
          for (const t of supported) {
            const v = res.get(CSV_NAME[t] ?? t);
            if (v !== undefined) into.set(t, [...(into.get(t) ?? []), v]);
          }
        }
      }
      console.log(`\nredis-benchmark -n ${N} ${label} (median of ${ctx.repeat})`);
      ctx.report.push(`redis-benchmark \`-n ${N} ${label}\`, requests/s, median of ${ctx.repeat} (target ≥ ${target}×):`, '');
      table(
        ctx,
        ['test', 'gearsd', 'redis-server', 'ratio', `≥ ${target}×`],
        TESTS.map((t) => {
          if (!supported.includes(t)) return [t, 'n/a', '', '', 'not implemented yet'];
          const gm = median(g.get(t) ?? [NaN]);
          const rm = median(r.get(t) ?? [NaN]);
          const ratio = gm / rm;
          return [t, fmt(gm), fmt(rm), ratio.toFixed(2), ratio >= target ? 'yes' : 'no'];
        }),
      );
    }
  } finally {
    await servers.stop();
  }
}

function* strings(n: number): Generator<string[]> {
  for (let i = 0; i < n; i++) yield ['SET', `key:${String(i).padStart(12, '0')}`, `value:${i}`];
}

function* hashes(n: number): Generator<string[]> {
  for (let i = 0; i < n; i++) {
    yield ['HSET', `user:${i}`, 'name', `user${i}`, 'email', `user${i}@example.com`, 'age', String(20 + (i % 50)), 'city', 'Lisbon', 'score', String(i % 1000)];
  }
}

async function memory(ctx: BenchContext): Promise<void> {
  const KEYS = 1_000_000;
  const loads: [string, (n: number) => Generator<string[]>, string[]][] = [
    ['1M small strings (`SET key:<12 digits> value:<n>`)', strings, ['SET', 'k', 'v']],
    ['1M five-field hashes (`HSET user:<n> name … email … age … city … score …`)', hashes, ['HSET', 'h', 'f', 'v']],
  ];
  const rows: (string | number)[][] = [];
  for (const [label, gen, probe] of loads) {
    const servers = await startBoth();
    try {
      if ((await query(servers.gearsd.port, probe)).startsWith('-ERR unknown command')) {
        rows.push([label, 'n/a', '', '', 'not implemented yet']);
        continue;
      }
      await Promise.all([query(servers.gearsd.port, ['DEL', ...probe.slice(1, 2)]), query(servers.redis.port, ['DEL', ...probe.slice(1, 2)])]);
      const per: number[] = [];
      for (const s of [servers.gearsd, servers.redis]) {
        const before = rss(s.process.pid!);
        const errors = await pipeline(s.port, gen(KEYS));
        if (errors) throw new Error(`${errors} errors while loading`);
        per.push((rss(s.process.pid!) - before) / KEYS);
      }
      const ratio = per[0] / per[1];
      rows.push([label, `${per[0].toFixed(1)} B`, `${per[1].toFixed(1)} B`, ratio.toFixed(2), ratio <= 1.5 ? 'yes' : 'no']);
    } finally {
      await servers.stop();
    }
  }
  console.log('\nMemory per key (RSS growth / keys)');
  ctx.report.push('Memory per key: RSS growth while loading, divided by the number of keys (target ≤ 1.5×):', '');
  table(ctx, ['load', 'gearsd', 'redis-server', 'ratio', '≤ 1.5×'], rows);
}

// What Node alone does per unpipelined request (benchmarks/node-floor.ts), beside gearsd
// and redis-server under the same PING load: the ceiling the TS-owned sockets put on
// gearsd's unpipelined ratios.
async function nodeFloor(ctx: BenchContext): Promise<void> {
  const servers = await startBoth();
  const port = await freePort();
  const floor = fork(fileURLToPath(new URL('../node-floor.js', import.meta.url)), [String(port)], { stdio: 'ignore' });
  try {
    await new Promise<void>((resolve) => floor.once('message', () => resolve()));
    const runs: Record<string, number[]> = { node: [], gearsd: [], redis: [] };
    const targets: [string, number][] = [['node', port], ['gearsd', servers.gearsd.port], ['redis', servers.redis.port]];
    for (let i = 0; i < ctx.repeat; i++) {
      for (const [name, p] of i % 2 ? [...targets].reverse() : targets) {
        const res = await redisBenchmark(p, ['-n', String(N), '-c', '50', '-t', 'ping']);
        runs[name].push(res.get('ping_mbulk') ?? NaN);
      }
    }
    const redis = median(runs.redis);
    console.log(`\nUnpipelined floor: PING -c 50 (median of ${ctx.repeat})`);
    ctx.report.push(
      `Unpipelined floor: \`redis-benchmark -t ping -c 50\` against a bare Node server that answers every read with +PONG and parses nothing (benchmarks/node-floor.ts), median of ${ctx.repeat}:`,
      '',
    );
    table(
      ctx,
      ['server', 'requests/s', 'ratio to redis-server'],
      [
        ['bare Node (no parsing, no commands)', fmt(median(runs.node)), (median(runs.node) / redis).toFixed(2)],
        ['gearsd', fmt(median(runs.gearsd)), (median(runs.gearsd) / redis).toFixed(2)],
        ['redis-server', fmt(redis), '1.00'],
      ],
    );
  } finally {
    floor.kill('SIGTERM');
    await servers.stop();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  await throughput(ctx);
  await nodeFloor(ctx);
  if (!ctx.args.includes('--no-memory')) await memory(ctx);
}
