// Per-connection state. The server reads requests into commands and replies through
// reply(); replies are gathered per client and written once per turn of the event loop.

import type { Socket } from 'node:net';

import type { RequestParser } from './resp/request-parser.js';
import type { CommandSpec } from './commands/spec.js';

let nextClientId = 1;

// What an internal client has in place of a socket: nothing is ever written to it.
const detachedSocket = {
  remoteAddress: undefined,
  remotePort: undefined,
  localAddress: undefined,
  localPort: undefined,
  write: () => true,
  end: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  destroy: () => undefined,
} as unknown as Socket;

/** A transaction being queued. */
export interface MultiState {
  queue: { spec: CommandSpec; argv: Buffer[] }[];
  /** A command was refused while queueing: EXEC answers EXECABORT. */
  aborted: boolean;
}

/** Why and how a client waits. Created by Server.block. */
export interface BlockState {
  /** Called when the client disconnects or is unblocked by force (CLIENT UNBLOCK, RESET). */
  onCancel?: () => void;
  /** Called when the timeout passes; it usually replies nil. */
  onTimeout?: () => void;
  /** Does CLIENT UNBLOCK apply? (Redis: blocks that can time out.) Default true. */
  unblockable?: boolean;
  timer?: NodeJS.Timeout;
}

/** CLIENT REPLY state; replies are dropped from SKIPPING on. */
export const enum ReplyMode {
  On = 0,
  /** CLIENT REPLY SKIP ran: the next command's replies are dropped. */
  SkipNext = 1,
  Skipping = 2,
  Off = 3,
}

export class Client {
  readonly id = nextClientId++;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  db = 0;
  name = '';
  authenticated: boolean;
  libName = '';
  libVersion = '';
  /** Last command name, for CLIENT LIST's cmd= field. */
  lastCommand = 'NULL';
  /** Set when the connection must close after the pending replies are written. */
  closeAfterReply = false;
  closed = false;
  /** Set while the client waits (BLPOP, blocking RG.PYEXECUTE...); see Server.block. */
  blocked: BlockState | null = null;
  /** Requests that arrived while blocked; they run, in order, once it is unblocked. */
  pendingRequests: Buffer[][] = [];
  /** Set between MULTI and EXEC/DISCARD. */
  multi: MultiState | null = null;
  /** True while EXEC runs this client's queue: nothing may block. */
  inExec = false;
  /** Pub/sub subscriptions (channel and pattern names as latin1 strings: binary-safe). */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Replies waiting to be written. */
  out: Buffer[] = [];
  outBytes = 0;
  replyMode = ReplyMode.On;
  /** CLIENT NO-EVICT (gearsd evicts no clients; kept for CLIENT LIST's `e` flag). */
  noEvict = false;
  /** Since when the output has been over the soft limit (client-output-buffer-limit), or 0. */
  softLimitSince = 0;
  /** RESP3 after HELLO 3 (Redis's c->resp == 3); HELLO 2 and RESET go back to RESP2. */
  resp3 = false;
  /** This connection's request decoder (set by the server on accept). */
  parser: RequestParser | null = null;

  constructor(
    readonly socket: Socket,
    requirePass: boolean,
  ) {
    this.authenticated = !requirePass;
  }

  /**
   * A client with no connection, for commands the server runs on someone's behalf (Python's
   * execute()); its replies are collected, never written.
   */
  static internal(db: number): Client {
    const c = new Client(detachedSocket, false);
    c.db = db;
    return c;
  }

  get addr(): string {
    return formatAddr(this.socket.remoteAddress, this.socket.remotePort);
  }

  get laddr(): string {
    return formatAddr(this.socket.localAddress, this.socket.localPort);
  }

  /** A client with any subscription is in pub/sub mode (in RESP2 it may then only run pub/sub commands, PING...). */
  get subscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /** Queues encoded reply bytes; the server writes them out (see Server.flush). */
  push(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
  }
}

/** ip:port as Redis writes it: IPv6 addresses in brackets. */
function formatAddr(ip: string | undefined, port: number | undefined): string {
  return ip?.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
