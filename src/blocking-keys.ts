// Clients blocked on keys (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP, XREAD/XREADGROUP BLOCK):
// who waits on which key, in which order, and waking them when data comes.
//
// Tour (the same model as Redis's blocked.c):
//  - A native blocking command that finds nothing answers "would block"; the server hands
//    it here (hooks.onWouldBlock). The client is parked on each of its keys, in arrival
//    order, and native is told which keys have waiters (blockKeys) so that a push to one
//    of them is reported as a ready key.
//  - Ready keys arrive after the command (or EXEC, or execute() from a Python thread) that
//    signalled them (hooks.onKeysReady). Each key is served once per batch: its waiters, in
//    the order they blocked, re-run their command for that one key (blocking-table.ts says
//    how). A waiter whose re-run would block again stays where it is; one that got a reply
//    is unblocked. Keys signalled while serving (BLMOVE pushing to a list others wait on)
//    join the end of the batch, so chains of BLMOVEs resolve in one go.
//  - A key whose value is not of the type a waiter needs does not serve it (LPUSH + DEL +
//    SET inside one MULTI wakes nobody); XREADGROUP waiters are the exception and get an
//    error when their stream is gone.
//  - Timeouts, disconnects and CLIENT UNBLOCK go through Server.block's state callbacks:
//    the waiter is simply forgotten (and answered nil on timeout).

import type { Client } from './client.js';
import type { CommandSpec } from './commands/spec.js';
import type { Server } from './server.js';
import { BLOCKING_COMMANDS, type BlockingCommand } from './blocking-table.js';
import { log } from './log.js';
import { CALLER_WAKE_UP } from './native.js';
import * as reply from './resp/reply.js';

interface Waiter {
  client: Client;
  spec: CommandSpec;
  cmd: BlockingCommand;
  /** What to re-run (native's rewrite of the request when it made one). */
  argv: Buffer[];
  db: number;
  /** argv indexes of its distinct keys. */
  keyIndexes: number[];
  keys: Buffer[];
  done: boolean;
}

interface ReadyKey {
  db: number;
  key: Buffer;
  id: string;
}

/** The per-key queues of one database, by key (latin1 maps bytes 1:1). */
type DbWaiters = Map<string, Set<Waiter>>;

export class BlockingKeys {
  private readonly byDb = new Map<number, DbWaiters>();
  private readonly ready: ReadyKey[] = [];
  private readonly readyIds = new Set<string>();
  private serving = false;
  private rerunning: Waiter | null = null;
  private blockedAgain = false;
  /** Clients served during the current batch; their queued requests run after it. */
  private readonly served: Client[] = [];

  constructor(private readonly server: Server) {
    server.hooks.onWouldBlock = (_server, client, spec, argv) => this.block(client, spec, argv);
    server.hooks.onKeysReady = (_server, ready) => this.keysReady(ready);
  }

  // ---- blocking -------------------------------------------------------------------------

  private block(client: Client, spec: CommandSpec, argv: Buffer[]): void {
    if (this.rerunning?.client === client) {
      this.blockedAgain = true;
      return;
    }
    const cmd = BLOCKING_COMMANDS.get(spec.name);
    if (!cmd) {
      log('warning', `${spec.name} answered "would block" but has no entry in the blocking table`);
      this.server.reply(client, reply.error(`ERR ${spec.name} cannot block`));
      return;
    }
    const keyIndexes: number[] = [];
    const seen = new Set<string>();
    for (const i of cmd.keys(argv)) {
      const id = argv[i].toString('latin1');
      if (seen.has(id)) continue;
      seen.add(id);
      keyIndexes.push(i);
    }
    const w: Waiter = { client, spec, cmd, argv, db: client.db, keyIndexes, keys: keyIndexes.map((i) => argv[i]), done: false };
    let waiters = this.byDb.get(w.db);
    if (!waiters) this.byDb.set(w.db, (waiters = new Map()));
    for (const key of w.keys) {
      const id = key.toString('latin1');
      let queue = waiters.get(id);
      if (!queue) waiters.set(id, (queue = new Set()));
      queue.add(w);
    }
    this.server.native.blockKeys(w.db, w.keys);
    this.server.block(
      client,
      {
        onTimeout: () => {
          this.forget(w);
          this.server.reply(client, reply.nullArray(client.resp3));
        },
        onCancel: () => this.forget(w),
      },
      cmd.timeoutMs(argv),
    );
  }

  private forget(w: Waiter): void {
    if (w.done) return;
    w.done = true;
    const waiters = this.byDb.get(w.db);
    for (const key of w.keys) {
      const id = key.toString('latin1');
      const queue = waiters?.get(id);
      if (!queue) continue;
      queue.delete(w);
      if (queue.size === 0) waiters!.delete(id);
    }
    this.server.native.unblockKeys(w.db, w.keys);
  }

  // ---- waking ---------------------------------------------------------------------------

  private keysReady(ready: (number | Buffer)[]): void {
    for (let i = 0; i < ready.length; i += 2) {
      const db = ready[i] as number;
      const key = ready[i + 1] as Buffer;
      const id = `${db}:${key.toString('latin1')}`;
      if (this.readyIds.has(id)) continue;
      this.readyIds.add(id);
      this.ready.push({ db, key, id });
    }
    // Keys signalled by the re-runs below join the batch being served.
    if (this.serving) return;
    this.serving = true;
    try {
      for (let i = 0; i < this.ready.length; i++) {
        const r = this.ready[i];
        // Taken off first: serving this key may signal it again (a BLMOVE onto itself).
        this.readyIds.delete(r.id);
        this.serveKey(r.db, r.key);
      }
    } finally {
      this.ready.length = 0;
      this.readyIds.clear();
      this.serving = false;
    }
    // As Redis does after serving: the served clients' queued requests run now.
    for (const client of this.served.splice(0)) this.server.unblock(client);
  }

  private serveKey(db: number, key: Buffer): void {
    const queue = this.byDb.get(db)?.get(key.toString('latin1'));
    if (!queue) return;
    // The key's type changes only when a re-run runs, so it is asked again only then.
    let type = this.server.native.keyType(db, key);
    for (const w of [...queue]) {
      if (w.done) continue;
      if (w.cmd.errorWhenKeyGone !== undefined && type !== 'stream') {
        this.forget(w);
        this.server.reply(w.client, reply.error(w.cmd.errorWhenKeyGone));
        this.served.push(w.client);
        continue;
      }
      if (type !== w.cmd.type) continue;
      this.rerun(w, key);
      type = this.server.native.keyType(db, key);
    }
  }

  private rerun(w: Waiter, key: Buffer): void {
    const keyIndex = w.keyIndexes.find((i) => w.argv[i].equals(key))!;
    this.rerunning = w;
    this.blockedAgain = false;
    try {
      this.server.call(w.client, w.spec, w.cmd.forKey(w.argv, keyIndex), CALLER_WAKE_UP);
    } finally {
      this.rerunning = null;
    }
    if (this.blockedAgain) return;
    this.forget(w);
    this.served.push(w.client);
  }
}
