// A client that speaks RESP over a plain socket: sends exact bytes and returns the exact
// bytes of each reply, so tests can compare servers byte for byte. Replies are framed by
// frameEnd below, which knows RESP3's types too (after HELLO 3).

import net from 'node:net';

export class RawClient {
  private readonly socket: net.Socket;
  private pending: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private buffered = Buffer.alloc(0);
  private closedErr: Error | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.drain();
    });
    socket.on('close', () => {
      this.closedErr = new Error('connection closed');
      for (const p of this.pending) p.reject(this.closedErr);
      this.pending = [];
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Length of the first complete reply in buf, or -1. RESP2 and RESP3 alike. */
  static replyLength(buf: Buffer): number {
    return frameEnd(buf, 0);
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const n = RawClient.replyLength(this.buffered);
      if (n < 0) return;
      const reply = this.buffered.subarray(0, n);
      this.buffered = this.buffered.subarray(n);
      this.pending.shift()!.resolve(Buffer.from(reply));
    }
  }

  /** Sends raw bytes without waiting. */
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Waits for the next reply's raw bytes. */
  next(): Promise<Buffer> {
    if (this.closedErr) return Promise.reject(this.closedErr);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.drain();
    });
  }

  /** Sends one command as a RESP array and returns its reply's raw bytes. */
  call(...args: (string | Buffer)[]): Promise<Buffer> {
    this.write(encodeCommand(args));
    return this.next();
  }

  /** Resolves once the server has closed the connection. */
  closed(): Promise<void> {
    if (this.socket.destroyed || this.closedErr) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }
}

export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * The elements of a flat RESP2 array of bulk strings found at `start` in a reply read as
 * latin1 (KEYS, SCAN's names, a pub/sub push).
 */
export function bulkStrings(reply: string, start = 0): string[] {
  let i = reply.indexOf('\r\n', start);
  const n = Number(reply.slice(start + 1, i));
  i += 2;
  const items: string[] = [];
  for (let k = 0; k < n; k++) {
    const eol = reply.indexOf('\r\n', i);
    const len = Number(reply.slice(i + 1, eol));
    items.push(reply.slice(eol + 2, eol + 2 + len));
    i = eol + 2 + len + 2;
  }
  return items;
}

/**
 * Where the reply starting at `pos` ends (the offset after it), or -1 when buf does not
 * hold all of it yet. Aggregates: * ~ > (n elements), % | (n pairs); blobs: $ ! = (length
 * line then data); everything else is one line. A length of -1 is RESP2's null.
 */
export function frameEnd(buf: Buffer, pos: number): number {
  const eol = buf.indexOf('\r\n', pos, 'latin1');
  if (eol < 0 || eol === pos) return -1;
  const type = String.fromCharCode(buf[pos]);
  const n = Number(buf.toString('latin1', pos + 1, eol));
  let at = eol + 2;
  switch (type) {
    case '$':
    case '!':
    case '=':
      if (n < 0) return at;
      return buf.length >= at + n + 2 ? at + n + 2 : -1;
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = n < 0 ? 0 : type === '%' || type === '|' ? 2 * n : n;
      for (let i = 0; i < count; i++) {
        at = frameEnd(buf, at);
        if (at < 0) return -1;
      }
      // An attribute precedes the reply it describes.
      return type === '|' ? frameEnd(buf, at) : at;
    }
    default:
      return at;
  }
}
