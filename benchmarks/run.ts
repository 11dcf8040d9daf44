// npm run bench -- <suite> [--repeat N] [--write]
// Runs one suite (benchmarks/suites/<suite>.ts); with --write, records its tables in
// benchmarks/RESULTS.md under "## <suite>".

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { machineLine, writeResults, type BenchContext } from './lib.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suite = args[0];
  if (!suite || suite.startsWith('--')) {
    console.error('usage: npm run bench -- <commands|gears|events> [--repeat N] [--write]');
    process.exit(2);
  }
  const repeatAt = args.indexOf('--repeat');
  const ctx: BenchContext = { repeat: repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3, report: [], args };
  const mod = (await import(`./suites/${suite}.js`)) as { run(ctx: BenchContext): Promise<void> };
  const started = new Date();
  await mod.run(ctx);
  if (args.includes('--write')) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const file = path.resolve(here, '..', '..', 'benchmarks', 'RESULTS.md');
    const header = [`Run ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}.`, ''];
    writeResults(file, suite, [...header, ...ctx.report]);
    console.log(`\nrecorded in ${path.relative(process.cwd(), file)}`);
  }
}

void main();
