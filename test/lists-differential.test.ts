// List commands against a real redis-server, byte for byte: fixed edge cases, then long
// randomised sequences (seeded, so a failure names the seed that replays it), with small
// node sizes so that node splits, merges and re-centring are exercised as well.
import { test } from 'uvu';

import { canCompare, ServerPair } from './helpers/differential.js';
import { Prng } from './helpers/random.js';

const maybe = canCompare() ? test : test.skip;

const POOL = ['a', 'b', 'c', 'hello', '0', '1', '-1', '12345', '9223372036854775807', '', 'x'.repeat(70), 'é€', '\x00\r\n'];

function element(rnd: Prng): string {
  if (rnd.chance(0.05)) return 'v'.repeat(rnd.int(100, 3000));
  if (rnd.chance(0.2)) return String(rnd.int(-100000, 100000));
  return rnd.pick(POOL);
}

function index(rnd: Prng): string {
  if (rnd.chance(0.03)) return rnd.pick(['x', '1.5', '', '99999999999999999999']);
  return String(rnd.int(-12, 12));
}

function end(rnd: Prng): string {
  return rnd.chance(0.02) ? 'middle' : rnd.pick(['LEFT', 'RIGHT', 'left', 'right']);
}

function elements(rnd: Prng): string[] {
  return Array.from({ length: rnd.int(1, 6) }, () => element(rnd));
}

/** One random list command over `keys` (the last key holds a string, for WRONGTYPE). */
function randomCommand(rnd: Prng, keys: string[]): string[] {
  const k = () => rnd.pick(keys);
  switch (rnd.int(0, 24)) {
    case 0:
    case 1:
      return ['LPUSH', k(), ...elements(rnd)];
    case 2:
    case 3:
      return ['RPUSH', k(), ...elements(rnd)];
    case 4:
      return [rnd.pick(['LPUSHX', 'RPUSHX']), k(), ...elements(rnd)];
    case 5:
      return [rnd.pick(['LPOP', 'RPOP']), k()];
    case 6:
      return [rnd.pick(['LPOP', 'RPOP']), k(), rnd.chance(0.1) ? rnd.pick(['-1', 'x', '0']) : String(rnd.int(1, 8))];
    case 7:
      return ['LLEN', k()];
    case 8:
    case 9:
      return ['LRANGE', k(), index(rnd), index(rnd)];
    case 10:
      return ['LINDEX', k(), index(rnd)];
    case 11:
      return ['LSET', k(), index(rnd), element(rnd)];
    case 12:
      return ['LINSERT', k(), rnd.chance(0.03) ? 'AROUND' : rnd.pick(['BEFORE', 'AFTER', 'before']), element(rnd), element(rnd)];
    case 13:
      return ['LREM', k(), String(rnd.int(-3, 3)), element(rnd)];
    case 14:
      return ['LTRIM', k(), index(rnd), index(rnd)];
    case 15: {
      const cmd = ['LPOS', k(), element(rnd)];
      if (rnd.chance(0.5)) cmd.push('RANK', rnd.pick(['1', '2', '-1', '-3', '0', 'x']));
      if (rnd.chance(0.5)) cmd.push('COUNT', rnd.pick(['0', '1', '2', '-1']));
      if (rnd.chance(0.3)) cmd.push('MAXLEN', rnd.pick(['0', '3', '10', '-2']));
      if (rnd.chance(0.02)) cmd.push('BOGUS');
      return cmd;
    }
    case 16:
      return ['LMOVE', k(), k(), end(rnd), end(rnd)];
    case 17:
      return ['RPOPLPUSH', k(), k()];
    case 18: {
      const n = rnd.chance(0.05) ? rnd.pick(['0', '-1', 'x', '9']) : String(rnd.int(1, 3));
      const ks = Array.from({ length: Math.max(1, Number(n) || 1) }, k);
      const cmd = ['LMPOP', n, ...ks, end(rnd)];
      if (rnd.chance(0.5)) cmd.push('COUNT', rnd.pick(['1', '3', '100', '0', '-1']));
      return cmd;
    }
    case 19:
      return [rnd.pick(['BLPOP', 'BRPOP']), k(), k(), rnd.pick(['0.01', '-1', 'x', '0.001'])];
    case 20:
      return ['BLMOVE', k(), k(), end(rnd), end(rnd), rnd.pick(['0.01', '-0.5'])];
    case 21:
      return ['BRPOPLPUSH', k(), k(), '0.01'];
    case 22: {
      const cmd = ['BLMPOP', rnd.pick(['0.01', 'inf']), '2', k(), k(), end(rnd)];
      if (rnd.chance(0.5)) cmd.push('COUNT', String(rnd.int(1, 4)));
      return cmd;
    }
    case 23:
      return ['LRANGE', k(), '0', '-1'];
    default:
      return ['LINDEX', k(), String(rnd.int(-3, 3))];
  }
}

/** Long lists: thousands of elements, then changes in their middle (node splits). */
async function longListRun(pair: ServerPair, seed: number): Promise<void> {
  const rnd = new Prng(seed);
  const key = `long${seed}`;
  for (let i = 0; i < 60; i++) await pair.same(rnd.pick(['LPUSH', 'RPUSH']), key, ...Array.from({ length: 50 }, () => element(rnd)));
  for (let i = 0; i < 300; i++) {
    const mid = String(rnd.int(-3000, 3000));
    const cmd = rnd.pick([
      ['LINSERT', key, rnd.pick(['BEFORE', 'AFTER']), element(rnd), element(rnd)],
      ['LSET', key, mid, element(rnd)],
      ['LINDEX', key, mid],
      ['LRANGE', key, mid, String(Number(mid) + rnd.int(0, 120))],
      ['LREM', key, String(rnd.int(-2, 2)), element(rnd)],
      ['LPOS', key, element(rnd), 'RANK', String(rnd.int(1, 3) * rnd.pick([1, -1])), 'COUNT', String(rnd.int(0, 3))],
      ['LTRIM', key, String(rnd.int(0, 5)), String(rnd.int(-6, -1))],
      [rnd.pick(['LPOP', 'RPOP']), key, String(rnd.int(1, 30))],
    ]);
    await pair.same(...cmd).catch((e: Error) => {
      throw new Error(`seed ${seed}, step ${i}: ${e.message}`);
    });
  }
  await pair.same('LRANGE', key, '0', '-1');
}

async function randomRun(pair: ServerPair, seed: number, steps: number): Promise<void> {
  const rnd = new Prng(seed);
  const keys = [`r${seed}:a`, `r${seed}:b`, `r${seed}:c`, `r${seed}:s`];
  await pair.same('SET', keys[3], 'not a list');
  for (let i = 0; i < steps; i++) {
    const cmd = randomCommand(rnd, keys);
    await pair.same(...cmd).catch((e: Error) => {
      throw new Error(`seed ${seed}, step ${i}: ${e.message}`);
    });
    if (i % 50 === 49) for (const key of keys.slice(0, 3)) await pair.same('LRANGE', key, '0', '-1');
  }
}

for (const fill of ['-2', '4', '1', '-1']) {
  let pair: ServerPair;
  const suite = `list-max-listpack-size ${fill}: `;

  maybe(`${suite}start`, async () => {
    pair = await ServerPair.start(['--list-max-listpack-size', fill]);
  });

  maybe(`${suite}edge cases`, async () => {
    await pair.sequence([
      ['RPUSH', 'e:l', 'a', 'b', 'c', 'b', 'a'],
      ['LPOS', 'e:l', 'b', 'RANK', '-1'],
      ['LPOS', 'e:l', 'b', 'RANK', '-9223372036854775808'],
      ['LPOS', 'e:l', 'a', 'COUNT', '0', 'RANK', '2'],
      ['LPOS', 'e:missing', 'a'],
      ['LPOS', 'e:missing', 'a', 'COUNT', '1'],
      ['LPOP', 'e:l', '0'],
      ['LPOP', 'e:missing', '0'],
      ['RPOP', 'e:l', '1', '2'],
      ['LPOP', 'e:l', '-1'],
      ['LINDEX', 'e:missing', 'notanumber'],
      ['LSET', 'e:missing', '0', 'x'],
      ['LSET', 'e:l', '5', 'x'],
      ['LINSERT', 'e:l', 'middle', 'a', 'x'],
      ['LINSERT', 'e:missing', 'before', 'a', 'x'],
      ['LTRIM', 'e:missing', '0', '1'],
      ['LMPOP', '0', 'e:l', 'LEFT'],
      ['LMPOP', '2', 'e:l', 'LEFT'],
      ['LMPOP', '1', 'e:l', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
      ['BLMPOP', '0', '1', 'e:l', 'UP'],
      ['BLPOP', 'e:l', '1e300'],
      ['BLPOP', 'e:l', ' 1'],
      ['BLMOVE', 'e:l', 'e:m', 'LEFT', 'RIGHT', 'nan'],
      ['RPOPLPUSH', 'e:l', 'e:l'],
      ['LRANGE', 'e:l', '0', '-1'],
      ['LRANGE', 'e:l', '-100', '100'],
      ['LRANGE', 'e:l', '3', '1'],
      ['LTRIM', 'e:l', '2', '1'],
      ['LLEN', 'e:l'],
      ['RPUSH', 'e:c', 'x', 'y', 'z'],
      ['COPY', 'e:c', 'e:copy'],
      ['RPUSH', 'e:copy', 'w'],
      ['LRANGE', 'e:c', '0', '-1'],
      ['LRANGE', 'e:copy', '0', '-1'],
      ['TYPE', 'e:copy'],
      ['OBJECT', 'ENCODING', 'e:copy'],
      ['RENAME', 'e:copy', 'e:renamed'],
      ['LRANGE', 'e:renamed', '0', '-1'],
    ]);
  });

  maybe(`${suite}randomised sequences`, async () => {
    for (const seed of [1, 2, 3]) await randomRun(pair, seed * 1000 + Number(fill) + 10, 600);
  });

  maybe(`${suite}long lists`, async () => {
    for (const seed of [5, 6]) await longListRun(pair, seed * 1000 + Number(fill) + 10);
  });

  maybe(`${suite}stop`, async () => {
    await pair.stop();
  });
}

test.run();
