// HyperLogLog against a real redis-server. The values are compared byte for byte (GET),
// not only the counts: that is what lets users move data between the two. Also: values
// carried across by GET and SET count the same on the other side, corrupt values get the
// same errors (and never stop the server), and the sparse limit behaves the same.
// TEST_SEED=n replays or explores another random sequence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, decodeReply, withPair } from './helpers/differential.js';
import { Prng, testSeed } from './helpers/random.js';

const diffTest = canCompare() ? test : test.skip;

const elements = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

diffTest('PFADD, PFCOUNT, PFMERGE: replies and the stored bytes', async () => {
  await withPair(async (pair) => {
    await pair.sequence([
      ['PFADD', 'h'],
      ['GET', 'h'],
      ['OBJECT', 'ENCODING', 'h'],
      ['PFADD', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFADD', 'h', 'a'],
      ['PFADD', 'h', ''],
      ['GET', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFCOUNT', 'h', 'nokey'],
      ['PFCOUNT', 'nokey'],
      ['PFCOUNT', 'nokey', 'nokey2'],
      ['PFMERGE', 'm'],
      ['GET', 'm'],
      ['PFMERGE', 'm', 'h', 'nokey'],
      ['GET', 'm'],
      ['PFDEBUG', 'ENCODING', 'm'],
      ['PFDEBUG', 'DECODE', 'm'],
      ['PFDEBUG', 'nosuch', 'm'],
      ['PFDEBUG', 'ENCODING', 'nokey'],
      ['SET', 's', 'not an hll at all'],
      ['PFADD', 's', 'a'],
      ['PFCOUNT', 's'],
      ['PFCOUNT', 'h', 's'],
      ['PFMERGE', 'h', 's'],
      ['PFMERGE', 's', 'h'],
      ['LPUSH', 'l', 'x'],
      ['PFADD', 'l', 'a'],
      ['PFCOUNT', 'l'],
      ['PFMERGE', 'm', 'l'],
      ['PFDEBUG', 'ENCODING', 'l'],
    ]);
    for (const n of [10, 100, 1000, 5000]) {
      await pair.same('PFADD', `big${n}`, ...elements(`e${n}-`, n));
      await pair.same('GET', `big${n}`);
      await pair.same('PFCOUNT', `big${n}`);
      await pair.same('PFDEBUG', 'ENCODING', `big${n}`);
    }
    await pair.same('PFCOUNT', 'big10', 'big100', 'big1000', 'big5000');
    await pair.same('PFMERGE', 'all', 'big10', 'big100');
    await pair.same('GET', 'all');
    await pair.same('PFMERGE', 'all', 'big5000');
    await pair.same('GET', 'all');
    await pair.same('PFCOUNT', 'all');
    await pair.same('PFMERGE', 'big10', 'big100');
    await pair.same('GET', 'big10');
    await pair.same('PFDEBUG', 'TODENSE', 'big100');
    await pair.same('GET', 'big100');
    await pair.same('PFDEBUG', 'TODENSE', 'big100');
    await pair.same('PFDEBUG', 'GETREG', 'big1000');
    await pair.same('GET', 'big1000');
    await pair.same('COMMAND', 'INFO', 'PFADD', 'PFCOUNT', 'PFMERGE', 'PFDEBUG', 'PFSELFTEST');
  });
});

diffTest('a small hll-sparse-max-bytes turns values dense sooner, the same way', async () => {
  await withPair(async (pair) => {
    for (let i = 0; i < 60; i++) {
      await pair.same('PFADD', 'h', `x${i}`, `y${i}`);
      await pair.same('PFDEBUG', 'ENCODING', 'h');
    }
    await pair.same('GET', 'h');
    await pair.same('CONFIG', 'SET', 'hll-sparse-max-bytes', '0');
    await pair.same('PFADD', 'z', 'a');
    await pair.same('PFADD', 'z', 'b');
    await pair.same('PFDEBUG', 'ENCODING', 'z');
    await pair.same('CONFIG', 'GET', 'hll-sparse-max-bytes');
  }, { args: ['--hll-sparse-max-bytes', '200'] });
});

diffTest('values carried across with GET and SET count the same on the other side', async () => {
  await withPair(async (pair) => {
    for (const n of [3, 200, 20000]) {
      const els = elements(`m${n}-`, n);
      await pair.redis.call('PFADD', 'r', ...els);
      await pair.gearsd.call('PFADD', 'g', ...els.map((e) => `${e}!`));
      const fromRedis = decodeReply(await pair.redis.call('GET', 'r')) as string;
      const fromGearsd = decodeReply(await pair.gearsd.call('GET', 'g')) as string;
      await pair.gearsd.call('SET', 'r', Buffer.from(fromRedis, 'latin1'));
      await pair.redis.call('SET', 'g', Buffer.from(fromGearsd, 'latin1'));
      for (const key of ['r', 'g']) {
        await pair.same('PFCOUNT', key);
        await pair.same('PFADD', key, 'one more', `and ${n}`);
        await pair.same('GET', key);
      }
      await pair.same('PFCOUNT', 'r', 'g');
      await pair.same('DEL', 'r', 'g');
    }
  });
});

diffTest('corrupt values: the same errors, and both servers still answer', async () => {
  const seed = testSeed(7);
  const rng = new Prng(seed);
  await withPair(async (pair) => {
    // Redis's own cases: bytes after the opcodes, a broken magic, an unknown encoding, a
    // dense value of the wrong length.
    await pair.sequence([
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['APPEND', 'h', 'hello'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'x', 'y', 'z'],
      ['GET', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '0', '0123'],
      ['PFCOUNT', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '4', 'x'],
      ['PFCOUNT', 'h'],
      ['PFMERGE', 'h'],
      ['DEL', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['SETRANGE', 'h', '4', '\x00'],
      ['PFCOUNT', 'h'],
      ['SET', 'short', 'HYLL'],
      ['PFCOUNT', 'short'],
      ['SET', 'int', '12345678901234567'],
      ['PFADD', 'int', 'a'],
    ]);
    // Random corruption of sparse and dense values; every reply and the bytes left
    // behind must match.
    for (let round = 0; round < 300; round++) {
      await pair.same('DEL', 'h');
      const n = rng.chance(0.8) ? rng.int(0, 300) : rng.int(1000, 3000);
      if (n > 0) await pair.same('PFADD', 'h', ...elements(`r${round}-`, n));
      await pair.same('PFCOUNT', 'h');
      const len = (decodeReply(await pair.same('STRLEN', 'h')) as number) || 1;
      for (let i = 0; i < 5; i++) {
        const pos = rng.int(0, len + 2);
        await pair.same('SETRANGE', 'h', String(pos), Buffer.from([rng.int(0, 255)]));
        if (rng.chance(0.5)) break;
      }
      await pair.same('PFCOUNT', 'h');
      await pair.same('GET', 'h');
      await pair.same('PFADD', 'h', `after${round}`, 'b', 'c', 'd');
      await pair.same('GET', 'h');
      await pair.same('PFCOUNT', 'h', 'nokey');
      await pair.same('PFMERGE', 'h2', 'h');
      await pair.same('GET', 'h');
      await pair.same('GET', 'h2');
      await pair.same('DEL', 'h2');
    }
    assert.is((decodeReply(await pair.gearsd.call('PING')) as string), 'PONG');
  }, { seed });
});

diffTest('random PFADD/PFMERGE/PFCOUNT sequences keep identical bytes', async () => {
  const seed = testSeed(99);
  const rng = new Prng(seed);
  const keys = ['a', 'b', 'c'];
  await withPair(async (pair) => {
    for (let i = 0; i < 600; i++) {
      const k = rng.pick(keys);
      switch (rng.int(0, 3)) {
        case 0:
          await pair.same('PFADD', k, ...Array.from({ length: rng.int(0, 30) }, () => `v${rng.int(0, 3000)}`));
          break;
        case 1:
          await pair.same('PFCOUNT', ...rng.some(keys, rng.int(1, 3)));
          break;
        case 2:
          await pair.same('PFMERGE', k, ...rng.some(keys, rng.int(0, 2)));
          break;
        default:
          await pair.same('GET', k);
      }
    }
  }, { args: ['--hll-sparse-max-bytes', '600'], seed });
});

test.run();
