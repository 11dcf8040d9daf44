// Differential testing: the same commands to gearsd and to a real redis-server, with the
// replies compared byte for byte (errors included).

import * as assert from 'uvu/assert';

import { RawClient } from './raw-client.js';
import { decode, type RespValue } from './resp.js';
import { hasRedisServer, startGearsd, startRedisServer, type RunningServer } from './servers.js';

export class ServerPair {
  private constructor(
    readonly gearsdServer: RunningServer,
    readonly redisServer: RunningServer,
    readonly gearsd: RawClient,
    readonly redis: RawClient,
  ) {}

  /** Starts both, each with the same extra flags (e.g. ['--requirepass', 'pw']). */
  static async start(extraArgs: string[] = []): Promise<ServerPair> {
    const [g, r] = await Promise.all([startGearsd(extraArgs), startRedisServer(extraArgs)]);
    const [gc, rc] = await Promise.all([RawClient.connect(g.port), RawClient.connect(r.port)]);
    return new ServerPair(g, r, gc, rc);
  }

  /** Sends one command to both and asserts identical reply bytes; returns them. */
  async same(...args: (string | Buffer)[]): Promise<Buffer> {
    const [g, r] = await Promise.all([this.gearsd.call(...args), this.redis.call(...args)]);
    const show = (b: Buffer) => JSON.stringify(b.toString('latin1'));
    assert.is(show(g), show(r), `reply to ${args.map(String).join(' ').slice(0, 200)}`);
    return g;
  }

  /**
   * Sends one command to both and returns both replies decoded ([gearsd, redis]), for
   * replies whose contents legitimately differ (ids, times) but whose shape must not.
   */
  async both(...args: (string | Buffer)[]): Promise<[RespValue, RespValue]> {
    const [g, r] = await Promise.all([this.gearsd.call(...args), this.redis.call(...args)]);
    return [decode(g), decode(r)];
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

/** Is a reference redis-server installed? Differential tests are skipped (and counted as such) when not. */
export const canCompare = hasRedisServer;
