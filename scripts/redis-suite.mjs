// Runs suites of Redis's own test suite (external mode) against this build's gearsd and
// against redis-server, and prints their [ok]/[err]/[skip] counts side by side, with the
// command a suite stopped at when it stopped early.
//
//   node scripts/redis-suite.mjs unit/type/incr unit/keyspace [-- --skipfile FILE ...]
//
// REDIS_TESTS (required) names a checkout of Redis 7.0.15's sources; it is
// only read from (runtest writes its scratch files under its tests/tmp). Arguments after
// `--` go to runtest as they are.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

const testsDir = process.env.REDIS_TESTS;
if (!testsDir) {
  console.error('set REDIS_TESTS to a checkout of Redis 7.0.15 (git clone, tag 7.0.15); nothing from it is kept here');
  process.exit(2);
}
const sep = process.argv.indexOf('--');
const suites = (sep < 0 ? process.argv.slice(2) : process.argv.slice(2, sep)).filter(Boolean);
const extra = sep < 0 ? [] : process.argv.slice(sep + 1);
if (suites.length === 0) {
  console.error('usage: node scripts/redis-suite.mjs SUITE... [-- RUNTEST-ARGS...]');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function start(name, cmd, args, port) {
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await waitForPort(port);
  return { name, port, stop: () => child.kill('SIGTERM') };
}

function runSuite(port, suite) {
  // runtest's own control port is picked below --baseport; a random base lets several
  // runs (other checkouts, other engineers) share the machine without colliding.
  const baseport = String(20000 + 64 * Math.floor(Math.random() * 600));
  const args = ['--host', '127.0.0.1', '--port', String(port), '--baseport', baseport, '--single', suite, '--tags', '-needs:debug', '--tags', '-needs:repl', ...extra];
  const r = spawnSync('./runtest', args, { cwd: testsDir, encoding: 'utf8', maxBuffer: 64 << 20 });
  // Strip colours, then count the per-test lines (the summary repeats errors after "***").
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
  const count = (tag) => out.split('\n').filter((l) => l.startsWith(`[${tag}]:`)).length;
  const stopped = /\[exception\]: Executing test client: (.*)/.exec(out)?.[1] ?? '';
  return { ok: count('ok'), err: count('err'), skip: count('skip'), stopped };
}

const gport = await freePort();
const rport = await freePort();
const servers = [
  await start('gearsd', process.execPath, ['dist/src/main.js', '--port', String(gport)], gport),
  await start('redis-server', 'redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], rport),
];
try {
  console.log('suite'.padEnd(22), 'gearsd ok/err/skip'.padEnd(20), 'redis-server ok/err/skip'.padEnd(26), 'gearsd stopped at');
  for (const suite of suites) {
    const [g, r] = servers.map((s) => runSuite(s.port, suite));
    const cell = (x) => `${x.ok}/${x.err}/${x.skip}`;
    console.log(suite.padEnd(22), cell(g).padEnd(20), cell(r).padEnd(26), g.stopped.slice(0, 100));
  }
} finally {
  for (const s of servers) s.stop();
}
