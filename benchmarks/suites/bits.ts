// `npm run bench -- bits`: bitmaps, HyperLogLog and SORT with redis-benchmark against gearsd
// and redis-server (-c 50, unpipelined): the writes (SETBIT, PFADD into a dense HLL), and
// the reads whose cost grows with the value (BITCOUNT and BITPOS over 1 MB, PFCOUNT of
// several keys, SORT of 100 elements). Target: >= 0.8x redis-server, as for the other
// commands.

import { fmt, median, query, redisBenchmark, startBoth, table, type BenchContext } from '../lib.js';

interface Case {
  name: string;
  setup: string[][];
  command: string[];
  n: number;
}

const MB = 1024 * 1024;
const CASES: Case[] = [
  { name: 'SETBIT', setup: [], command: ['SETBIT', 'bits:w', '5000000', '1'], n: 200000 },
  { name: 'GETBIT', setup: [['SETBIT', 'bits:r', String(8 * MB - 1), '1']], command: ['GETBIT', 'bits:r', '5000000'], n: 200000 },
  { name: 'BITCOUNT 1 MB', setup: [['SETBIT', 'bits:r', String(8 * MB - 1), '1']], command: ['BITCOUNT', 'bits:r'], n: 20000 },
  { name: 'BITPOS 1 over 1 MB of zeros', setup: [['SETBIT', 'bits:r', String(8 * MB - 1), '1']], command: ['BITPOS', 'bits:r', '1'], n: 20000 },
  { name: 'PFADD (dense)', setup: [], command: ['PFADD', 'hll:w', '__rand_int__'], n: 200000 },
  { name: 'PFCOUNT of 3 keys', setup: [], command: ['PFCOUNT', 'hll:w', 'hll:a', 'hll:b'], n: 20000 },
  { name: 'SORT 100 numbers', setup: [['RPUSH', 'sort:l', ...Array.from({ length: 100 }, (_, i) => String((i * 7919) % 1000))]], command: ['SORT', 'sort:l'], n: 50000 },
];

export async function run(ctx: BenchContext): Promise<void> {
  const servers = await startBoth();
  try {
    for (const s of [servers.gearsd, servers.redis]) {
      for (const c of CASES) for (const cmd of c.setup) await query(s.port, cmd);
      // Dense HLLs of 100k elements for PFADD and PFCOUNT.
      for (const key of ['hll:w', 'hll:a', 'hll:b']) {
        for (let i = 0; i < 100_000; i += 1000) await query(s.port, ['PFADD', key, ...Array.from({ length: 1000 }, (_, j) => `${key}:${i + j}`)]);
      }
    }
    const g = new Map<string, number[]>();
    const r = new Map<string, number[]>();
    for (let i = 0; i < ctx.repeat; i++) {
      const order = i % 2 ? [servers.redis, servers.gearsd] : [servers.gearsd, servers.redis];
      for (const s of order) {
        for (const c of CASES) {
          const res = await redisBenchmark(s.port, ['-n', String(c.n), '-c', '50', '-r', String(8 * MB), ...c.command]);
          const v = res.get(c.command[0].toLowerCase()) ?? NaN;
          const into = s === servers.gearsd ? g : r;
          into.set(c.name, [...(into.get(c.name) ?? []), v]);
        }
      }
    }
    console.log(`\nredis-benchmark -c 50 (median of ${ctx.repeat})`);
    ctx.report.push(`redis-benchmark \`-c 50\`, requests/s, median of ${ctx.repeat} (target ≥ 0.8×):`, '');
    table(
      ctx,
      ['command', 'gearsd', 'redis-server', 'ratio', '≥ 0.8×'],
      CASES.map((c) => {
        const gm = median(g.get(c.name) ?? [NaN]);
        const rm = median(r.get(c.name) ?? [NaN]);
        return [c.name, fmt(gm), fmt(rm), (gm / rm).toFixed(2), gm / rm >= 0.8 ? 'yes' : 'no'];
      }),
    );
  } finally {
    await servers.stop();
  }
}
