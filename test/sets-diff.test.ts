// Set commands against a real redis-server: fixed sequences compared byte for byte
// (errors included), then randomised sequences from a seeded PRNG, with the default
// intset limit and a tiny one so that sets keep converting to tables.
//
// Integer sets are sorted arrays in both servers, so their SMEMBERS/SUNION... replies
// match byte for byte; a table has each server's own order, and those replies are
// compared as unordered collections. Random picks (SPOP, SRANDMEMBER) are checked for
// shape and validity, then the two servers are brought back to the same contents.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, ServerPair, type Reply } from './helpers/differential.js';
import { Prng, testSeed } from './helpers/random.js';

const diffTest = canCompare() ? test : test.skip;

diffTest('fixed sequences: replies and errors byte for byte', async () => {
  const pair = await ServerPair.start();
  try {
    await pair.sequence([
      ['SADD', 'i', '5', '1', '-3', '1000000', '1', '-9223372036854775808', '9223372036854775807'],
      ['SMEMBERS', 'i'],
      ['SADD', 'j', '1', '2', '3', '5'],
      ['SINTER', 'i', 'j'],
      ['SUNION', 'i', 'j'],
      ['SDIFF', 'i', 'j'],
      ['SDIFF', 'j', 'i', 'nokey'],
      ['SINTERCARD', '2', 'i', 'j'],
      ['SINTERCARD', '2', 'i', 'j', 'LIMIT', '1'],
      ['SINTERCARD', '2', 'i', 'j', 'LIMIT'],
      ['SINTERCARD', '2', 'i', 'j', 'LIMIT', '1', 'LIMIT', '0'],
      ['SINTERCARD', '0', 'i'],
      ['SINTERCARD', '-1', 'i'],
      ['SINTERCARD', 'x', 'i'],
      ['SINTERCARD', '2', 'i'],
      ['SINTERCARD', '1', 'i', 'LIMIT', '-5'],
      ['SINTERCARD', '1', 'i', 'LIMIT', 'x'],
      ['SINTERCARD', '1', 'i', 'BAD'],
      ['SINTERSTORE', 'dst', 'i', 'j'],
      ['SMEMBERS', 'dst'],
      ['SUNIONSTORE', 'dst', 'i', 'j'],
      ['SMEMBERS', 'dst'],
      ['SDIFFSTORE', 'dst', 'i', 'j'],
      ['SMEMBERS', 'dst'],
      ['SINTERSTORE', 'dst', 'i', 'nokey'],
      ['SCARD', 'dst'],
      ['SUNIONSTORE', 'dst', 'nokey', 'nokey2'],
      ['SDIFFSTORE', 'dst', 'i', 'i'],
      ['SADD', 'i', '05', '+1', '-0', ' 1'],
      ['SISMEMBER', 'i', '05'],
      ['SISMEMBER', 'i', '5'],
      ['SMISMEMBER', 'i', '5', '05', 'x', '-0'],
      ['SMISMEMBER', 'nokey', 'a', 'b'],
      ['SCARD', 'i'],
      ['SCARD', 'nokey'],
      ['SREM', 'i', '05', '+1', 'x'],
      ['SREM', 'nokey', 'a'],
      ['SMOVE', 'j', 'k', '2'],
      ['SMOVE', 'j', 'k', '2'],
      ['SMOVE', 'nokey', 'k', '2'],
      ['SMOVE', 'j', 'j', '3'],
      ['SMOVE', 'j', 'j', '4'],
      ['SMEMBERS', 'k'],
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SPOP', 'k', '0'],
      ['SPOP', 'k', '-1'],
      ['SPOP', 'k', 'x'],
      ['SPOP', 'k', '1', '2'],
      ['SPOP', 'k'],
      ['SPOP', 'k'],
      ['SADD', 'p', '1', '2', '3'],
      ['SPOP', 'p', '3'],
      ['SCARD', 'p'],
      ['SRANDMEMBER', 'nokey'],
      ['SRANDMEMBER', 'nokey', '5'],
      ['SRANDMEMBER', 'j', '0'],
      ['SRANDMEMBER', 'j', '100'],
      ['SRANDMEMBER', 'j', '1', '2'],
      ['SRANDMEMBER', 'j', 'x'],
      ['SRANDMEMBER', 'j', '-9223372036854775808'],
      ['SSCAN', 'j', '0'],
      ['SSCAN', 'j', '0', 'MATCH', '[15]', 'COUNT', '1'],
      ['SSCAN', 'j', '0', 'COUNT', '0'],
      ['SSCAN', 'j', 'abc'],
      ['SSCAN', 'nokey', '0', 'BAD'],
      ['SET', 'str', 'x'],
      ['SADD', 'str', 'a'],
      ['SMEMBERS', 'str'],
      ['SINTER', 'nokey', 'str'],
      ['SINTERCARD', '2', 'nokey', 'str'],
      ['SINTERSTORE', 'str', 'j', 'j'],
      ['SMEMBERS', 'str'],
      ['SUNION', 'j', 'str'],
      ['SDIFF', 'nokey', 'str'],
      ['SMOVE', 'j', 'str2', '1'],
      ['SET', 'str2', 'x'],
      ['SMOVE', 'j', 'str2', '1'],
      ['SMOVE', 'nokey', 'str2', '1'],
      ['SRANDMEMBER', 'str2', 'x'],
      ['SPOP', 'str2', 'x'],
      ['SSCAN', 'str2', 'x'],
      ['SSCAN', 'str2', '0'],
    ]);
  } finally {
    await pair.stop();
  }
});

diffTest('intset limit: the 513th integer, and results that stay or stop being intsets', async () => {
  const pair = await ServerPair.start(['--set-max-intset-entries', '4']);
  try {
    await pair.same('SADD', 'a', '4', '3', '2', '1');
    await pair.same('SMEMBERS', 'a');
    await pair.same('OBJECT', 'ENCODING', 'a');
    await pair.same('SADD', 'a', '0');
    await pair.same('OBJECT', 'ENCODING', 'a');
    await pair.sameUnordered(1, 'SMEMBERS', 'a');
    await pair.same('SADD', 's', '1', 'x');
    await pair.same('OBJECT', 'ENCODING', 's');
    await pair.same('SADD', 'b', '1', '2');
    await pair.same('SUNION', 'b', 'b');
    await pair.same('SINTER', 'a', 'b');
    await pair.same('SINTERSTORE', 'c', 'a', 'b');
    await pair.same('SMEMBERS', 'c');
    await pair.same('OBJECT', 'ENCODING', 'c');
    await pair.same('SUNIONSTORE', 'u', 'a', 's');
    await pair.same('OBJECT', 'ENCODING', 'u');
    // Popping most of a table keeps the rest in a fresh set: an intset again here.
    await pair.same('SADD', 'big', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10');
    await pair.same('SPOP', 'big', '0');
    await pair.same('OBJECT', 'ENCODING', 'big');
    await pair.both('SPOP', 'big', '8');
    await pair.same('SCARD', 'big');
    await pair.same('OBJECT', 'ENCODING', 'big');
    await pair.same('SDIFF', 'a', 'b');
    await pair.same('SPOP', 'b', '5');
  } finally {
    await pair.stop();
  }
});

// ---- randomised --------------------------------------------------------------------------------

const KEYS = ['s0', 's1', 's2', 's3'];
const MEMBERS = [
  ...Array.from({ length: 20 }, (_, i) => String(i)),
  '-7', '-70000', '3000000000', '-9223372036854775808', '9223372036854775807',
  '007', 'a', 'b', 'c', 'hello', 'world', '1.5', '',
];

async function members(pair: ServerPair, key: string): Promise<[string[], string[]]> {
  const [g, r] = await pair.both('SMEMBERS', key);
  const sort = (x: Reply) => (Array.isArray(x) ? (x as string[]).slice().sort() : []);
  return [sort(g), sort(r)];
}

// After a random pick, rebuilds the set on both servers from gearsd's resulting members,
// the same way on each, so contents and encodings are in step again.
async function resync(pair: ServerPair, key: string): Promise<void> {
  const [g] = await members(pair, key);
  for (const client of [pair.gearsd, pair.redis]) {
    await client.call('DEL', key);
    if (g.length) await client.call('SADD', key, ...g);
  }
  await pair.same('OBJECT', 'ENCODING', key);
}

async function randomRun(seed: number, args: string[], steps: number): Promise<void> {
  const rng = new Prng(seed);
  const pair = await ServerPair.start(args);
  try {
    await pair.same('SET', 'str', 'x');
    const someKeys = () => rng.some(rng.chance(0.05) ? [...KEYS, 'str', 'none'] : KEYS, rng.int(1, 3));
    for (let step = 0; step < steps; step++) {
      const key = rng.chance(0.95) ? rng.pick(KEYS) : rng.pick(['str', 'none']);
      const where = `seed ${seed} step ${step}`;
      switch (rng.int(0, 18)) {
        case 0:
        case 1:
        case 2: await pair.same('SADD', key, ...rng.some(MEMBERS, rng.int(1, 6))); break;
        case 3: await pair.same('SREM', key, ...rng.some(MEMBERS, rng.int(1, 4))); break;
        case 4: await pair.same('SISMEMBER', key, rng.pick(MEMBERS)); break;
        case 5: await pair.same('SMISMEMBER', key, ...rng.some(MEMBERS, rng.int(1, 4))); break;
        case 6: await pair.same('SCARD', key); break;
        case 7: await pair.sameUnordered(1, 'SMEMBERS', key); break;
        case 8: await pair.same('SMOVE', key, rng.pick(KEYS), rng.pick(MEMBERS)); break;
        case 9: await pair.sameUnordered(1, 'SINTER', ...someKeys()); break;
        case 10: await pair.sameUnordered(1, 'SUNION', ...someKeys()); break;
        case 11: await pair.sameUnordered(1, 'SDIFF', ...someKeys()); break;
        case 12: {
          const ks = someKeys();
          const limit = rng.chance(0.5) ? ['LIMIT', String(rng.int(0, 5))] : [];
          await pair.same('SINTERCARD', String(ks.length), ...ks, ...limit);
          break;
        }
        case 13: {
          const cmd = rng.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']);
          await pair.same(cmd, rng.pick(KEYS), ...someKeys());
          break;
        }
        case 14: {
          const cmd = ['SRANDMEMBER', key, ...(rng.chance(0.2) ? [] : [String(rng.int(-6, 6))])];
          const [g, r] = await pair.both(...cmd);
          if (!Array.isArray(g) || !Array.isArray(r)) {
            if (typeof g === 'string' && typeof r === 'string') {
              const [all] = await members(pair, key);
              assert.ok(all.includes(g), `${g} is a member, ${where}`);
            } else {
              assert.equal(g, r, `${cmd.join(' ')}, ${where}`);
            }
            break;
          }
          assert.is(g.length, r.length, `${cmd.join(' ')}, ${where}`);
          const [all] = await members(pair, key);
          for (const m of g) assert.ok(all.includes(m as string), `${m} is a member, ${where}`);
          if (Number(cmd[2]) > 0) assert.is(new Set(g).size, g.length, `distinct members, ${where}`);
          break;
        }
        case 15: {
          const cmd = ['SPOP', key, ...(rng.chance(0.3) ? [] : [String(rng.int(0, 6))])];
          const [before] = await members(pair, key);
          const [g, r] = await pair.both(...cmd);
          if (Array.isArray(g) && Array.isArray(r)) {
            assert.is(g.length, r.length, `${cmd.join(' ')}, ${where}`);
            assert.is(new Set(g).size, g.length, where);
            for (const m of g) assert.ok(before.includes(m as string), where);
          } else if (typeof g === 'string' && typeof r === 'string') {
            assert.ok(before.includes(g), where);
          } else {
            assert.equal(g, r, `${cmd.join(' ')}, ${where}`);
          }
          if (key !== 'str') await resync(pair, key);
          break;
        }
        case 16: await pair.sameScan(1, 'SSCAN', key, ['COUNT', '2']); break;
        case 17: await pair.same('OBJECT', 'ENCODING', key); break;
        default: {
          const [g, r] = await members(pair, key);
          assert.equal(g, r, `contents of ${key}, ${where}`);
        }
      }
    }
  } finally {
    await pair.stop();
  }
}

diffTest('randomised sequences, default intset limit', async () => {
  await randomRun(testSeed(424242), [], 1500);
});

diffTest('randomised sequences, tiny intset limit (frequent conversions)', async () => {
  await randomRun(testSeed(99), ['--set-max-intset-entries', '3'], 1500);
});

test.run();
