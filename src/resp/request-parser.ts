// Decodes client requests: RESP arrays of bulk strings and inline commands, with Redis's
// limits and Redis's protocol error texts.
//
// This is a request decoder, not a reply decoder: it accepts only what a Redis server
// accepts from clients (see docs/decisions.md for why redis-parser, a reply parser, is
// used by the tests and not here). Arguments are Buffers sliced from the incoming chunks,
// never copied into strings. A partly received request keeps its state, so a large bulk
// arriving in many chunks is assembled once, not re-parsed per chunk.

/** Read at each header, so a shared object changed by CONFIG SET applies at once. */
export interface ParserLimits {
  maxBulkLen: number; // proto-max-bulk-len
  maxMultibulkLen: number; // elements in one request
}

/** Requests decoded between two calls of the back-pressure check. */
const CHECK_EVERY = 32;

export const DEFAULT_LIMITS: ParserLimits = { maxBulkLen: 512 * 1024 * 1024, maxMultibulkLen: 1024 * 1024 };

const INLINE_MAX = 64 * 1024; // Redis's PROTO_INLINE_MAX_SIZE
const CR = 13;
const LF = 10;

export class ProtocolError extends Error {}

/**
 * Receives a request that arrived whole, as offsets into `buf`: offsets[2i] is where
 * argument i starts, offsets[2i+1] its length. Both are only valid during the call.
 */
export type RawRequestHandler = (buf: Buffer, offsets: Int32Array, argc: number) => void;

/** The arguments of a raw request as Buffers (views of buf, no copy). */
export function argvOf(buf: Buffer, offsets: Int32Array, argc: number): Buffer[] {
  const argv = new Array<Buffer>(argc);
  for (let i = 0; i < argc; i++) argv[i] = buf.subarray(offsets[2 * i], offsets[2 * i] + offsets[2 * i + 1]);
  return argv;
}

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  // State of a multibulk request in progress.
  private remaining = -1; // elements still to read; -1 when between requests
  private argv: Buffer[] = [];
  private bulkLen = -1; // length of the bulk being read, -1 when expecting its header
  // Chunks of a large bulk, gathered until it is complete.
  private bulkParts: Buffer[] = [];
  private bulkPartsLen = 0;

  // Back-pressure: see the constructor. `stopped`: the connection is closing.
  private paused = false;
  private stopped = false;
  private sinceCheck = 0;
  // Where the request being decoded (or run) began: the query buffer counts it until it is done.
  private requestStart = 0;
  // Offsets of the request handed to onRaw (reused: no allocation per request).
  private offsets = new Int32Array(32);
  /** Set by the server: requests that arrived whole skip the Buffer-per-argument path. */
  onRaw: RawRequestHandler | null = null;

  /**
   * `shouldPause` is asked every few requests within a chunk; when it says yes, decoding
   * stops until resume(), so one chunk full of small requests cannot pile up unbounded
   * replies for a client that does not read them.
   */
  constructor(
    private readonly limits: ParserLimits,
    private readonly onCommand: (argv: Buffer[]) => void,
    private readonly shouldPause?: () => boolean,
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Bytes received and not yet done with (CLIENT LIST's qbuf): as in Redis, the request
   * being run still counts.
   */
  get bufferedBytes(): number {
    return this.buf.length - Math.min(this.requestStart, this.pos) + this.bulkPartsLen;
  }

  /** Decodes nothing more: the connection is closing. */
  stop(): void {
    this.paused = true;
    this.stopped = true;
  }

  /** Decodes what was held back by a pause. Throws ProtocolError. */
  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    if (this.bulkParts.length === 0) this.parse();
  }

  /** Feeds bytes; calls onCommand per complete request. Throws ProtocolError. */
  feed(chunk: Buffer): void {
    if (this.stopped) return;
    if (this.paused && this.bulkParts.length === 0) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
      this.requestStart = 0;
      return;
    }
    if (this.bulkParts.length > 0) {
      this.absorbBulkPart(chunk);
      return;
    }
    if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    this.requestStart = 0;
    this.parse();
  }

  private parse(): void {
    const buf = this.buf;
    while (this.pos < buf.length && !this.paused) {
      if (this.remaining < 0) {
        this.requestStart = this.pos;
        if (buf[this.pos] === 42 /* '*' */) {
          if (this.onRaw !== null && this.decodeWhole()) continue;
          if (!this.readMultibulkHeader()) return;
          if (this.remaining <= 0) {
            this.remaining = -1; // "*0" and "*-1" are empty requests: nothing to run
            continue;
          }
        } else {
          if (!this.readInline()) return;
          continue;
        }
      }
      while (this.remaining > 0) {
        if (this.bulkLen < 0 && !this.readBulkHeader()) return;
        if (buf.length - this.pos < this.bulkLen + 2) {
          this.startBulkParts();
          return;
        }
        const start = this.pos;
        this.pos += this.bulkLen + 2;
        this.pushBulk(buf.subarray(start, start + this.bulkLen));
      }
      this.finishRequest();
    }
  }

  /**
   * The fast path: a request that is entirely in the buffer is decoded into offsets and
   * handed to onRaw without creating a Buffer per argument. Anything unusual (incomplete,
   * malformed, over a limit) returns false without consuming, and the incremental path
   * below decodes it (and reports the error).
   */
  private decodeWhole(): boolean {
    const buf = this.buf;
    const end = buf.length;
    let p = this.pos + 1;
    let n = 0;
    let c = 0;
    const digits = p;
    while (p < end && (c = buf[p]) >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      p++;
    }
    if (p === digits || p - digits > 9 || p + 1 >= end || buf[p] !== CR || buf[p + 1] !== LF) return false;
    if (n <= 0 || n > this.limits.maxMultibulkLen) return false;
    p += 2;
    if (n * 2 > this.offsets.length) this.offsets = new Int32Array(Math.max(n * 2, this.offsets.length * 2));
    const offsets = this.offsets;
    const maxBulk = this.limits.maxBulkLen;
    for (let i = 0; i < n; i++) {
      if (p >= end || buf[p] !== 36 /* '$' */) return false;
      const lenStart = ++p;
      let len = 0;
      while (p < end && (c = buf[p]) >= 48 && c <= 57) {
        len = len * 10 + (c - 48);
        p++;
      }
      if (p === lenStart || p - lenStart > 10 || p + 1 >= end || buf[p] !== CR || buf[p + 1] !== LF || len > maxBulk) return false;
      p += 2;
      if (p + len + 2 > end) return false;
      offsets[2 * i] = p;
      offsets[2 * i + 1] = len;
      p += len + 2;
    }
    this.pos = p;
    this.onRaw!(buf, offsets, n);
    this.requestStart = this.pos;
    this.checkBackPressure();
    return true;
  }

  private finishRequest(): void {
    const argv = this.argv;
    this.argv = [];
    this.remaining = -1;
    this.onCommand(argv);
    this.requestStart = this.pos;
    this.checkBackPressure();
  }

  private checkBackPressure(): void {
    if (++this.sinceCheck < CHECK_EVERY) return;
    this.sinceCheck = 0;
    if (this.shouldPause?.()) this.paused = true;
  }

  private pushBulk(b: Buffer): void {
    this.argv.push(b);
    this.bulkLen = -1;
    this.remaining--;
  }

  /** Index of the CR of the next CRLF from pos, or -1. */
  private lineEnd(limit: number, what: string): number {
    const nl = this.buf.indexOf(LF, this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > limit) throw new ProtocolError(`Protocol error: too big ${what}`);
      return -1;
    }
    if (nl - this.pos > limit) throw new ProtocolError(`Protocol error: too big ${what}`);
    return nl;
  }

  private readNumberLine(limit: number, what: string): number | null {
    const nl = this.lineEnd(limit, what);
    if (nl < 0) return null;
    const end = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
    const n = parseDecimal(this.buf, this.pos + 1, end);
    this.pos = nl + 1;
    return n;
  }

  private readMultibulkHeader(): boolean {
    const n = this.readNumberLine(INLINE_MAX, 'mbulk count string');
    if (n === null) return false;
    if (Number.isNaN(n) || n > this.limits.maxMultibulkLen) throw new ProtocolError('Protocol error: invalid multibulk length');
    this.remaining = n;
    this.argv = [];
    return true;
  }

  private readBulkHeader(): boolean {
    if (this.pos >= this.buf.length) return false;
    const c = this.buf[this.pos];
    if (c !== 36 /* '$' */) {
      throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(c)}'`);
    }
    const n = this.readNumberLine(INLINE_MAX, 'bulk count string');
    if (n === null) return false;
    if (Number.isNaN(n) || n < 0 || n > this.limits.maxBulkLen) throw new ProtocolError('Protocol error: invalid bulk length');
    this.bulkLen = n;
    return true;
  }

  private startBulkParts(): void {
    const part = this.buf.subarray(this.pos);
    this.bulkParts = [part];
    this.bulkPartsLen = part.length;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
  }

  /** Adds a chunk to a bulk in progress, and goes on parsing once the bulk is whole. */
  private absorbBulkPart(chunk: Buffer): void {
    const need = this.bulkLen + 2 - this.bulkPartsLen;
    if (chunk.length < need) {
      this.bulkParts.push(chunk);
      this.bulkPartsLen += chunk.length;
      return;
    }
    this.bulkParts.push(chunk.subarray(0, need));
    const whole = Buffer.concat(this.bulkParts, this.bulkLen + 2);
    this.bulkParts = [];
    this.bulkPartsLen = 0;
    this.pushBulk(whole.subarray(0, whole.length - 2));
    this.buf = chunk.subarray(need);
    this.pos = 0;
    if (this.remaining === 0) this.finishRequest();
    this.parse();
  }

  private readInline(): boolean {
    const nl = this.lineEnd(INLINE_MAX, 'inline request');
    if (nl < 0) return false;
    const end = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
    const line = this.buf.subarray(this.pos, end);
    this.pos = nl + 1;
    const argv = splitInlineArgs(line);
    if (argv === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    if (argv.length > 0) {
      this.onCommand(argv);
      this.requestStart = this.pos;
      this.checkBackPressure();
    }
    return true;
  }
}

/** Parses [start,end) as a decimal integer; NaN when it is not one. */
function parseDecimal(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 17) return NaN;
  let neg = false;
  let i = start;
  if (buf[i] === 45 /* '-' */) {
    neg = true;
    i++;
    if (i === end) return NaN;
  }
  let v = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

const HEX = /^[0-9a-fA-F]$/;

/**
 * Splits an inline command line the way Redis's sdssplitargs does: spaces separate
 * arguments; "double quotes" understand \n \r \t \b \a \\ \" and \xHH; 'single quotes'
 * only \'. A closing quote must be followed by a space or the end. Returns null on
 * unbalanced quotes.
 */
export function splitInlineArgs(line: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  const s = line.toString('latin1');
  let i = 0;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (true) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      const c = s[i];
      if (inDq) {
        if (i >= s.length) return null;
        if (c === '\\' && s[i + 1] === 'x' && HEX.test(s[i + 2] ?? '') && HEX.test(s[i + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(s.substr(i + 2, 2), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < s.length) {
          i++;
          const e = s[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < s.length && !isSpace(s[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= s.length) return null;
        if (c === '\\' && s[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < s.length && !isSpace(s[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (i >= s.length || isSpace(c)) {
        done = true;
      } else if (c === '"') {
        inDq = true;
      } else if (c === "'") {
        inSq = true;
      } else {
        cur += c;
      }
      if (i < s.length) i++;
    }
    out.push(Buffer.from(cur, 'latin1'));
  }
}
