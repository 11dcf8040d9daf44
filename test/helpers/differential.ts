// Differential testing: the same commands to gearsd and to a real redis-server, with the
// replies compared byte for byte (errors included).

import * as assert from 'uvu/assert';

import { RawClient } from './raw-client.js';
import { hasRedisServer, startGearsd, startRedisServer, type RunningServer } from './servers.js';

export class ServerPair {
  private constructor(
    readonly gearsdServer: RunningServer,
    readonly redisServer: RunningServer,
    readonly gearsd: RawClient,
    readonly redis: RawClient,
  ) {}

  /** `serverArgs` go to both servers (e.g. ['--zset-max-listpack-entries', '4']). */
  static async start(serverArgs: string[] = []): Promise<ServerPair> {
    const [g, r] = await Promise.all([startGearsd(serverArgs), startRedisServer(serverArgs)]);
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
