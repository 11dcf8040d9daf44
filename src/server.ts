// The server: accepts connections, decodes requests, dispatches them through the command
// table, and writes replies.
//
// Replies of native commands land in the addon's shared output arena; the arena belongs
// to one client at a time (arenaOwner) and is handed over whenever another client's reply
// is produced, so replies always reach their client in order. Every client's replies are
// written once per turn: at the end of a data event, or from a scheduled flush for
// replies produced by timers and native events.

import net from 'node:net';

import { BlockingKeys } from './blocking-keys.js';
import { Client, type BlockState } from './client.js';
import { CommandTable } from './commands/table.js';
import type { CommandCall, CommandSpec } from './commands/spec.js';
import { families } from './commands/index.js';
import { Config, OPTIONS, notifyFlagsFromString } from './config.js';
import { log } from './log.js';
import { EXEC_EVENTS_PENDING, EXEC_RETRY_ARGV, EXEC_WOULD_BLOCK, execArenaBytes, execStatus, type NativeAddon } from './native.js';
import { PubSub } from './pubsub.js';
import { ProtocolError, RequestParser } from './resp/request-parser.js';
import * as reply from './resp/reply.js';

export interface ServerInfo {
  startedAt: number;
  python: string;
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
}

/** Extension points the command families plug into (blocking, pub/sub...). */
export interface ServerHooks {
  /**
   * A native command answered "would block" for this client; argv is what to re-run when
   * one of its keys is ready (the original, or native's rewrite of it, see EXEC_RETRY_ARGV).
   */
  onWouldBlock?(server: Server, client: Client, spec: CommandSpec, argv: Buffer[]): void;
  /** Keys that received data while someone was blocked on them. */
  onKeysReady?(server: Server, ready: (number | Buffer)[]): void;
  /** A client disconnected. */
  onClientClosed?(server: Server, client: Client): void;
}

export class Server {
  readonly table = new CommandTable(families);
  readonly clients = new Map<number, Client>();
  readonly info: ServerInfo;
  readonly hooks: ServerHooks = {};
  readonly pubsub: PubSub;
  private readonly listener: net.Server;
  private arenaOwner: Client | null = null;
  /** Bytes in the native output arena, as the last exec() reported. */
  private arenaBytes = 0;
  private readonly dirtyClients = new Set<Client>();
  private flushScheduled = false;
  private cronTimer: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  /** >0 while native events are held back (inside EXEC), see deferNativeEvents. */
  private deferEvents = 0;
  private eventsDeferred = false;
  /** Clients blocked on keys (BLPOP, XREAD BLOCK...). */
  readonly blocking: BlockingKeys;

  constructor(
    readonly config: Config,
    readonly native: NativeAddon,
  ) {
    const started = native.init({ databases: config.int('databases') });
    this.pubsub = new PubSub(native);
    this.info = { startedAt: Date.now(), python: started?.python ?? '', totalConnections: 0, totalCommands: 0, rejectedConnections: 0 };
    this.table.bind(native);
    for (const o of OPTIONS) if (o.native) this.applyNativeOption(o.name);
    this.applyNotifyFlags();
    this.listener = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.blocking = new BlockingKeys(this);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.config.int('port'), this.config.str('bind'), () => {
        this.listener.off('error', reject);
        this.startCron();
        resolve();
      });
    });
  }

  get port(): number {
    const addr = this.listener.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.int('port');
  }

  // ---- connections ------------------------------------------------------------------------

  private accept(socket: net.Socket): void {
    if (this.clients.size >= this.config.int('maxclients')) {
      this.info.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    const client = new Client(socket, this.config.str('requirepass') !== '');
    this.clients.set(client.id, client);
    this.info.totalConnections++;
    const parser = new RequestParser(
      { maxBulkLen: this.config.int('proto-max-bulk-len'), maxMultibulkLen: this.config.int('max-multibulk-len') },
      (argv) => this.dispatch(client, argv),
    );
    socket.on('data', (chunk: Buffer) => {
      if (client.closeAfterReply) return;
      client.lastInteraction = Date.now();
      try {
        parser.feed(chunk);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        // Like Redis: answer the protocol error, then close only this connection.
        this.reply(client, reply.error(`ERR ${e.message}`));
        client.closeAfterReply = true;
        log('verbose', `Protocol error from client id=${client.id} addr=${client.addr}: ${e.message}`);
      }
      this.flush();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.closed(client));
    socket.on('drain', () => socket.resume());
  }

  private closed(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client.id);
    this.dirtyClients.delete(client);
    this.cancelBlock(client);
    client.pendingRequests = [];
    this.pubsub.forget(this, client);
    client.multi = null;
    this.native.unwatch(client.id);
    if (this.arenaOwner === client) {
      this.native.takeOutput();
      this.arenaOwner = null;
      this.arenaBytes = 0;
    }
    this.hooks.onClientClosed?.(this, client);
  }

  // ---- dispatch ---------------------------------------------------------------------------

  dispatch(client: Client, argv: Buffer[]): void {
    if (client.blocked) {
      client.pendingRequests.push(argv);
      return;
    }
    this.info.totalCommands++;
    const resolved = this.resolve(argv);
    if (typeof resolved === 'string') return this.reject(client, resolved);
    const { spec, checked, target } = resolved;
    if (!client.authenticated && !checked.flags.includes('no-auth')) return this.reject(client, 'NOAUTH Authentication required.');
    if (client.multi && checked.flags.includes('no-multi')) return this.reject(client, 'ERR Command not allowed inside a transaction');
    if (client.subscribed && !ALLOWED_WHEN_SUBSCRIBED.has(spec.name)) {
      return this.reject(
        client,
        `ERR Can't execute '${checked.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
    }
    client.lastCommand = checked.name;
    if (client.multi && !RUN_IN_MULTI.has(spec.name)) {
      client.multi.queue.push({ spec: target, argv });
      return this.reply(client, reply.QUEUED);
    }
    this.call(client, target, argv);
  }

  /**
   * Finds what argv runs, or the error text. `checked` is what the generic checks apply to (a
   * subcommand has its own arity and flags); `target` is what runs: a TS subcommand, or the
   * native container command, which parses its own subcommands.
   */
  private resolve(argv: Buffer[]): { spec: CommandSpec; checked: CommandSpec; target: CommandSpec } | string {
    const spec = this.table.lookup(argv[0].toString('latin1'));
    if (!spec) return unknownCommandError(argv);
    let checked = spec;
    let target = spec;
    if (spec.subcommands && argv.length >= 2) {
      const sub = CommandTable.subcommand(spec, argv[1].toString('latin1'));
      if (!sub) {
        const name = argv[1].toString('latin1').slice(0, 128);
        return `ERR unknown subcommand '${name}'. Try ${spec.name.toUpperCase()} HELP.`;
      }
      checked = sub;
      if (sub.run) target = sub;
    }
    if (!arityOk(checked.arity, argv.length)) return arityError(checked.name);
    return { spec, checked, target };
  }

  /**
   * Runs one command for an internal caller (Python's execute() of a TS-owned command) on a
   * client of its own, and returns the reply bytes; null when the command produced none.
   */
  runInternal(db: number, argv: Buffer[], callerFlags: number): Buffer | null {
    if (argv.length === 0) return null;
    const resolved = this.resolve(argv);
    if (typeof resolved === 'string') return reply.error(resolved);
    const client = Client.internal(db);
    this.call(client, resolved.target, argv, callerFlags);
    if (this.arenaOwner === client) this.releaseArena();
    this.dirtyClients.delete(client);
    this.cancelBlock(client);
    return client.out.length > 0 ? Buffer.concat(client.out) : null;
  }

  /** Refuses a command; inside MULTI this also dooms the transaction (EXECABORT). */
  private reject(client: Client, message: string): void {
    if (client.multi) client.multi.aborted = true;
    this.reply(client, reply.error(message));
  }

  /** Runs a resolved command (also used to replay queued or blocked commands). */
  call(client: Client, spec: CommandSpec, argv: Buffer[], callerFlags = 0): number {
    if (spec.run) {
      const call: CommandCall = { server: this, client, argv, spec, caller: callerFlags };
      spec.run(call);
      return 0;
    }
    this.claimArena(client);
    const ret = this.native.exec(spec.nativeId!, client.db, argv, callerFlags);
    const status = execStatus(ret);
    this.arenaBytes = execArenaBytes(ret);
    if (status & EXEC_WOULD_BLOCK) {
      const retryArgv = status & EXEC_RETRY_ARGV ? this.native.takeRetryArgv() : argv;
      this.hooks.onWouldBlock?.(this, client, spec, retryArgv);
    }
    if (status & EXEC_EVENTS_PENDING) {
      if (this.deferEvents > 0) this.eventsDeferred = true;
      else this.drainNativeEvents();
    }
    return status;
  }

  /**
   * Runs fn with native events held back, then delivers them: inside EXEC, blocked
   * clients are served and notifications published after the whole transaction, as in Redis.
   */
  deferNativeEvents(fn: () => void): void {
    this.deferEvents++;
    try {
      fn();
    } finally {
      this.deferEvents--;
      if (this.deferEvents === 0 && this.eventsDeferred) {
        this.eventsDeferred = false;
        this.drainNativeEvents();
      }
    }
  }

  // ---- blocked clients ----------------------------------------------------------------
  //
  // A blocked client's later requests wait in client.pendingRequests, as in Redis. Whoever
  // blocks a client (lists, streams, the Gears executions) owns the wake-up and calls
  // unblock() with the reply; the server owns the timeout and the disconnect.

  /** Blocks a client. timeoutMs 0 (or undefined) waits forever. */
  block(client: Client, state: BlockState, timeoutMs?: number): void {
    client.blocked = state;
    if (timeoutMs && timeoutMs > 0) this.armBlockTimer(client, state, Date.now() + timeoutMs);
  }

  // Node's timers hold at most 2^31-1 ms (about 24.8 days); longer waits re-arm.
  private armBlockTimer(client: Client, state: BlockState, deadline: number): void {
    const left = deadline - Date.now();
    state.timer = setTimeout(() => {
      if (client.blocked !== state) return;
      if (left > MAX_TIMER_MS) return this.armBlockTimer(client, state, deadline);
      this.clearBlock(client);
      state.onTimeout?.();
      this.resume(client);
    }, Math.min(Math.max(left, 1), MAX_TIMER_MS));
  }

  /** Ends a block: sends the reply (if any), then runs the requests that queued up. */
  unblock(client: Client, replyBytes?: Buffer): void {
    if (!client.blocked) return;
    this.clearBlock(client);
    if (replyBytes) this.reply(client, replyBytes);
    this.resume(client);
  }

  /** Cancels a block without a reply of its own (disconnect, CLIENT UNBLOCK, RESET). */
  cancelBlock(client: Client): void {
    const state = client.blocked;
    if (!state) return;
    this.clearBlock(client);
    state.onCancel?.();
  }

  private clearBlock(client: Client): void {
    const state = client.blocked;
    if (state?.timer) clearTimeout(state.timer);
    client.blocked = null;
  }

  private resume(client: Client): void {
    while (!client.blocked && !client.closed && client.pendingRequests.length > 0) {
      const argv = client.pendingRequests.shift()!;
      this.dispatch(client, argv);
    }
    this.scheduleFlush();
  }

  /** Delivers what native queued: keyspace messages for subscribers, ready keys. */
  drainNativeEvents(): void {
    const ev = this.native.drainEvents();
    for (let i = 0; i < ev.pubsub.length; i += 2) this.pubsub.publish(this, ev.pubsub[i], ev.pubsub[i + 1]);
    if (ev.ready.length > 0) this.hooks.onKeysReady?.(this, ev.ready);
  }

  // ---- replies ----------------------------------------------------------------------------

  /** Queues a TS-encoded reply for a client, after any native reply it is owed. */
  reply(client: Client, buf: Buffer): void {
    if (this.arenaOwner === client) this.releaseArena();
    if (client.closed) return;
    client.push(buf);
    this.dirtyClients.add(client);
  }

  private claimArena(client: Client): void {
    if (this.arenaOwner !== client) {
      this.releaseArena();
      this.arenaOwner = client;
    }
  }

  private releaseArena(): void {
    const owner = this.arenaOwner;
    this.arenaOwner = null;
    if (!owner || this.arenaBytes === 0) return;
    const bytes = Buffer.allocUnsafe(this.arenaBytes);
    this.native.copyOutput(bytes);
    this.arenaBytes = 0;
    if (bytes.length === 0 || owner.closed) return;
    owner.push(bytes);
    this.dirtyClients.add(owner);
  }

  /** Writes every pending reply. */
  flush(): void {
    this.releaseArena();
    for (const client of this.dirtyClients) {
      const out = client.out;
      if (out.length > 0) {
        const ok = client.socket.write(out.length === 1 ? out[0] : Buffer.concat(out, client.outBytes));
        client.out = [];
        client.outBytes = 0;
        // A client that does not read its replies stops being read from.
        if (!ok) client.socket.pause();
      }
      if (client.closeAfterReply) client.socket.end();
    }
    this.dirtyClients.clear();
  }

  /** For replies produced outside a data event (timers, native events). */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  // ---- periodic work ----------------------------------------------------------------------

  private startCron(): void {
    // Active expiry in small slices: the server lock is never held for long (DESIGN.md).
    const period = Math.max(2, Math.round(1000 / this.config.int('hz') / 10));
    this.cronTimer = setInterval(() => {
      if (this.native.cron(1000) > 0) this.drainNativeEvents();
      this.scheduleFlush();
    }, period);
    this.cronTimer.unref();
  }

  /** Pushes a native-backed option's current value into the addon (after CONFIG SET too). */
  applyNativeOption(name: string): void {
    if (!this.native.setTuning(name, this.config.int(name))) throw new Error(`native has no tuning option ${name}`);
  }

  applyNotifyFlags(): void {
    this.native.setNotifyFlags(notifyFlagsFromString(this.config.str('notify-keyspace-events')) ?? 0);
  }

  // ---- shutdown ---------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    clearInterval(this.cronTimer);
    this.flush();
    for (const c of this.clients.values()) c.socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Commands a RESP2 client may run while subscribed. */
const ALLOWED_WHEN_SUBSCRIBED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands that run, rather than queue, between MULTI and EXEC. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export function arityOk(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

export function arityError(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

function unknownCommandError(argv: Buffer[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].toString('latin1').slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${argv[0].toString('latin1').slice(0, 128)}', with args beginning with: ${args}`;
}
