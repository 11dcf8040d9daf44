// Hash commands against a real redis-server: fixed sequences compared byte for byte
// (errors included), then randomised sequences from a seeded PRNG, with the default
// encoding limits and with tiny ones so that hashes keep converting to tables.
//
// While a hash is small both servers keep it in insertion order, so HGETALL & co. match
// byte for byte; once it is a table each server has its own order, and those replies are
// compared as unordered collections.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, ServerPair } from './helpers/differential.js';
import { Prng, testSeed } from './helpers/random.js';

const diffTest = canCompare() ? test : test.skip;

diffTest('fixed sequences: replies and errors byte for byte', async () => {
  const pair = await ServerPair.start();
  try {
    await pair.sequence([
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'h', 'a', '10', 'd', '4'],
      ['HSET', 'h', 'a'],
      ['HSET', 'h', 'a', '1', 'b'],
      ['HMSET', 'h', 'e', '5'],
      ['HMSET', 'h', 'e'],
      ['HSETNX', 'h', 'a', 'x'],
      ['HSETNX', 'h', 'z', 'x'],
      ['HGET', 'h', 'a'],
      ['HGET', 'h', 'nope'],
      ['HGET', 'nokey', 'a'],
      ['HMGET', 'h', 'a', 'nope', 'b'],
      ['HMGET', 'nokey', 'a', 'b'],
      ['HGETALL', 'h'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGETALL', 'nokey'],
      ['HLEN', 'h'],
      ['HLEN', 'nokey'],
      ['HEXISTS', 'h', 'a'],
      ['HEXISTS', 'h', 'nope'],
      ['HSTRLEN', 'h', 'a'],
      ['HSTRLEN', 'h', 'nope'],
      ['HDEL', 'h', 'a', 'nope', 'b'],
      ['HDEL', 'nokey', 'a'],
      ['HGETALL', 'h'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '0', 'MATCH', '[cd]', 'COUNT', '1'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', 'x'],
      ['HSCAN', 'h', ' 1'],
      ['HSCAN', 'h', '-1'],
      ['HSCAN', 'nokey', '0', 'BAD', 'OPTION'],
      ['HINCRBY', 'n', 'i', '5'],
      ['HINCRBY', 'n', 'i', '-9223372036854775808'],
      ['HINCRBY', 'n', 'i', '9223372036854775807'],
      ['HINCRBY', 'n', 'i', 'x'],
      ['HINCRBY', 'n', 'i', '1.5'],
      ['HSET', 'n', 's', 'abc', 'sp', ' 1', 'big', '9223372036854775807', 'f', '1.5'],
      ['HINCRBY', 'n', 's', '1'],
      ['HINCRBY', 'n', 'sp', '1'],
      ['HINCRBY', 'n', 'big', '1'],
      ['HINCRBY', 'n', 'f', '1'],
      ['HINCRBYFLOAT', 'n', 'f', '2.25'],
      ['HINCRBYFLOAT', 'n', 'new', '1e20'],
      ['HINCRBYFLOAT', 'n', 'new2', '3.0'],
      ['HINCRBYFLOAT', 'n', 'new3', '-0.0'],
      ['HINCRBYFLOAT', 'n', 'new4', '1.5e-5'],
      ['HINCRBYFLOAT', 'n', 'new4', '.1'],
      ['HINCRBYFLOAT', 'n', 'i', '0.5'],
      ['HINCRBYFLOAT', 'n', 's', '1'],
      ['HINCRBYFLOAT', 'n', 'f', 'abc'],
      ['HINCRBYFLOAT', 'n', 'f', 'inf'],
      ['HINCRBYFLOAT', 'n', 'f', '-inf'],
      ['HINCRBYFLOAT', 'n', 'f', 'nan'],
      ['HINCRBYFLOAT', 'n', 'f', ' 1'],
      ['HGETALL', 'n'],
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '5'],
      ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '100'],
      ['HRANDFIELD', 'h', '100', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', 'h', '1', 'BAD'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '9223372036854775807', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', '-9223372036854775808'],
      ['SET', 'str', 'x'],
      ['HSET', 'str', 'a', '1'],
      ['HGET', 'str', 'a'],
      ['HMGET', 'str', 'a'],
      ['HDEL', 'str', 'a'],
      ['HRANDFIELD', 'str', 'x'],
      ['HRANDFIELD', 'str', '1'],
      ['HSCAN', 'str', 'x'],
      ['HSCAN', 'str', '0'],
      ['HINCRBY', 'str', 'a', 'x'],
      ['HINCRBYFLOAT', 'str', 'a', 'x'],
      ['HDEL', 'h', 'c', 'd', 'e', 'z'],
      ['HLEN', 'h'],
      ['HSET', 'h', '', ''],
      ['HGETALL', 'h'],
    ]);
  } finally {
    await pair.stop();
  }
});

diffTest('conversion limits: a long value, many fields, HINCRBYFLOAT past the value limit', async () => {
  const pair = await ServerPair.start(['--hash-max-listpack-entries', '4', '--hash-max-listpack-value', '8']);
  try {
    const encoding = (key: string) => pair.same('OBJECT', 'ENCODING', key);
    await pair.same('HSET', 'a', 'f1', '1', 'f2', '2');
    await pair.same('HSCAN', 'a', '0');
    await pair.same('HSET', 'a', 'f3', 'exactly8');
    await encoding('a');
    await pair.same('HSCAN', 'a', '0');
    await pair.same('HSET', 'a', 'f4', 'ninebytes');
    await encoding('a');
    await pair.sameUnordered(2, 'HGETALL', 'a');
    await pair.same('HSET', 'b', 'f1', '1', 'f2', '2', 'f3', '3', 'f4', '4');
    await pair.same('HGETALL', 'b');
    await encoding('b');
    await pair.same('HSET', 'b', 'f5', '5');
    await encoding('b');
    await pair.sameUnordered(2, 'HGETALL', 'b');
    await pair.same('HSET', 'c', 'x', '1');
    await pair.same('HINCRBYFLOAT', 'c', 'x', '0.123456789');
    await encoding('c');
    await pair.sameUnordered(2, 'HGETALL', 'c');
    await pair.same('HSETNX', 'd', 'longfield', 'v');
    await encoding('d');
    await pair.same('HLEN', 'd');
    // A command's arguments are checked before any is stored: a long value given for an
    // existing field still converts.
    await pair.same('HSET', 'e', 'f', '1');
    await pair.same('HSET', 'e', 'f', 'x'.repeat(9), 'f', '2');
    await encoding('e');
    await pair.same('COPY', 'b', 'b2');
    await encoding('b2');
    await pair.sameUnordered(2, 'HGETALL', 'b2');
  } finally {
    await pair.stop();
  }
});

// ---- randomised --------------------------------------------------------------------------------

const KEYS = ['h0', 'h1', 'h2', 'str', 'none'];
const FIELDS = Array.from({ length: 24 }, (_, i) => `f${i}`);

function value(rng: Prng): string {
  switch (rng.int(0, 5)) {
    case 0: return String(rng.int(-1000, 1000));
    case 1: return (rng.next() * 200 - 100).toFixed(rng.int(0, 4));
    case 2: return 'x'.repeat(rng.int(0, 12));
    case 3: return 'long-' + 'y'.repeat(rng.int(10, 80));
    case 4: return String(rng.int(0, 9)) + '.5';
    default: return `v${rng.int(0, 99)}`;
  }
}

async function randomRun(seed: number, args: string[], steps: number): Promise<void> {
  const rng = new Prng(seed);
  const pair = await ServerPair.start(args);
  try {
    await pair.same('SET', 'str', 'a string');
    for (let step = 0; step < steps; step++) {
      const key = rng.chance(0.9) ? rng.pick(KEYS.slice(0, 3)) : rng.pick(KEYS);
      const f = () => rng.pick(FIELDS);
      const where = `seed ${seed} step ${step}`;
      switch (rng.int(0, 18)) {
        case 0:
        case 1: {
          const n = rng.int(1, 4);
          const kv = Array.from({ length: n }, () => [f(), value(rng)]).flat();
          await pair.same(rng.chance(0.8) ? 'HSET' : 'HMSET', key, ...kv);
          break;
        }
        case 2: await pair.same('HSETNX', key, f(), value(rng)); break;
        case 3: await pair.same('HGET', key, f()); break;
        case 4: await pair.same('HMGET', key, ...rng.some(FIELDS, rng.int(1, 4))); break;
        case 5: await pair.same('HDEL', key, ...rng.some(FIELDS, rng.int(1, 3))); break;
        case 6: await pair.same('HLEN', key); break;
        case 7: await pair.same('HEXISTS', key, f()); break;
        case 8: await pair.same('HSTRLEN', key, f()); break;
        case 9: await pair.same('HINCRBY', key, f(), String(rng.int(-50, 50))); break;
        case 10: await pair.same('HINCRBYFLOAT', key, f(), (rng.next() * 10 - 5).toFixed(rng.int(0, 3))); break;
        case 11: await pair.sameUnordered(2, 'HGETALL', key); break;
        case 12: await pair.sameUnordered(1, 'HKEYS', key); break;
        case 13: await pair.sameUnordered(1, 'HVALS', key); break;
        case 14: {
          const match = rng.chance(0.5) ? ['MATCH', `f${rng.int(1, 2)}*`] : [];
          await pair.sameScan(2, 'HSCAN', key, ['COUNT', '3', ...match]);
          break;
        }
        case 15: {
          // Random picks differ; their shape and their validity must not.
          const count = rng.int(-8, 8);
          const withValues = rng.chance(0.5);
          const cmd = ['HRANDFIELD', key, String(count), ...(withValues ? ['WITHVALUES'] : [])];
          const [g, r] = await pair.both(...cmd);
          if (!Array.isArray(g) || !Array.isArray(r)) {
            assert.equal(g, r, `${cmd.join(' ')}, ${where}`);
            break;
          }
          assert.is(g.length, r.length, `${cmd.join(' ')}, ${where}`);
          const [all] = await pair.both('HGETALL', key);
          const truth = new Map<string, string>();
          for (let i = 0; i < (all as string[]).length; i += 2) truth.set((all as string[])[i], (all as string[])[i + 1]);
          const step2 = withValues ? 2 : 1;
          const names: string[] = [];
          for (let i = 0; i < g.length; i += step2) {
            const name = g[i] as string;
            names.push(name);
            assert.ok(truth.has(name), `${name} is a field, ${where}`);
            if (withValues) assert.is(g[i + 1], truth.get(name), where);
          }
          if (count > 0) assert.is(new Set(names).size, names.length, `distinct fields, ${where}`);
          break;
        }
        case 16: {
          const [g, r] = await pair.both('HRANDFIELD', key);
          assert.is(g === null, r === null, where);
          break;
        }
        case 17: await pair.same('OBJECT', 'ENCODING', key); break;
        default: await pair.same('HDEL', key, ...FIELDS.slice(0, rng.int(0, 24)), 'last'); break;
      }
    }
  } finally {
    await pair.stop();
  }
}

diffTest('randomised sequences, default limits', async () => {
  await randomRun(testSeed(20261126), [], 1500);
});

diffTest('randomised sequences, tiny limits (frequent conversions)', async () => {
  await randomRun(testSeed(777), ['--hash-max-listpack-entries', '6', '--hash-max-listpack-value', '10'], 1500);
});

test.run();
