// `npm run bench -- events`: what registrations cost the writers, and how soon their work is
// done (issue 5 point 8).
//  - Writes: redis-benchmark `HSET person:__rand_int__ …` (-c 50, 200,000 requests) against
//    gearsd with no registration, with an `async` and with a `sync` registration on person:*
//    doing execute('HINCRBY', 'stats', 'writes', 1); beside them redis-server under the same
//    load with a redis-py client subscribed to keyspace notifications doing the HINCRBY (what
//    users do without Gears). Reported: throughput, time from the first write until every
//    event has been processed, events lost.
//  - Streams: XADD at full speed (-c 50) into a stream with a StreamReader registration
//    (batch=100) counting entries: entries processed per second and the final lag.
// Targets: an async registration costs the writers at most 30% of their throughput; gearsd
// finishes processing sooner than the redis-py subscriber on redis-server.

import { spawn, type ChildProcess } from 'node:child_process';

import { fmt, median, query, redisBenchmark, startBoth, table, type BenchContext } from '../lib.js';

const N = 200000;
const HSET = ['-c', '50', '-n', String(N), '-r', '100000000', 'HSET', 'person:__rand_int__', 'name', 'somebody', 'age', '42'];
// The Debian package python3-redis installs redis-py for the system Python.
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

const SUBSCRIBER = `
import redis, sys
r = redis.Redis(port=int(sys.argv[1]))
p = r.pubsub(ignore_subscribe_messages=True)
p.psubscribe('__keyspace@0__:person:*')
print('ready', flush=True)
for m in p.listen():
    r.hincrby('stats', 'writes', 1)
`;

function intOf(reply: string): number {
  const m = /^[:$]-?\d+\r\n(-?\d+)?/.exec(reply);
  if (!m) return 0;
  return reply.startsWith(':') ? Number(reply.slice(1, reply.indexOf('\r'))) : Number(m[1] ?? 0);
}

/** Polls HGET stats writes until it reaches n or stops moving for 5 s; returns [count, ms when reached]. */
async function processed(port: number, n: number, started: number): Promise<[number, number]> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const v = intOf(await query(port, ['HGET', 'stats', 'writes']));
    if (v !== last) {
      last = v;
      lastChange = Date.now();
    }
    if (v >= n) return [v, Date.now() - started];
    if (Date.now() - lastChange > 5000) return [v, lastChange - started];
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface WriteResult {
  label: string;
  rps: number;
  doneMs: number;
  lost: number;
}

async function gearsdWrites(mode: 'none' | 'async' | 'sync'): Promise<WriteResult> {
  const servers = await startBoth();
  try {
    const port = servers.gearsd.port;
    if (mode !== 'none') {
      const script = `GB().foreach(lambda r: execute('HINCRBY', 'stats', 'writes', 1)).register('person:*', mode='${mode}')`;
      const r = await query(port, ['RG.PYEXECUTE', script]);
      if (r !== '+OK\r\n') throw new Error(`register: ${r}`);
    }
    const started = Date.now();
    const res = await redisBenchmark(port, HSET);
    if (mode === 'none') return { label: 'gearsd, no registration', rps: res.get('hset') ?? NaN, doneMs: Date.now() - started, lost: 0 };
    const [count, doneMs] = await processed(port, N, started);
    return { label: `gearsd, \`${mode}\` registration`, rps: res.get('hset') ?? NaN, doneMs, lost: N - count };
  } finally {
    await servers.stop();
  }
}

async function redisWrites(withSubscriber: boolean): Promise<WriteResult> {
  const servers = await startBoth();
  let sub: ChildProcess | null = null;
  try {
    const port = servers.redis.port;
    if (withSubscriber) {
      await query(port, ['CONFIG', 'SET', 'notify-keyspace-events', 'Kh']);
      sub = spawn(PYTHON, ['-c', SUBSCRIBER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        sub!.stdout!.once('data', () => resolve());
        sub!.once('exit', (code) => reject(new Error(`redis-py subscriber exited (${code}): is python3-redis installed?`)));
      });
    }
    const started = Date.now();
    const res = await redisBenchmark(port, HSET);
    if (!withSubscriber) return { label: 'redis-server, nothing subscribed', rps: res.get('hset') ?? NaN, doneMs: Date.now() - started, lost: 0 };
    const [count, doneMs] = await processed(port, N, started);
    return { label: 'redis-server + redis-py keyspace subscriber', rps: res.get('hset') ?? NaN, doneMs, lost: N - count };
  } finally {
    sub?.kill();
    await servers.stop();
  }
}

const ASYNC_COST_NOTE =
  'Where an async registration\'s cost goes (per-thread CPU from /proc and perf, 100,000 writes): without a ' +
  'registration gearsd\'s main thread is saturated at about 23–34 µs of CPU per HSET, half of it writing replies ' +
  'to the 50 sockets. The registration adds about 1–2 µs of main-thread work of its own per write (matching the ' +
  'event, creating and queueing the execution); finished executions reach TS packed and wake it only once per ' +
  'thousand. An execution costs a pool thread about 6 µs of CPU when it runs alone (a backlog draining with no ' +
  'writers) but 11–15 µs under the writers. The 2 vCPUs of this VM behave like one core\'s two hyperthreads: a ' +
  'plain busy loop on the other vCPU slows single-threaded work by 30–50%. So with redis-benchmark taking about ' +
  'half a core, the pool\'s CPU comes out of the main thread\'s speed: its CPU per write rises by about 10 µs. ' +
  'Pairs of runs made back to back range from 0.6 to 0.95 on this machine.';

async function writes(ctx: BenchContext): Promise<void> {
  const runs: WriteResult[][] = [];
  for (let i = 0; i < ctx.repeat; i++) {
    runs.push([
      await gearsdWrites('none'),
      await gearsdWrites('async'),
      await gearsdWrites('sync'),
      await redisWrites(false),
      await redisWrites(true),
    ]);
  }
  const rows = runs[0].map((r, k) => {
    const rps = median(runs.map((run) => run[k].rps));
    const done = median(runs.map((run) => run[k].doneMs));
    const lost = Math.max(...runs.map((run) => run[k].lost));
    return { label: r.label, rps, done, lost };
  });
  const base = rows[0].rps;
  const redisBase = rows[3].rps;
  // The machine's speed drifts between runs (the same gearsd alone measured 28k–48k HSET/s
  // within minutes), so the cost is judged on each repetition's own pair of runs, made one
  // right after the other, and the median of those.
  const paired = runs.map((run) => run[1].rps / run[0].rps);
  console.log(`\nHSET person:__rand_int__ (-c 50, ${fmt(N)} requests), median of ${ctx.repeat}`);
  ctx.report.push(
    `Writes: redis-benchmark \`HSET person:__rand_int__ name … age …\` (-c 50, ${fmt(N)} requests), median of ${ctx.repeat}. ` +
      '"all processed" is the time from the first write until the last event\'s HINCRBY landed; "lost" the most events missing in any run.',
    '',
  );
  table(
    ctx,
    ['setup', 'HSET/s', 'vs. no registration', 'all processed (s)', 'events lost'],
    rows.map((r, k) => [
      r.label,
      fmt(r.rps),
      (r.rps / (k < 3 ? base : redisBase)).toFixed(2),
      (r.done / 1000).toFixed(2),
      k === 0 || k === 3 ? '' : fmt(r.lost),
    ]),
  );
  const asyncCost = 1 - median(paired);
  const sooner = rows[1].done < rows[4].done;
  const lines = [
    `Async registration vs. none, each repetition's pair of runs: ${paired.map((x) => x.toFixed(2)).join(', ')} (median ${median(paired).toFixed(2)}; the medians in the table give ${(rows[1].rps / base).toFixed(2)}).`,
    `Target: an async registration costs the writers at most 30%: ${(asyncCost * 100).toFixed(0)}% — ${asyncCost <= 0.3 ? 'met' : 'not met'}.`,
    `Target: gearsd (async) processes everything sooner than the redis-py subscriber: ${(rows[1].done / 1000).toFixed(2)} s vs ${(rows[4].done / 1000).toFixed(2)} s — ${sooner ? 'met' : 'not met'}.`,
    '',
  ];
  // Said whether or not the target is met: on this machine it is met in some runs and not in
  // others, and the note says why.
  lines.push(ASYNC_COST_NOTE, '');
  console.log(lines.join('\n'));
  ctx.report.push(...lines);
}

async function streams(ctx: BenchContext): Promise<void> {
  const results: { rps: number; perSec: number; lagMs: number; left: number }[] = [];
  for (let i = 0; i < ctx.repeat; i++) {
    const servers = await startBoth();
    try {
      const port = servers.gearsd.port;
      const script = "GB('StreamReader').count().foreach(lambda n: execute('INCRBY', 'entries', n)).register('events', batch=100)";
      const r = await query(port, ['RG.PYEXECUTE', script]);
      if (r !== '+OK\r\n') throw new Error(`register: ${r}`);
      const started = Date.now();
      const res = await redisBenchmark(port, ['-c', '50', '-n', String(N), 'XADD', 'events', '*', 'field', 'value']);
      let count = 0;
      let lastChange = Date.now();
      for (;;) {
        const v = intOf(await query(port, ['GET', 'entries']));
        if (v !== count) {
          count = v;
          lastChange = Date.now();
        }
        if (count >= N || Date.now() - lastChange > 5000) break;
        await new Promise((res2) => setTimeout(res2, 20));
      }
      const elapsed = (lastChange - started) / 1000;
      const dump = await query(port, ['RG.DUMPREGISTRATIONS']);
      const lag = /lastEstimatedLagMS\r\n:(\d+)/.exec(dump);
      const left = intOf(await query(port, ['XLEN', 'events']));
      results.push({ rps: res.get('xadd') ?? NaN, perSec: count / elapsed, lagMs: lag ? Number(lag[1]) : NaN, left: N - count + left });
    } finally {
      await servers.stop();
    }
  }
  console.log(`\nXADD events * (-c 50, ${fmt(N)} requests) into a StreamReader registration (batch=100), median of ${ctx.repeat}`);
  ctx.report.push(
    `Streams: redis-benchmark \`XADD events * field value\` (-c 50, ${fmt(N)} requests) with \`GB('StreamReader').count()….register('events', batch=100)\`, median of ${ctx.repeat}. ` +
      'Entries processed per second from the first XADD to the last count; the last batch\'s estimated lag; entries left unprocessed (must be 0: a multiple of the batch size was written).',
    '',
  );
  table(ctx, ['XADD/s', 'entries processed/s', 'final lastEstimatedLagMS', 'unprocessed'], [[
    fmt(median(results.map((r) => r.rps))),
    fmt(median(results.map((r) => r.perSec))),
    fmt(median(results.map((r) => r.lagMs))),
    fmt(Math.max(...results.map((r) => r.left))),
  ]]);
}

export async function run(ctx: BenchContext): Promise<void> {
  if (!ctx.args.includes('--no-writes')) await writes(ctx);
  if (!ctx.args.includes('--no-streams')) await streams(ctx);
}
