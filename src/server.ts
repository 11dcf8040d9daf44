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
import { Client, ReplyMode, type BlockState } from './client.js';
import { CommandTable } from './commands/table.js';
import type { CommandCall, CommandSpec } from './commands/spec.js';
import { families } from './commands/index.js';
import { overridesPythonAllocators } from './gears/config.js';
import { Config, effectiveHz, OPTIONS, outputLimit } from './config.js';
import { StatsSampler } from './info.js';
import { log, setLogLevel, type LogLevel } from './log.js';
import { NativeBatch } from './native-batch.js';
import { batchArenaBytes, batchRan, CALLER_RESP3, EXEC_EVENTS_PENDING, EXEC_GEARS_EVENTS, EXEC_RETRY_ARGV, EXEC_WOULD_BLOCK, execArenaBytes, execStatus, type NativeAddon } from './native.js';
import { PubSub } from './pubsub.js';
import { argvOf, ProtocolError, RequestParser, type ParserLimits } from './resp/request-parser.js';
import * as reply from './resp/reply.js';

/** Counters for INFO; CONFIG RESETSTAT zeroes those Redis resets. */
export interface ServerInfo {
  startedAt: number;
  python: string;
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  readsProcessed: number;
  writesProcessed: number;
  /** Clients closed for going over client-output-buffer-limit. */
  outputLimitDisconnections: number;
}

// Output a client may have pending before its requests stop being decoded (see accept()).
const PAUSE_OUTPUT_BYTES = 1024 * 1024;

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
  /** Extra INFO lines for a section (e.g. pubsub_channels in "stats"), or a section of its own. */
  onInfo?(server: Server, section: string): [string, string | number][];
  /** Sync registrations ran inside commands: take the engine's events before replies go out. */
  onGearsEvents?(server: Server): void;
  /**
   * A client's command named in `Server.intercepted` (Gears hooks, commands=): true when the
   * hook took care of it (replied, or blocked the client).
   */
  onIntercept?(server: Server, client: Client, spec: CommandSpec, argv: Buffer[]): boolean;
}


export class Server {
  readonly table = new CommandTable(families);
  readonly clients = new Map<number, Client>();
  readonly info: ServerInfo;
  readonly hooks: ServerHooks = {};
  readonly pubsub: PubSub;
  private readonly listener: net.Server;
  private arenaOwner: Client | null = null;
  private readonly batch = new NativeBatch();
  /** Bytes in the native output arena, as the last exec() reported. */
  private arenaBytes = 0;
  private readonly dirtyClients = new Set<Client>();
  /** A flush() to come; any flush() before it makes it pointless (it is cancelled). */
  private flushScheduled: NodeJS.Immediate | null = null;
  private cronTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  /** Instantaneous rates and peaks for INFO. */
  readonly sampler = new StatsSampler();
  private shuttingDown = false;
  /** Shared by every connection's decoder, so CONFIG SET applies to all at once. */
  private readonly parserLimits: ParserLimits;
  /** >0 while native events are held back (inside EXEC), see deferNativeEvents. */
  private deferEvents = 0;
  private eventsDeferred = false;
  /** Clients blocked on keys (BLPOP, XREAD BLOCK...). */
  readonly blocking: BlockingKeys;
  /** The engine has events from sync registrations, taken at the next flush. */
  private gearsEventsPending = false;
  /** Commands shown to hooks.onIntercept before they run (lower case); usually empty. */
  readonly intercepted = new Set<string>();

  constructor(
    readonly config: Config,
    readonly native: NativeAddon,
  ) {
    const started = native.init({
      databases: config.int('databases'),
      overridePythonAllocators: overridesPythonAllocators(config.str('gears')),
    });
    this.pubsub = new PubSub(native);
    this.info = {
      startedAt: Date.now(),
      python: started?.python ?? '',
      totalConnections: 0,
      totalCommands: 0,
      rejectedConnections: 0,
      netInputBytes: 0,
      netOutputBytes: 0,
      readsProcessed: 0,
      writesProcessed: 0,
      outputLimitDisconnections: 0,
    };
    this.parserLimits = { maxBulkLen: config.int('proto-max-bulk-len'), maxMultibulkLen: config.int('max-multibulk-len') };
    this.table.bind(native);
    for (const o of OPTIONS) if (o.native) this.applyNativeOption(o.name);
    this.applyNotifyFlags();
    this.listener = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.blocking = new BlockingKeys(this);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.config.int('port'), this.config.str('bind'), this.config.int('tcp-backlog'), () => {
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
    const client = new Client(socket, this.authRequired);
    this.clients.set(client.id, client);
    this.info.totalConnections++;
    const keepAlive = this.config.int('tcp-keepalive');
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    // Back-pressure: a client whose replies pile up (it does not read them) stops being
    // decoded, within a chunk too, until its socket drains.
    const parser = new RequestParser(this.parserLimits, (argv) => this.dispatch(client, argv), () => this.outputBacklogged(client));
    parser.onRaw = (buf, offsets, argc) => this.dispatchRaw(client, buf, offsets, argc);
    client.parser = parser;
    socket.on('data', (chunk: Buffer) => {
      if (client.closeAfterReply) return;
      client.lastInteraction = Date.now();
      this.info.netInputBytes += chunk.length;
      this.info.readsProcessed++;
      try {
        parser.feed(chunk);
      } catch (e) {
        this.protocolError(client, e);
      }
      this.flush();
      if (parser.isPaused) socket.pause();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.closed(client));
    socket.on('drain', () => {
      socket.resume();
      if (!parser.isPaused || client.closeAfterReply) return;
      try {
        parser.resume();
      } catch (e) {
        this.protocolError(client, e);
      }
      this.flush();
      if (parser.isPaused) socket.pause();
    });
  }

  /** Like Redis: answer the protocol error, then close only this connection. */
  private protocolError(client: Client, e: unknown): void {
    if (!(e instanceof ProtocolError)) throw e;
    this.reply(client, reply.error(`ERR ${e.message}`));
    this.closeAfterReply(client);
    log('verbose', `Protocol error from client id=${client.id} addr=${client.addr}: ${e.message}`);
  }

  /** Has the client so much output pending that its requests should wait? Writes it out first. */
  private outputBacklogged(client: Client): boolean {
    this.runBatch();  // queued commands' replies count too
    const pending = client.outBytes + (this.arenaOwner === client ? this.native.outputSize() : 0);
    if (pending < PAUSE_OUTPUT_BYTES && !client.socket.writableNeedDrain) return false;
    this.flush();
    return client.socket.writableNeedDrain;
  }

  /** New clients must AUTH: requirepass is set. */
  get authRequired(): boolean {
    return this.config.str('requirepass') !== '';
  }

  /**
   * The client's pending replies go out, then its connection closes; the requests after
   * this one are neither decoded nor run (QUIT, CLIENT KILL of oneself, protocol errors).
   */
  closeAfterReply(client: Client): void {
    client.closeAfterReply = true;
    client.parser?.stop();
  }

  /** Closes a client's connection now (CLIENT KILL, output limits, idle timeout). */
  disconnect(client: Client): void {
    client.socket.destroy();
    this.closed(client);
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
    if (this.batch.client === client) this.batch.reset();
    if (this.arenaOwner === client) {
      this.native.takeOutput();
      this.arenaOwner = null;
      this.arenaBytes = 0;
    }
    this.hooks.onClientClosed?.(this, client);
  }

  // ---- dispatch ---------------------------------------------------------------------------

  /**
   * The fast path for a request that arrived whole (see RequestParser.decodeWhole): a
   * plain native command of a client in the ordinary state joins the batch that runs in
   * one native call; everything else takes dispatch(). The checks here are exactly the
   * ones dispatch() would pass without effect.
   */
  private dispatchRaw(client: Client, buf: Buffer, offsets: Int32Array, argc: number): void {
    const plain =
      !client.blocked && client.replyMode === ReplyMode.On && client.multi === null && !client.subscribed && client.authenticated;
    const spec = plain ? this.table.lookupBytes(buf, offsets[0], offsets[1]) : undefined;
    // A bare PING (health checks, benchmarks) is answered here rather than through dispatch:
    // reply() first runs whatever of this client's batch is queued, so order holds.
    if (spec !== undefined && spec.name === 'ping' && argc === 1 && !this.intercepted.has('ping')) {
      this.info.totalCommands++;
      client.lastCommand = 'ping';
      return this.reply(client, reply.PONG);
    }
    if (spec === undefined || spec.run !== undefined || spec.subcommands !== undefined || !arityOk(spec.arity, argc) ||
        (this.intercepted.size > 0 && this.intercepted.has(spec.name))) {
      return this.dispatch(client, argvOf(buf, offsets, argc));
    }
    if (!this.batch.accepts(client, buf) || this.batch.count >= MAX_BATCH) this.runBatch();
    this.info.totalCommands++;
    client.lastCommand = spec.name;
    this.batch.add(client, buf, spec, offsets, argc);
  }

  /**
   * Runs the queued native commands, handling blocking and events in order.
   *
   * Draining events can wake blocked clients whose pipelined requests then reach
   * dispatch(), which runs this again before them: the batch's `next` cursor makes that
   * nested run continue where this one stopped (never repeat a command), and this loop
   * then serves whatever the batch holds by the time it looks again.
   */
  runBatch(): void {
    const b = this.batch;
    while (b.next < b.count) {
      const client = b.client!;
      this.claimArena(client);
      const ret = this.native.execBatch(b.buf!, b.desc, b.starts[b.next], b.count - b.next, client.db, client.resp3 ? CALLER_RESP3 : 0);
      const status = execStatus(ret);
      const ran = batchRan(ret);
      this.arenaBytes = batchArenaBytes(ret);
      if (ran === 0) break;
      b.next += ran;
      const last = b.next - 1;
      if (status & EXEC_WOULD_BLOCK) {
        const retryArgv = status & EXEC_RETRY_ARGV ? this.native.takeRetryArgv() : b.argv(last);
        this.hooks.onWouldBlock?.(this, client, b.specs[last], retryArgv);
        // The client now waits: what it sent after this runs once it is woken.
        for (; b.next < b.count; b.next++) client.pendingRequests.push(b.argv(b.next));
      }
      if (status & EXEC_EVENTS_PENDING) this.drainNativeEvents();
      if (status & EXEC_GEARS_EVENTS) this.gearsEventsPending = true;
    }
    b.reset();
  }

  dispatch(client: Client, argv: Buffer[], muted = false): void {
    if (this.batch.count > 0) this.runBatch();
    if (client.blocked) {
      client.pendingRequests.push(argv);
      return;
    }
    if (client.replyMode !== ReplyMode.On && !muted) return this.dispatchMuted(client, argv);
    this.info.totalCommands++;
    const resolved = this.resolve(argv);
    if (typeof resolved === 'string') return this.reject(client, resolved);
    const { spec, checked, target } = resolved;
    // requirepass may have been cleared since the client connected (Redis's authRequired()).
    if (!client.authenticated && !checked.flags.includes('no-auth') && this.authRequired) {
      return this.reject(client, 'NOAUTH Authentication required.');
    }
    if (client.multi && checked.flags.includes('no-multi')) return this.reject(client, 'ERR Command not allowed inside a transaction');
    if (client.subscribed && !client.resp3 && !ALLOWED_WHEN_SUBSCRIBED.has(spec.name)) {
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
    if (this.intercepted.size > 0 && this.intercepted.has(spec.name) && this.hooks.onIntercept?.(this, client, target, argv)) return;
    this.call(client, target, argv);
  }

  /**
   * dispatch() for a client under CLIENT REPLY OFF or SKIP: the command runs and its
   * replies, TS and native, are dropped. Kept out of dispatch() so that one check is all
   * the common case pays.
   */
  private dispatchMuted(client: Client, argv: Buffer[]): void {
    if (this.arenaOwner === client) this.releaseArena();
    if (client.replyMode === ReplyMode.SkipNext) client.replyMode = ReplyMode.Skipping;
    this.dispatch(client, argv, true);
    if (this.arenaOwner === client) this.releaseArena();
    if (client.replyMode === ReplyMode.Skipping) client.replyMode = ReplyMode.On;
  }

  /** CLIENT REPLY: replies already produced still go out; the mode applies from here on. */
  setReplyMode(client: Client, mode: ReplyMode): void {
    if (this.arenaOwner === client) this.releaseArena();
    client.replyMode = mode;
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
      try {
        spec.run(call);
      } catch (e) {
        // A bug in one handler must not take the server down: the client gets an error,
        // the log gets the stack, everyone else is served on.
        log('warning', `Internal error in '${spec.name}': ${(e as Error).stack ?? e}`);
        this.reply(client, reply.error(`ERR internal error in '${spec.name}': ${(e as Error).message}`));
      }
      return 0;
    }
    this.claimArena(client);
    const ret = this.native.exec(spec.nativeId!, client.db, argv, client.resp3 ? callerFlags | CALLER_RESP3 : callerFlags);
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
    if (status & EXEC_GEARS_EVENTS) this.gearsEventsPending = true;
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

  /**
   * CLIENT UNBLOCK: ends a block as its timeout would (the blocker's onTimeout cleans up
   * and replies, as when the timer fires; without one, onCancel cleans up and the reply is
   * Redis's timeout reply for lists, sorted sets and streams, a null array), or with
   * Redis's UNBLOCKED error. Then the client's queued requests run.
   */
  forceUnblock(client: Client, withError: boolean): boolean {
    const state = client.blocked;
    if (!state || state.unblockable === false) return false;
    if (withError || !state.onTimeout) {
      this.cancelBlock(client);
      this.reply(client, withError ? reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK') : reply.nullArray(client.resp3));
    } else {
      this.clearBlock(client);
      state.onTimeout();
    }
    this.resume(client);
    return true;
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
    if (this.batch.client === client) this.runBatch();
    if (this.arenaOwner === client) this.releaseArena();
    if (client.closed || client.replyMode >= ReplyMode.Skipping) return;
    client.push(buf);
    this.dirtyClients.add(client);
  }

  /**
   * Pub/sub data (confirmations and messages): like reply(), but delivered under CLIENT
   * REPLY OFF/SKIP too, as Redis's CLIENT_PUSHING writes are.
   */
  push(client: Client, buf: Buffer): void {
    if (this.batch.client === client) this.runBatch();
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
    if (owner.closed || owner.replyMode >= ReplyMode.Skipping) return;
    owner.push(bytes);
    this.dirtyClients.add(owner);
  }

  /** A TS command ran sync registrations (RG.PYEXECUTE's script, RG.TRIGGER...). */
  noteGearsEvents(): void {
    this.gearsEventsPending = true;
  }

  /** Writes every pending reply. */
  flush(): void {
    if (this.flushScheduled) {
      // e.g. an execution's waiter woken in Gears.onEvents, which flushes right away.
      clearImmediate(this.flushScheduled);
      this.flushScheduled = null;
    }
    this.runBatch();
    this.releaseArena();
    if (this.gearsEventsPending) {
      // What sync executions did (listed executions, waiters to wake) is known before the
      // replies of the commands that ran them go out.
      this.gearsEventsPending = false;
      this.hooks.onGearsEvents?.(this);
    }
    for (const client of this.dirtyClients) {
      const out = client.out;
      if (out.length > 0) {
        const ok = client.socket.write(out.length === 1 ? out[0] : Buffer.concat(out, client.outBytes));
        this.info.netOutputBytes += client.outBytes;
        this.info.writesProcessed++;
        client.out = [];
        client.outBytes = 0;
        // A client that does not read its replies stops being read from.
        if (!ok) {
          client.socket.pause();
          if (this.overOutputLimit(client)) continue;
        }
      }
      // Closed fully once the replies are written, as Redis does: a peer that keeps
      // writing must see the connection gone, not a half-closed one.
      if (client.closeAfterReply && !client.socket.writableEnded) client.socket.end(() => client.socket.destroy());
    }
    this.dirtyClients.clear();
  }

  /**
   * client-output-buffer-limit, as Redis applies it: past the hard limit, or past the soft
   * limit for longer than its seconds, the client is closed (with a log line). The bytes
   * counted are those Node holds for the socket beyond what the kernel took.
   */
  private overOutputLimit(client: Client): boolean {
    const limit = outputLimit(this.config, client.subscribed ? 'pubsub' : 'normal');
    const pending = client.socket.writableLength;
    let over = limit.hard > 0 && pending >= limit.hard;
    if (!over && limit.soft > 0 && pending >= limit.soft) {
      const now = Date.now();
      if (client.softLimitSince === 0) client.softLimitSince = now;
      else over = now - client.softLimitSince >= limit.softSeconds * 1000;
    } else if (!over) {
      client.softLimitSince = 0;
    }
    if (!over) return false;
    log('warning', `Client id=${client.id} addr=${client.addr} name=${client.name} closed for overcoming of output buffer limits.`);
    this.info.outputLimitDisconnections++;
    this.disconnect(client);
    return true;
  }

  /** For replies produced outside a data event (timers, native events). */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = null;
      this.flush();
    });
  }

  // ---- periodic work ----------------------------------------------------------------------

  private startCron(): void {
    // Active expiry in small slices: the server lock is never held for long (DESIGN.md).
    const hz = effectiveHz(this.config);
    const period = Math.max(2, Math.round(1000 / hz / 10));
    clearInterval(this.cronTimer);
    this.cronTimer = setInterval(() => {
      if (this.native.cron(1000) > 0) this.drainNativeEvents();
      this.scheduleFlush();
    }, period);
    this.cronTimer.unref();
    if (!this.statsTimer) {
      let ticks = 0;
      this.statsTimer = setInterval(() => {
        this.sampler.sample(this);
        if (++ticks % 10 === 0) this.closeIdleClients();
      }, 100);
      this.statsTimer.unref();
    }
  }

  /** Idle clients past `timeout` are closed, as Redis's clientsCronHandleTimeout does. */
  private closeIdleClients(): void {
    const timeout = this.config.int('timeout');
    if (timeout <= 0) return;
    const deadline = Date.now() - timeout * 1000;
    for (const client of this.clients.values()) {
      if (client.blocked || client.subscribed || client.lastInteraction >= deadline) continue;
      log('verbose', `Closing idle client id=${client.id} addr=${client.addr}`);
      this.disconnect(client);
    }
  }

  /** CONFIG RESETSTAT: zeroes the counters Redis's resetServerStats zeroes. */
  resetStats(): void {
    const i = this.info;
    i.totalConnections = i.totalCommands = i.rejectedConnections = 0;
    i.netInputBytes = i.netOutputBytes = i.readsProcessed = i.writesProcessed = i.outputLimitDisconnections = 0;
    this.sampler.reset(this.native.stats());
  }

  /** Applies an option's new value (start-up, CONFIG SET). */
  configChanged(name: string): void {
    const spec = Config.spec(name);
    if (spec?.native) this.applyNativeOption(name);
    switch (name) {
      case 'notify-keyspace-events':
        return this.applyNotifyFlags();
      case 'proto-max-bulk-len':
        this.parserLimits.maxBulkLen = this.config.int(name);
        return;
      case 'max-multibulk-len':
        this.parserLimits.maxMultibulkLen = this.config.int(name);
        return;
      case 'loglevel':
        return setLogLevel(this.config.str(name) as LogLevel);
      case 'hz': {
        // Redis takes any value and caps it, then shows the capped one.
        const hz = effectiveHz(this.config);
        if (hz !== this.config.int(name)) this.config.set(name, String(hz));
        if (this.cronTimer) this.startCron();
        return;
      }
    }
  }

  /** Pushes a native-backed option's current value into the addon (after CONFIG SET too). */
  applyNativeOption(name: string): void {
    if (!this.native.setTuning(name, this.config.int(name))) throw new Error(`native has no tuning option ${name}`);
  }

  applyNotifyFlags(): void {
    this.native.setNotifyFlags(this.config.int('notify-keyspace-events'));
  }

  // ---- shutdown ---------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    clearInterval(this.cronTimer);
    clearInterval(this.statsTimer);
    this.flush();
    for (const c of this.clients.values()) c.socket.destroy();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  /** SHUTDOWN, SIGINT, SIGTERM: closes every connection and ends the process. */
  shutdown(reason: string): void {
    if (this.shuttingDown) return;
    log('warning', reason);
    void this.close().then(() => {
      log('warning', 'gearsd is now ready to exit, bye bye...');
      process.exit(0);
    });
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Commands queued for one native call at most (a 64 KB chunk of GETs is ~2,000). */
const MAX_BATCH = 1024;

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
