// Pub/sub: who listens to which channel or pattern, and message delivery. Keyspace
// notifications (queued by native at the point of mutation) are published through here.

import type { Client } from './client.js';
import type { NativeAddon } from './native.js';
import * as reply from './resp/reply.js';
import type { Server } from './server.js';

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

// Reply words per kind: [subscribe, unsubscribe, message].
const WORDS: Record<SubscriptionKind, [string, string, string]> = {
  channel: ['subscribe', 'unsubscribe', 'message'],
  pattern: ['psubscribe', 'punsubscribe', 'pmessage'],
  shard: ['ssubscribe', 'sunsubscribe', 'smessage'],
};

const latin1 = (b: Buffer) => b.toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

export class PubSub {
  private readonly registry: Record<SubscriptionKind, Map<string, Set<Client>>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };

  constructor(private readonly native: NativeAddon) {}

  private clientSet(client: Client, kind: SubscriptionKind): Set<string> {
    return kind === 'channel' ? client.channels : kind === 'pattern' ? client.patterns : client.shardChannels;
  }

  /** Subscription count shown in (un)subscribe replies: shard channels count apart. */
  private count(client: Client, kind: SubscriptionKind): number {
    return kind === 'shard' ? client.shardChannels.size : client.channels.size + client.patterns.size;
  }

  /** (Un)subscribe confirmations are pushes in RESP3, like messages. */
  private confirm(server: Server, client: Client, word: string, name: Buffer | null, count: number): void {
    const r3 = client.resp3;
    server.push(client, Buffer.concat([reply.pushHeader(3, r3), reply.bulk(word), name ? reply.bulk(name) : reply.nullBulk(r3), reply.integer(count)]));
  }

  subscribe(server: Server, client: Client, kind: SubscriptionKind, names: Buffer[]): void {
    const mine = this.clientSet(client, kind);
    for (const name of names) {
      const key = latin1(name);
      if (!mine.has(key)) {
        mine.add(key);
        let set = this.registry[kind].get(key);
        if (!set) this.registry[kind].set(key, (set = new Set()));
        set.add(client);
      }
      this.confirm(server, client, WORDS[kind][0], name, this.count(client, kind));
    }
  }

  /** With no names, leaves every subscription of that kind. */
  unsubscribe(server: Server, client: Client, kind: SubscriptionKind, names: Buffer[], notify = true): void {
    const mine = this.clientSet(client, kind);
    const targets = names.length > 0 ? names.map(latin1) : [...mine];
    if (targets.length === 0 && notify) this.confirm(server, client, WORDS[kind][1], null, this.count(client, kind));
    for (const key of targets) {
      if (mine.delete(key)) {
        const set = this.registry[kind].get(key)!;
        set.delete(client);
        if (set.size === 0) this.registry[kind].delete(key);
      }
      if (notify) this.confirm(server, client, WORDS[kind][1], bytes(key), this.count(client, kind));
    }
  }

  /** Drops every subscription without replies (disconnect, RESET). */
  forget(server: Server, client: Client): void {
    for (const kind of ['channel', 'pattern', 'shard'] as const) this.unsubscribe(server, client, kind, [], false);
  }

  /** Delivers a message; returns the number of receivers. */
  publish(server: Server, channel: Buffer, message: Buffer, shard = false): number {
    let receivers = 0;
    const direct = this.registry[shard ? 'shard' : 'channel'].get(latin1(channel));
    if (direct) {
      const out = messageFrames([reply.bulk(shard ? 'smessage' : 'message'), reply.bulk(channel), reply.bulk(message)]);
      for (const c of direct) server.push(c, out(c));
      receivers += direct.size;
    }
    if (!shard) {
      for (const [pattern, clients] of this.registry.pattern) {
        const p = bytes(pattern);
        if (!this.native.globMatch(p, channel)) continue;
        const out = messageFrames([reply.bulk('pmessage'), reply.bulk(p), reply.bulk(channel), reply.bulk(message)]);
        for (const c of clients) server.push(c, out(c));
        receivers += clients.size;
      }
    }
    if (receivers > 0) server.scheduleFlush();
    return receivers;
  }

  /** Active channels (with subscribers), optionally matching a glob pattern. */
  activeChannels(kind: 'channel' | 'shard', pattern?: Buffer): Buffer[] {
    const names = [...this.registry[kind].keys()].map(bytes);
    return pattern ? names.filter((n) => this.native.globMatch(pattern, n)) : names;
  }

  subscribers(kind: 'channel' | 'shard', channel: Buffer): number {
    return this.registry[kind].get(latin1(channel))?.size ?? 0;
  }

  patternCount(): number {
    return this.registry.pattern.size;
  }
}

/** One message for many receivers: each protocol's frame is encoded once, when first needed. */
function messageFrames(parts: Buffer[]): (c: Client) => Buffer {
  const frames: [Buffer | null, Buffer | null] = [null, null];
  return (c) => {
    const i = c.resp3 ? 1 : 0;
    return (frames[i] ??= Buffer.concat([reply.pushHeader(parts.length, c.resp3), ...parts]));
  };
}
