// Reading decoded replies (decodeReply in differential.ts) in tests that compare the shape
// of replies whose contents legitimately differ between servers (ids, times, addresses).
import { decodeReply, type Reply } from './differential.js';

export { decodeReply, type Reply };

/** A flat RESP2 map ([k1, v1, k2, v2...]) as an object. */
export function pairs(v: Reply): Record<string, Reply> {
  if (!Array.isArray(v) || v.length % 2 !== 0) throw new Error(`not a flat map: ${JSON.stringify(v)}`);
  const o: Record<string, Reply> = {};
  for (let i = 0; i < v.length; i += 2) o[String(v[i])] = v[i + 1];
  return o;
}

/** The type skeleton of a value: what must match when contents may differ. */
export function shape(v: Reply): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'object') return 'error';
  return typeof v;
}

/** The message of an error reply, or undefined when the reply is not an error. */
export function errorOf(v: Reply): string | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v.error : undefined;
}
