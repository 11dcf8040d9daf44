// A client that speaks RESP over a plain socket: sends exact bytes and returns the exact
// bytes of each reply, so tests can compare servers byte for byte. Reply framing uses
// redis-parser (a RESP reply decoder) to know where each reply ends.

import net from 'node:net';
import Parser from 'redis-parser';

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

  /** Length of the first complete reply in buf, or -1. */
  static replyLength(buf: Buffer): number {
    let length = -1;
    const parser = new Parser({
      returnReply: () => {
        if (length < 0) length = parser.offset;
      },
      returnError: () => {
        if (length < 0) length = parser.offset;
      },
      returnFatalError: () => {},
      returnBuffers: true,
    });
    parser.execute(buf);
    return length;
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
