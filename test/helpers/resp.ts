// Turning raw reply bytes (RawClient) into values, for tests that compare the shape of
// replies whose contents legitimately differ between servers (ids, times, addresses).
import Parser from 'redis-parser';

export type RespValue = string | number | null | RespError | RespValue[];

export class RespError {
  constructor(readonly message: string) {}
}

/** Decodes one complete reply: bulks and simple strings become strings, errors RespError. */
export function decode(bytes: Buffer): RespValue {
  let out: RespValue | undefined;
  const parser = new Parser({
    returnReply: (r) => {
      if (out === undefined) out = r as RespValue;
    },
    returnError: (e) => {
      if (out === undefined) out = new RespError(e.message);
    },
    returnFatalError: (e) => {
      throw e;
    },
  });
  parser.execute(bytes);
  if (out === undefined) throw new Error(`incomplete reply: ${JSON.stringify(bytes.toString('latin1'))}`);
  return fixNestedErrors(out);
}

// redis-parser hands nested errors back as ReplyError objects inside arrays.
function fixNestedErrors(v: unknown): RespValue {
  if (Array.isArray(v)) return v.map(fixNestedErrors);
  if (v instanceof Error) return new RespError(v.message);
  return v as RespValue;
}

/** A flat RESP2 map ([k1, v1, k2, v2...]) as an object. */
export function pairs(v: RespValue): Record<string, RespValue> {
  if (!Array.isArray(v) || v.length % 2 !== 0) throw new Error(`not a flat map: ${JSON.stringify(v)}`);
  const o: Record<string, RespValue> = {};
  for (let i = 0; i < v.length; i += 2) o[String(v[i])] = v[i + 1];
  return o;
}

/** The type skeleton of a value: what must match when contents may differ. */
export function shape(v: RespValue): unknown {
  if (v === null) return 'null';
  if (v instanceof RespError) return 'error';
  if (Array.isArray(v)) return v.map(shape);
  return typeof v;
}
