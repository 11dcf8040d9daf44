// Starting real servers for tests: gearsd (this build) and, where installed, redis-server.
// Each runs as its own process on a free port the test picks, and is stopped by the test.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'uvu';

import { RawClient } from './raw-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface RunningServer {
  port: number;
  process: ChildProcess;
  /** Everything the server printed (its log). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`server exited early (${child.exitCode}):\n${log()}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`server did not start on ${port}:\n${log()}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

async function startProcess(cmd: string, args: string[], port: number): Promise<RunningServer> {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitForPort(port, child, () => out);
  return {
    port,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts gearsd from this checkout's build on a free port (optionally with a config file first). */
export async function startGearsd(extraArgs: string[] = [], configFile?: string): Promise<RunningServer> {
  const port = await freePort();
  const file = configFile ? [configFile] : [];
  return startProcess(process.execPath, [path.join(root, 'dist', 'src', 'main.js'), ...file, '--port', String(port), ...extraArgs], port);
}

let redisAvailable: boolean | undefined;

/** Is Debian's redis-server installed? (.ci/run installs it.) */
export function hasRedisServer(): boolean {
  if (redisAvailable === undefined) {
    redisAvailable = spawnSync('redis-server', ['--version']).status === 0;
  }
  return redisAvailable;
}

/** Starts a throwaway redis-server (no persistence) on a free port. */
export async function startRedisServer(extraArgs: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  return startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], port);
}

/** An ioredis client for a test server; the caller disconnects it. */
export async function connectIoredis(port: number) {
  const { Redis } = await import('ioredis');
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
  await client.connect();
  return client;
}

export interface GearsdSuite {
  server: RunningServer;
  /** An ioredis client; a test may replace it (the suite disconnects whichever is current). */
  redis: Awaited<ReturnType<typeof connectIoredis>>;
}

/** One gearsd and an ioredis client for a whole test file, started before and stopped after it. */
export function gearsdForSuite(suite: Test, extraArgs: string[] = []): GearsdSuite {
  const ctx = {} as GearsdSuite;
  suite.before(async () => {
    ctx.server = await startGearsd(extraArgs);
    ctx.redis = await connectIoredis(ctx.server.port);
  });
  suite.after(async () => {
    ctx.redis?.disconnect();
    await ctx.server?.stop();
  });
  return ctx;
}

export interface RawGearsdSuite {
  server: RunningServer;
  /** A byte-exact RESP client (helpers/raw-client.ts). */
  c: RawClient;
}

/** One gearsd and a raw RESP client for a whole test file, started before and stopped after it. */
export function rawGearsdForSuite(suite: Test, extraArgs: string[] = []): RawGearsdSuite {
  const ctx = {} as RawGearsdSuite;
  suite.before(async () => {
    ctx.server = await startGearsd(extraArgs);
    ctx.c = await RawClient.connect(ctx.server.port);
  });
  suite.after(async () => {
    ctx.c?.close();
    await ctx.server?.stop();
  });
  return ctx;
}
