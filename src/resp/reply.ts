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

/** Plain values that map onto RESP2 without ambiguity. */
export type Value = null | number | bigint | string | Buffer | Value[] | Status | ErrorValue;

export class Status {
  constructor(readonly text: string) {}
}
export class ErrorValue {
  constructor(readonly text: string) {}
}

/**
 * Encodes a nested value: numbers are integers (use a string for a double), strings and
 * Buffers are bulks, null is the null bulk, arrays are arrays.
 */
export function encode(v: Value): Reply {
  if (v === null) return NULL_BULK;
  if (typeof v === 'number' || typeof v === 'bigint') return integer(v);
  if (typeof v === 'string' || Buffer.isBuffer(v)) return bulk(v);
  if (v instanceof Status) return simple(v.text);
  if (v instanceof ErrorValue) return error(v.text);
  return array(v.map(encode));
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
