// Streams against a real redis-server: the same commands to both, replies compared byte for
// byte, or, where a reply holds clock readings (idle times, delivery and seen times),
// compared with those readings masked. Fixed scripts cover the argument and error paths;
// seeded random sequences cover node layout (approximate trimming, LIMIT, radix-tree
// sizes), deletions and consumer groups, under several node size settings. Ids are
// always explicit so both servers produce the same ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Parser from 'redis-parser';

import { canCompare, ServerPair } from './helpers/differential.js';
import { Prng } from './helpers/random.js';

const maybe = canCompare() ? test : test.skip;

type Value = string | number | null | { error: string } | Value[];

function decode(buf: Buffer): Value {
  let out: Value = null;
  const parser = new Parser({
    returnReply: (r) => (out = r as Value),
    returnError: (e) => (out = { error: e.message }),
  });
  parser.execute(buf);
  return out;
}

// Masks the clock readings of the replies that carry them.
type Mask = (v: Value) => Value;
const T = 'T';
const maskPendingRows: Mask = (v) => (Array.isArray(v) ? v.map((row) => (Array.isArray(row) ? [row[0], row[1], T, row[3]] : row)) : v);
const maskAfter = (names: string[]): Mask => (v) => {
  if (!Array.isArray(v)) return v;
  return v.map((item, i) => (i > 0 && names.includes(v[i - 1] as string) ? T : Array.isArray(item) ? maskAfter(names)(item) : item));
};
// XINFO STREAM FULL: group PEL rows [id, consumer, time, count], consumer PEL rows [id, time, count].
const maskFull: Mask = (v) => {
  if (!Array.isArray(v)) return v;
  const walk = (x: Value, key: string | null): Value => {
    if (!Array.isArray(x)) return x;
    if (key === 'pending') return x.map((row) => (Array.isArray(row) ? (row.length === 4 ? [row[0], row[1], T, row[3]] : [row[0], T, row[2]]) : row));
    return x.map((item, i) => (i > 0 && (x[i - 1] === 'seen-time') ? T : walk(item, i > 0 && typeof x[i - 1] === 'string' ? (x[i - 1] as string) : null)));
  };
  return walk(v, null);
};

async function sameMasked(pair: ServerPair, mask: Mask, ...args: string[]): Promise<void> {
  const [g, r] = await Promise.all([pair.gearsd.call(...args), pair.redis.call(...args)]);
  assert.equal(mask(decode(g)), mask(decode(r)), `reply to ${args.join(' ')}`);
}

/** Sends a command, comparing exactly or masked according to what it returns. */
async function compare(pair: ServerPair, args: string[]): Promise<void> {
  const cmd = args[0].toUpperCase();
  const sub = (args[1] ?? '').toUpperCase();
  if (cmd === 'XPENDING' && args.length > 3) return sameMasked(pair, maskPendingRows, ...args);
  if (cmd === 'XINFO' && sub === 'CONSUMERS') return sameMasked(pair, maskAfter(['idle']), ...args);
  if (cmd === 'XINFO' && sub === 'STREAM' && args.length > 3) return sameMasked(pair, maskFull, ...args);
  await pair.same(...args);
}

const words = (line: string) => line.trim().split(/\s+/);

// ---- fixed scripts ----------------------------------------------------------------------

const ARGUMENTS_SCRIPT = `
xadd s1 1-1 a b c d
xadd s1 1-1 a b
xadd s1 1 a b
xadd s1 1-* a b
xadd s1 2-* a b
xadd s1 0-0 a b
xadd s1 5 a
xadd s1 maxlen -1 * a b
xadd s1 maxlen abc * a b
xadd s1 limit 5 * a b
xadd s1 limit 0 5-5 a b
xadd s1 maxlen 5 limit 5 * a b
xadd s1 maxlen 5 minid 5 * a b
xadd s1 maxlen ~ 5 limit -1 * a b
xadd s1 + a b
xadd s1 foo a b
xadd s1 +8 a b
xadd s1 9-+1 a b
xadd s1 10--01 a b
xadd s1 00011 a b
xadd s1 nomkstream 12 a b
xadd nos nomkstream 12 a b
xadd s1 maxlen 3
xadd s1 minid ~ 0 limit 0 20-1 a b
xtrim s1
xtrim s1 foo bar
xtrim s1 maxlen 100 limit 5
xtrim s1 maxlen ~ 100 limit 5
xtrim s1 minid +
xtrim s1 minid ~ 0
xrange s1 (- +
xrange s1 - (0-0
xrange s1 abc +
xrange s1 - + count
xrange s1 - + count -5
xrange s1 - + count 0
xrange s1 - + count 2 count 3
xrange s1 - + foo 3
xrange s1 (1-1 +
xrange s1 - (10
xrevrange s1 + - count 2
xrevrange s1 (10 (1
xrange nokey - +
xlen s1
xlen nokey
set str v
xlen str
xadd str * a b
xdel s1 1-1 abc
xdel s1 1-1 1-1 99
xdel nokey 1
xinfo stream s1
xinfo stream s1 full
xinfo stream s1 full count 1
xinfo stream s1 full count -1
xinfo stream s1 full count x
xinfo stream s1 foo
xinfo stream s1 full foo 1
xinfo stream nokey
xinfo groups s1
xinfo help
xinfo help x
xinfo foo bar
xinfo
xgroup
xgroup help
xgroup foo a b
xgroup create s1 g
xgroup create s1 g $
xgroup create s1 g $
xgroup create s1 g2 +
xgroup create s1 g2 0 foo
xgroup create s1 g2 0 entriesread -5
xgroup create s1 g2 0 entriesread 3
xgroup create s1 g3 0 entriesread -1 mkstream
xgroup create nok g 0
xgroup create nok g 0 mkstream
xgroup create str g 0
xgroup setid s1 g -
xgroup setid s1 g $ entriesread 2
xgroup setid s1 g $ mkstream
xgroup setid s1 nog 0
xgroup destroy s1 nog
xgroup destroy s1 g3
xgroup createconsumer s1 g c1
xgroup createconsumer s1 g c1
xgroup createconsumer s1 nog c1
xgroup delconsumer s1 g c1
xgroup delconsumer nok g c1
xinfo groups s1
xsetid s1 1
xsetid s1 99999999999999-0 entriesadded 1
xsetid s1 99999999999999-0 entriesadded 100 maxdeletedid 99999999999999-1
xsetid s1 99999999999999-0 entriesadded 100 maxdeletedid 5-1
xsetid s1 99999999999999-0 foo
xsetid nokey 1-1
xinfo stream s1
`;

const GROUPS_SCRIPT = `
xadd g1 1-0 f v
xadd g1 2-0 f v
xadd g1 3-0 f v
xadd g1 4-0 f v
xadd g1 5-0 f v
xgroup create g1 grp 0
xreadgroup group grp alice streams g1 >
xreadgroup group grp alice count 2 streams g1 0
xreadgroup group grp alice streams g1 3
xreadgroup group grp bob streams g1 0
xreadgroup group grp alice streams g1 $
xreadgroup group nog alice streams g1 >
xreadgroup group grp alice streams nokey >
xreadgroup group grp alice streams g1 g1 > >
xreadgroup group grp alice streams g1 g1 0 0
xreadgroup streams g1 >
xreadgroup group grp alice foo streams g1 >
xread streams g1 0
xread count 2 streams g1 nokey 0 0
xread streams g1 g1 0 3
xread streams g1 $
xread streams g1 -
xread block abc streams g1 0
xread block -1 streams g1 0
xread block 0 streams g1 0
xread count -5 streams g1 0
xdel g1 2-0 4-0
xpending g1 grp
xpending g1 grp - + 10
xpending g1 grp - + 10 alice
xpending g1 grp - + 10 nobody
xpending g1 grp idle 5 - +
xpending g1 grp - + x
xpending g1 grp (1-0 + 10
xpending g1 nog
xreadgroup group grp alice streams g1 0
xack g1 grp 1-0 abc
xack g1 grp 1-0 1-0 3-0
xack g1 nog 1-0
xpending g1 grp
xclaim g1 grp carol 0 5-0 2-0 4-0 justid
xclaim g1 grp carol x 5-0
xclaim g1 grp carol 0 5-0 foo
xclaim g1 grp carol 0 5-0 retrycount 7 justid
xclaim g1 grp dave 0 5-0 force retrycount 3
xclaim g1 grp dave 0 3-0 force retrycount 3
xclaim g1 grp dave 0 1-0 force justid
xclaim g1 grp dave 0 1-0 lastid 10-0 justid
xpending g1 grp - + 10
xinfo groups g1
xautoclaim g1 grp eve 0 0-0
xautoclaim g1 grp eve 0 0-0 count 1
xautoclaim g1 grp eve 0 0-0 count 0
xautoclaim g1 grp eve 0 0-0 justid
xautoclaim g1 grp eve 0 (0-0 foo
xautoclaim nokey grp eve 0 0-0
xinfo consumers g1 grp
xinfo stream g1 full
xgroup delconsumer g1 grp eve
xpending g1 grp
xgroup destroy g1 grp
xinfo groups g1
`;

for (const [name, script] of [['argument handling and errors', ARGUMENTS_SCRIPT], ['consumer group scripts', GROUPS_SCRIPT]]) {
  maybe(`${name} match redis-server`, async () => {
    const pair = await ServerPair.start();
    try {
      for (const line of script.trim().split('\n')) await compare(pair, words(line));
    } finally {
      await pair.stop();
    }
  });
}

// ---- node sizes at listpack encoding boundaries ---------------------------------------------

// Integers at each listpack integer width, strings at each length-prefix width: what a node
// "weighs" decides where Redis closes it, and so radix-tree-keys and `~` trimming.
const BOUNDARY_VALUES = [
  '127', '128', '-1', '-4096', '-4097', '4095', '4096', '32767', '32768', '-32768', '-32769', '8388607', '8388608',
  '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649', '9223372036854775807',
  '-9223372036854775808', '9223372036854775808', '18446744073709551615', '0', '00', '-0', '01',
  'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(127), 'x'.repeat(128), 'x'.repeat(4095), 'x'.repeat(4096), 'x'.repeat(16383),
];

for (const [name, options] of [['default node sizes', []], ['512 bytes per node', ['--stream-node-max-bytes', '512']]] as [string, string[]][]) {
  maybe(`nodes close where Redis's listpacks would (${name})`, async () => {
    const pair = await ServerPair.start(options);
    try {
      const vals = BOUNDARY_VALUES;
      let n = 1;
      for (let round = 0; round < 4; round++) {
        for (const v of vals) {
          const field = round % 2 ? 'f' : vals[(n * 7) % vals.length].slice(0, 30);
          await pair.same('XADD', 'edges', `${n * 1000 + ((round * 977) % 300)}-${n % 5}`, field, v, 'g', vals[n % vals.length]);
          await pair.same('XINFO', 'STREAM', 'edges');
          n++;
        }
        await pair.same('XTRIM', 'edges', 'MAXLEN', '~', String(20 + round));
        await pair.same('XINFO', 'STREAM', 'edges');
      }
      await pair.same('XRANGE', 'edges', '-', '+');
    } finally {
      await pair.stop();
    }
  });
}

// ---- random sequences ------------------------------------------------------------------------


/** One random command over a few keys; `ms` keeps each key's next id moving forward. */
function randomCommand(rnd: () => number, prefix: string, ms: Map<string, number>): string[] {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: T[]) => a[int(a.length)];
  const key = `${prefix}:${int(3)}`;
  const top = ms.get(key) ?? 1;
  const past = () => String(Math.max(0, top - int(80)));
  const recent = () => `${Math.max(1, top - int(25))}-${int(2)}`;  // likely an existing entry
  const group = pick(['ga', 'gb']);
  const consumer = pick(['c1', 'c2', 'c3']);
  const value = () => pick(['v', '1', '-3', '123456', 'x'.repeat(int(90)), String(int(100000)), 'y'.repeat(int(30) === 0 ? 3000 : 3)]);
  const op = int(100);
  if (op < 40) {
    const next = top + int(3);
    ms.set(key, next);
    const id = int(4) === 0 ? `${next}-*` : `${next}-${int(3)}`;
    const shared = int(3) !== 0;
    const fields: string[] = [];
    for (let i = 0, n = int(4) === 0 ? int(4) + 1 : 2; i < n; i++) fields.push(shared ? `f${i}` : pick(['a', 'b', '12', 'f0']), value());
    const trim = pick([[], [], [], ['MAXLEN', pick(['~', '=']), String(int(60))], ['MINID', pick(['~', '=']), past()], ['MAXLEN', '~', String(int(60)), 'LIMIT', String(int(30))]]);
    return ['XADD', key, ...trim, id, ...fields];
  }
  if (op < 45) return pick([['XTRIM', key, 'MAXLEN', pick(['~', '=']), String(int(60))], ['XTRIM', key, 'MINID', pick(['~', '=']), past()], ['XTRIM', key, 'MAXLEN', '~', String(int(60)), 'LIMIT', String(int(50))]]);
  if (op < 52) return ['XDEL', key, ...Array.from({ length: int(4) + 1 }, recent)];
  if (op < 56) {
    const a = Number(past());
    return pick([['XRANGE', key, pick(['', '(']) + a, pick(['', '(']) + (a + int(60)), 'COUNT', String(int(10))], ['XREVRANGE', key, '+', pick(['-', String(a)])]]);
  }
  if (op < 59) return ['XREAD', 'COUNT', String(int(5)), 'STREAMS', key, past()];
  if (op < 62) return pick([['XINFO', 'STREAM', key], ['XINFO', 'STREAM', key, 'FULL', 'COUNT', String(int(4))], ['XLEN', key]]);
  if (op < 66) {
    const create = ['XGROUP', 'CREATE', key, group, pick(['$', '0', past()])];
    if (int(3) === 0) create.push('MKSTREAM');
    if (int(4) === 0) create.push('ENTRIESREAD', String(int(10)));
    return create;
  }
  if (op < 68) return ['XGROUP', 'SETID', key, group, pick(['$', '-', past()])];
  if (op < 69) return pick([['XGROUP', 'DESTROY', key, group], ['XGROUP', 'CREATECONSUMER', key, group, consumer], ['XGROUP', 'DELCONSUMER', key, group, consumer]]);
  if (op < 80) {
    const read = ['XREADGROUP', 'GROUP', group, consumer];
    if (int(2)) read.push('COUNT', String(int(5) + 1));
    if (int(6) === 0) read.push('NOACK');
    return [...read, 'STREAMS', key, int(4) === 0 ? past() : '>'];
  }
  if (op < 85) return ['XACK', key, group, ...Array.from({ length: int(3) + 1 }, recent)];
  if (op < 89) {
    const claim = ['XCLAIM', key, group, consumer, '0', ...Array.from({ length: int(3) + 1 }, recent)];
    if (int(2)) claim.push('JUSTID');
    if (int(4) === 0) claim.push('FORCE');
    if (int(4) === 0) claim.push('RETRYCOUNT', String(int(5)));
    if (int(6) === 0) claim.push('LASTID', `${past()}-0`);
    return claim;
  }
  if (op < 92) return ['XAUTOCLAIM', key, group, consumer, '0', pick(['0', '-', past()]), 'COUNT', String(int(4) + 1), ...(int(2) ? ['JUSTID'] : [])];
  if (op < 96) return pick([['XPENDING', key, group], ['XPENDING', key, group, '-', '+', String(int(8)), ...(int(2) ? [consumer] : [])]]);
  return pick([['XINFO', 'GROUPS', key], ['XINFO', 'CONSUMERS', key, group]]);
}

const SETTINGS: [string, string[]][] = [
  ['default node sizes', []],
  ['3 entries or 300 bytes per node', ['--stream-node-max-entries', '3', '--stream-node-max-bytes', '300']],
  ['unlimited entries, 200 bytes per node', ['--stream-node-max-entries', '0', '--stream-node-max-bytes', '200']],
];

for (const [name, options] of SETTINGS) {
  maybe(`random stream and group sequences match redis-server (${name})`, async () => {
    const pair = await ServerPair.start(options);
    try {
      for (const seed of [1, 2, 3]) {
        const prng = new Prng(seed);
        const rnd = () => prng.next();
        const ms = new Map<string, number>();
        const prefix = `rnd${seed}`;
        for (let i = 0; i < 700; i++) await compare(pair, randomCommand(rnd, prefix, ms));
        for (let k = 0; k < 3; k++) {
          await compare(pair, ['XINFO', 'STREAM', `${prefix}:${k}`, 'FULL', 'COUNT', '0']);
          await compare(pair, ['XINFO', 'STREAM', `${prefix}:${k}`]);
        }
      }
    } finally {
      await pair.stop();
    }
  });
}

test.run();
