// npm test: runs every compiled test file (dist/test/**/*.test.js) with uvu and ends with
// one line "N passed, N failed, N skipped". Exit status 1 when anything failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/test')) {
  console.error('dist/test is missing: run `npm install` (or `npx tsc -p .`) first');
  process.exit(1);
}

// An optional argument narrows the files: `node scripts/run-tests.mjs 'hash|set'`.
const only = process.argv[2];
const filter = only ? `^(?=.*(?:${only})).*\\.test\\.js$` : '\\.test\\.js$';
const child = spawn(process.execPath, ['node_modules/uvu/bin.js', 'dist/test', filter], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.on('exit', (code) => {
  // uvu colours its summary; strip the escape codes before reading the numbers.
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => Number((new RegExp(`${label}:\\s+(\\d+)`).exec(plain) ?? [])[1] ?? 0);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  // A file that crashed before reporting leaves no totals: count it as a failure.
  const failed = Math.max(total - passed - skipped, code !== 0 && total === passed + skipped ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed > 0 || code !== 0 ? 1 : 0);
});
