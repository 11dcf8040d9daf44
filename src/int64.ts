// Whole numbers as Redis reads them from arguments (string2ll, RedisModule_StringToLongLong): an
// optional '-', digits without leading zeros, within a signed 64-bit integer.

/** The integer `s` spells, or null. */
export function parseInt64(s: string): bigint | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : null;
}
