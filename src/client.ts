// Per-connection state. The server reads requests into commands and replies through
// reply(); replies are gathered per client and written once per turn of the event loop.

import type { Socket } from 'node:net';

import type { CommandSpec } from './commands/spec.js';

let nextClientId = 1;

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
  timer?: NodeJS.Timeout;
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

  constructor(
    readonly socket: Socket,
    requirePass: boolean,
  ) {
    this.authenticated = !requirePass;
  }

  get addr(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  get laddr(): string {
    return `${this.socket.localAddress}:${this.socket.localPort}`;
  }

  /** In RESP2, a client with any subscription may only run pub/sub commands (and PING...). */
  get subscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /** Queues encoded reply bytes; the server writes them out (see Server.flush). */
  push(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
  }
}
