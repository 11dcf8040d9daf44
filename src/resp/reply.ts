// Encoding replies that TS commands produce. Native commands encode their own (the
// addon hands TS finished bytes); these helpers are for connection, server, pub/sub,
// transaction and RG.* commands.

export type Reply = Buffer;

const CRLF = '\r\n';

export const OK: Reply = Buffer.from('+OK\r\n');
export const PONG: Reply = Buffer.from('+PONG\r\n');
export const QUEUED: Reply = Buffer.from('+QUEUED\r\n');
export const NULL_BULK: Reply = Buffer.from('$-1\r\n');
export const NULL_ARRAY: Reply = Buffer.from('*-1\r\n');
export const EMPTY_ARRAY: Reply = Buffer.from('*0\r\n');
export const ZERO: Reply = Buffer.from(':0\r\n');
export const ONE: Reply = Buffer.from(':1\r\n');

/** +text (newlines are not allowed in a simple string, Redis turns them into spaces). */
export function simple(s: string): Reply {
  return Buffer.from(`+${s.replace(/[\r\n]/g, ' ')}${CRLF}`);
}

/** -text, sent exactly: the caller includes the code ("ERR ...") when there is one. */
export function error(s: string): Reply {
  return Buffer.from(`-${s.replace(/[\r\n]/g, ' ')}${CRLF}`);
}

export function integer(n: number | bigint): Reply {
  return Buffer.from(`:${n}${CRLF}`);
}

export function bulk(b: Buffer | string | null): Reply {
  if (b === null) return NULL_BULK;
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([Buffer.from(`$${body.length}${CRLF}`), body, Buffer.from(CRLF)]);
}

/** An array of already-encoded elements; null is the null array. */
export function array(items: Reply[] | null): Reply {
  if (items === null) return NULL_ARRAY;
  return Buffer.concat([Buffer.from(`*${items.length}${CRLF}`), ...items]);
}

/** RESP3's null, or RESP2's null bulk / null array (Redis's addReplyNull / addReplyNullArray). */
export const RESP3_NULL: Reply = Buffer.from('_\r\n');
export const nullBulk = (resp3: boolean): Reply => (resp3 ? RESP3_NULL : NULL_BULK);
export const nullArray = (resp3: boolean): Reply => (resp3 ? RESP3_NULL : NULL_ARRAY);

/** Aggregate headers as Redis's addReplyMapLen / addReplySetLen / addReplyPushLen write them. */
export function mapHeader(n: number, resp3: boolean): Reply {
  return Buffer.from(resp3 ? `%${n}${CRLF}` : `*${2 * n}${CRLF}`);
}
export function setHeader(n: number, resp3: boolean): Reply {
  return Buffer.from(`${resp3 ? '~' : '*'}${n}${CRLF}`);
}
/** Out-of-band data (pub/sub messages) is a push in RESP3, an array in RESP2. */
export function pushHeader(n: number, resp3: boolean): Reply {
  return Buffer.from(`${resp3 ? '>' : '*'}${n}${CRLF}`);
}

/** Redis's addReplyVerbatim with "txt": a verbatim string in RESP3, a bulk in RESP2. */
export function verbatim(text: Buffer | string, resp3: boolean): Reply {
  if (!resp3) return bulk(text);
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  return Buffer.concat([Buffer.from(`=${body.length + 4}${CRLF}txt:`), body, Buffer.from(CRLF)]);
}

/** Plain values that map onto RESP2 without ambiguity, plus RESP3's map and set. */
export type Value = null | number | bigint | string | Buffer | Value[] | Status | ErrorValue | MapValue | SetValue;

export class Status {
  constructor(readonly text: string) {}
}
export class ErrorValue {
  constructor(readonly text: string) {}
}
/** A map: a flat array of keys and values in RESP2. */
export class MapValue {
  constructor(readonly entries: [Value, Value][]) {}
}
/** A set: an array in RESP2. */
export class SetValue {
  constructor(readonly items: Value[]) {}
}
export const map = (entries: [Value, Value][]): MapValue => new MapValue(entries);
/** A map from a flat [key, value, key, value...] list. */
export function mapOfPairs(flat: Value[]): MapValue {
  const entries: [Value, Value][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i], flat[i + 1]]);
  return new MapValue(entries);
}

/**
 * Encodes a nested value: numbers are integers (use a string for a double), strings and
 * Buffers are bulks, null is the null bulk, arrays are arrays.
 */
export function encode(v: Value, resp3 = false): Reply {
  if (v === null) return nullBulk(resp3);
  if (typeof v === 'number' || typeof v === 'bigint') return integer(v);
  if (typeof v === 'string' || Buffer.isBuffer(v)) return bulk(v);
  if (v instanceof Status) return simple(v.text);
  if (v instanceof ErrorValue) return error(v.text);
  if (v instanceof MapValue) {
    const parts = [mapHeader(v.entries.length, resp3)];
    for (const [k, val] of v.entries) parts.push(encode(k, resp3), encode(val, resp3));
    return Buffer.concat(parts);
  }
  if (v instanceof SetValue) return Buffer.concat([setHeader(v.items.length, resp3), ...v.items.map((x) => encode(x, resp3))]);
  return array(v.map((x) => encode(x, resp3)));
}

/**
 * A HELP reply in Redis's layout: a header naming the command, the given lines, and the
 * closing HELP entry, each a simple string.
 */
export function help(command: string, lines: string[]): Reply {
  const all = [`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  return array(all.map(simple));
}

export const SYNTAX_ERROR: Reply = error('ERR syntax error');
