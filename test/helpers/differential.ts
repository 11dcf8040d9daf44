// Differential testing: the same commands to gearsd and to a real redis-server, with the
// replies compared byte for byte (errors included).

import * as assert from 'uvu/assert';
import Parser from 'redis-parser';

import { RawClient } from './raw-client.js';
import { hasRedisServer, startGearsd, startRedisServer, type RunningServer } from './servers.js';

export class ServerPair {
  private constructor(
    readonly gearsdServer: RunningServer,
    readonly redisServer: RunningServer,
    readonly gearsd: RawClient,
    readonly redis: RawClient,
  ) {}

  /**
   * `args` go to both servers, e.g. ['--hash-max-listpack-entries', '4']. With `resp3` both
   * connections say HELLO 3 first (its reply differs in id and module path, so it is not compared).
   */
  static async start(args: string[] = [], opts: { resp3?: boolean } = {}): Promise<ServerPair> {
    const [g, r] = await Promise.all([startGearsd(args), startRedisServer(args)]);
    const [gc, rc] = await Promise.all([RawClient.connect(g.port), RawClient.connect(r.port)]);
    if (opts.resp3) await Promise.all([gc.call('HELLO', '3'), rc.call('HELLO', '3')]);
    return new ServerPair(g, r, gc, rc);
  }

  /** Sends one command to both and asserts identical reply bytes; returns them. */
  async same(...args: (string | Buffer)[]): Promise<Buffer> {
    const [g, r] = await Promise.all([this.gearsd.call(...args), this.redis.call(...args)]);
    const show = (b: Buffer) => JSON.stringify(b.toString('latin1'));
    assert.is(show(g), show(r), `reply to ${args.map(String).join(' ').slice(0, 200)}`);
    return g;
  }

  /** Sends one command to both and returns both replies decoded (gearsd's first). */
  async both(...args: (string | Buffer)[]): Promise<[Reply, Reply]> {
    const [g, r] = await Promise.all([this.gearsd.call(...args), this.redis.call(...args)]);
    return [decodeReply(g), decodeReply(r)];
  }

  /**
   * For replies whose order is the server's own (SMEMBERS, HKEYS...): asserts both
   * servers sent the same elements, in any order. `group` compares runs of that many
   * elements as units (2 for HGETALL's field/value pairs).
   */
  async sameUnordered(group: number, ...args: (string | Buffer)[]): Promise<void> {
    const [g, r] = await this.both(...args);
    assert.equal(canonical(g, group), canonical(r, group), `reply to ${args.map(String).join(' ').slice(0, 200)}`);
  }

  /**
   * Walks a cursor command (`HSCAN key`, `SSCAN key`, ...) to its end on each server and
   * asserts both returned the same elements (units of `group`), whatever their cursors.
   */
  async sameScan(group: number, cmd: string, key: string, options: string[] = []): Promise<void> {
    const [g, r] = await Promise.all([scanAll(this.gearsd, group, cmd, key, options), scanAll(this.redis, group, cmd, key, options)]);
    assert.equal(g, r, `${cmd} ${key} ${options.join(' ')} walked to the end`);
  }

  /** Runs a list of commands through same(), in order. */
  async sequence(commands: (string | Buffer)[][]): Promise<void> {
    for (const c of commands) await this.same(...c);
  }

  async stop(): Promise<void> {
    this.gearsd.close();
    this.redis.close();
    await Promise.all([this.gearsdServer.stop(), this.redisServer.stop()]);
  }
}

/**
 * Runs `body` against a fresh pair started with `args`, stopping both servers afterwards.
 * With `seed` (a seeded random test), a failure names the seed that replays it.
 */
export async function withPair(body: (pair: ServerPair) => Promise<void>, opts: { args?: string[]; seed?: number; resp3?: boolean } = {}): Promise<void> {
  const pair = await ServerPair.start(opts.args, { resp3: opts.resp3 });
  try {
    await body(pair);
  } catch (e) {
    if (opts.seed !== undefined && e instanceof Error) e.message = `seed ${opts.seed}: ${e.message}`;
    throw e;
  } finally {
    await pair.stop();
  }
}

/** Is a reference redis-server installed? Differential tests are skipped (and counted as such) when not. */
export const canCompare = hasRedisServer;

/** A decoded reply: bulk strings as latin1 strings, errors as { error }. */
export type Reply = string | number | null | { error: string } | Reply[];

export function decodeReply(bytes: Buffer): Reply {
  let out: Reply = null;
  const convert = (v: unknown): Reply => {
    if (Buffer.isBuffer(v)) return v.toString('latin1');
    if (Array.isArray(v)) return v.map(convert);
    return v as Reply;
  };
  const parser = new Parser({
    returnReply: (v) => (out = convert(v)),
    returnError: (e) => (out = { error: e.message }),
    returnBuffers: true,
  });
  parser.execute(bytes);
  return out;
}

function canonical(reply: Reply, group: number): string {
  if (!Array.isArray(reply)) return JSON.stringify(reply);
  const units: string[] = [];
  for (let i = 0; i < reply.length; i += group) units.push(JSON.stringify(reply.slice(i, i + group)));
  return JSON.stringify(units.sort());
}

/** The distinct elements a full cursor walk returns, sorted; an error reply as itself. */
async function scanAll(client: RawClient, group: number, cmd: string, key: string, options: string[]): Promise<string[]> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const reply = decodeReply(await client.call(cmd, key, cursor, ...options));
    if (!Array.isArray(reply)) return [JSON.stringify(reply)];
    cursor = reply[0] as string;
    const items = reply[1] as string[];
    for (let i = 0; i < items.length; i += group) seen.add(JSON.stringify(items.slice(i, i + group)));
  } while (cursor !== '0');
  return [...seen].sort();
}
