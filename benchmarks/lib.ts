// What benchmark suites share: starting both servers, driving redis-benchmark, reading
// RSS, taking medians, printing and recording tables.

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { promisify } from 'node:util';

import { startGearsd, startRedisServer, type RunningServer } from '../test/helpers/servers.js';

const run = promisify(execFile);

export interface BenchContext {
  repeat: number;
  /** Lines of markdown for RESULTS.md, filled by the suite. */
  report: string[];
  args: string[];
}

export interface Servers {
  gearsd: RunningServer;
  redis: RunningServer;
  stop(): Promise<void>;
}

export async function startBoth(gearsdArgs: string[] = [], redisArgs: string[] = []): Promise<Servers> {
  const gearsd = await startGearsd(['--loglevel', 'warning', ...gearsdArgs]);
  const redis = await startRedisServer(redisArgs);
  return {
    gearsd,
    redis,
    stop: async () => {
      await Promise.all([gearsd.stop(), redis.stop()]);
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs redis-benchmark and returns requests/s per test name (lower-cased, e.g. "set"). */
export async function redisBenchmark(port: number, args: string[]): Promise<Map<string, number>> {
  const { stdout } = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '--csv', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    // "LPUSH (needed to benchmark LRANGE)" repeats a name: keep the first, the real test.
    const name = m?.[1].toLowerCase().split(' ')[0];
    if (m && name && !out.has(name)) out.set(name, Number(m[2]));
  }
  return out;
}

/** Resident set size of a process in bytes (VmRSS). */
export function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * Sends commands over one connection with at most `window` in flight and waits for every
 * reply. Replies are counted by their RESP framing (first byte of each top-level reply);
 * only simple replies (+, -, :, $) are supported, which is what loaders need.
 */
export async function pipeline(port: number, commands: Iterable<string[]>, window = 1000): Promise<number> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  let sent = 0;
  let received = 0;
  let errors = 0;
  let tail: Buffer = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  sock.on('data', (d: Buffer) => {
    const buf: Buffer = tail.length ? Buffer.concat([tail, d]) : d;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const type = buf[pos];
      if (type === 36 /* $ */) {
        const len = Number(buf.toString('latin1', pos + 1, nl - 1));
        const end = len < 0 ? nl + 1 : nl + 1 + len + 2;
        if (end > buf.length) break;
        pos = end;
      } else {
        if (type === 45 /* - */) errors++;
        pos = nl + 1;
      }
      received++;
    }
    tail = buf.subarray(pos);
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  });
  const encode = (args: string[]) => {
    let s = `*${args.length}\r\n`;
    for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    return s;
  };
  let batch = '';
  for (const c of commands) {
    batch += encode(c);
    sent++;
    if (sent - received >= window) {
      sock.write(batch);
      batch = '';
      while (sent - received >= window / 2) await new Promise<void>((r) => (wake = r));
    }
  }
  sock.write(batch);
  while (received < sent) await new Promise<void>((r) => (wake = r));
  sock.destroy();
  return errors;
}

/** Sends one command and returns the raw reply text (for checks and small queries). */
export async function query(port: number, args: string[]): Promise<string> {
  const sock = net.connect(port, '127.0.0.1');
  let out = '';
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  sock.write(s);
  return new Promise((resolve, reject) => {
    sock.on('data', (d) => {
      out += d.toString();
      if (out.endsWith('\r\n')) {
        sock.destroy();
        resolve(out);
      }
    });
    sock.on('error', reject);
  });
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A markdown table, printed and added to the report. */
export function table(ctx: BenchContext, header: string[], rows: (string | number)[][]): void {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  console.log(lines.join('\n'));
  ctx.report.push(...lines, '');
}

/** Machine, Node, Python and reference Redis versions, for the results header. */
export function machineLine(): string {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const cpu = os.cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `Node ${process.version}`,
    version('python3', ['--version']),
    version('redis-server', ['--version']).split(' ').slice(0, 3).join(' '),
  ].join('; ');
}

/** Replaces (or appends) the section `## <suite>` of RESULTS.md. */
export function writeResults(file: string, suite: string, body: string[]): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const heading = `## ${suite}`;
  const start = text.indexOf(`\n${heading}\n`);
  const section = [heading, '', ...body].join('\n').trimEnd() + '\n';
  let next: string;
  if (start < 0) {
    next = text.trimEnd() + '\n\n' + section;
  } else {
    const after = text.indexOf('\n## ', start + heading.length + 1);
    next = text.slice(0, start + 1) + section + (after < 0 ? '' : '\n' + text.slice(after + 1));
  }
  writeFileSync(file, next);
}
