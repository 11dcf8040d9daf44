// Bad input: thousands of random, truncated and mangled requests from a seeded generator,
// over many connections at once, while a well-behaved client keeps getting right answers.
// The server must answer or close each bad connection and stay up for everyone else.
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { Prng, testSeed } from './helpers/random.js';
import { encodeCommand } from './helpers/raw-client.js';
import { gearsdForSuite } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

// Requests that are harmless when they do parse (no SHUTDOWN, CONFIG, CLIENT KILL...).
const VALID: string[][] = [
  ['PING'], ['ECHO', 'hello world'], ['SET', 'fuzz:k', 'v'], ['GET', 'fuzz:k'], ['INCR', 'fuzz:n'], ['MGET', 'a', 'b', 'c'],
  ['MSET', 'fuzz:a', '1', 'fuzz:b', '2'], ['SELECT', '1'], ['APPEND', 'fuzz:s', 'xyz'], ['GETRANGE', 'fuzz:s', '0', '-1'],
];

function badInput(rng: Prng): Buffer {
  const pick = <T>(xs: readonly T[]) => rng.pick(xs);
  const int = (n: number) => rng.int(0, n - 1);
  const valid = () => encodeCommand(pick(VALID));
  switch (int(7)) {
    case 0: // random bytes
      return Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256)));
    case 1: {
      // a valid request cut short
      const v = valid();
      return v.subarray(0, int(v.length));
    }
    case 2: {
      // a valid request with a few bytes changed
      const v = Buffer.from(valid());
      for (let i = 0, n = 1 + int(3); i < n; i++) v[int(v.length)] = int(256);
      return v;
    }
    case 3: // absurd or negative lengths
      return Buffer.from(pick([`*${int(1e9)}\r\n`, `*1\r\n$${int(1e12)}\r\n`, `*-${int(100)}\r\n`, `*2\r\n$-${int(9)}\r\n`, `*1\r\n$3\r\nab`, `*${'9'.repeat(30)}\r\n`]));
    case 4: // inline requests with broken quoting and stray bytes
      return Buffer.from(pick(['SET "a b\r\n', "ECHO 'x\r\n", 'PING \x00\x01\x02\r\n', `${'A'.repeat(int(100000))}`, 'GET "\\x4\r\n', '"a"b\r\n']));
    case 5: // several valid requests, then garbage
      return Buffer.concat([valid(), valid(), Buffer.from(Array.from({ length: 1 + int(30) }, () => int(256)))]);
    default: // a header that promises more elements than follow
      return Buffer.from(`*${2 + int(5)}\r\n$3\r\nGET\r\n`);
  }
}

/** Sends bytes on a fresh connection; resolves once the server has answered or closed it, or after a grace period. */
function throwAt(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    const timer = setTimeout(done, 200);
    s.on('connect', () => s.write(bytes));
    s.on('data', () => {}); // read whatever comes; an incomplete request simply waits
    s.on('error', done);
    s.on('close', done);
  });
}

test('thousands of bad requests on many connections; a good client is served throughout', async () => {
  const rng = new Prng(testSeed(20241126));
  const inputs = Array.from({ length: 3000 }, () => badInput(rng));
  let goodRounds = 0;
  let stop = false;
  const good = (async () => {
    while (!stop) {
      const n = await ctx.redis.incr('good:counter');
      assert.is(n, goodRounds + 1);
      assert.is(await ctx.redis.set('good:v', `value-${n}`), 'OK');
      assert.is(await ctx.redis.get('good:v'), `value-${n}`);
      goodRounds++;
    }
  })();
  const concurrency = 40;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < inputs.length) await throwAt(ctx.server.port, inputs[next++]);
    }),
  );
  stop = true;
  await good;
  assert.ok(goodRounds > 0, 'the good client was answered');
  assert.is(ctx.server.process.exitCode, null, 'gearsd is still running');
  assert.is(await ctx.redis.ping(), 'PONG');
  // Every bad connection goes away; only the good one remains.
  let clients = Infinity;
  while (clients > 1) {
    clients = ((await ctx.redis.client('LIST')) as string).trim().split('\n').length;
    if (clients > 1) await new Promise((r) => setTimeout(r, 50));
  }
  const received = Number(/total_connections_received:(\d+)/.exec(await ctx.redis.info('stats'))![1]);
  assert.ok(received > inputs.length, `${received} connections received`);
});

test('after a protocol error the connection is closed, not half-closed: a peer that keeps writing sees it', async () => {
  const closed = await new Promise<boolean>((resolve) => {
    const s = net.connect(ctx.server.port, '127.0.0.1', () => {
      s.write('\x00');
      // 64 KB of inline request without a newline is refused; 10 MB more is plenty to notice.
      let writes = 0;
      const timer = setInterval(() => {
        s.write('payload'.repeat(1000));
        if (++writes > 1500) {
          clearInterval(timer);
          s.destroy();
          resolve(false);
        }
      }, 5);
      s.on('close', () => {
        clearInterval(timer);
        resolve(true);
      });
    });
    s.on('data', () => {});
    s.on('error', () => {});
  });
  assert.ok(closed);
});

test('a bad request in a pipeline: earlier replies arrive, then the error, then the close', async () => {
  const bytes = Buffer.concat([encodeCommand(['PING']), encodeCommand(['ECHO', 'x']), Buffer.from('*1\r\n$zz\r\n'), encodeCommand(['PING'])]);
  const got = await new Promise<string>((resolve) => {
    let out = '';
    const s = net.connect(ctx.server.port, '127.0.0.1', () => s.write(bytes));
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out));
  });
  assert.is(got, '+PONG\r\n$1\r\nx\r\n-ERR Protocol error: invalid bulk length\r\n');
});

test.run();
