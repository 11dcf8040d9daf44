// A client that sends requests and never reads the replies: the server stops decoding
// its requests once its output backs up (so the replies cannot pile up without bound),
// and client-output-buffer-limit disconnects it as Redis would.
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { DEFAULT_LIMITS, RequestParser } from '../src/resp/request-parser.js';
import { encodeCommand } from './helpers/raw-client.js';
import { gearsdForSuite } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

test('the decoder stops between requests when asked, and resumes where it stopped', () => {
  for (const byteByByte of [false, true]) {
    const input = Buffer.concat(Array.from({ length: 100 }, (_, i) => encodeCommand(['ECHO', String(i)])));
    const seen: string[] = [];
    let pause = true;
    const p = new RequestParser(DEFAULT_LIMITS, (argv) => seen.push(argv[1].toString()), () => pause);
    if (byteByByte) for (let i = 0; i < input.length; i++) p.feed(input.subarray(i, i + 1));
    else p.feed(input);
    assert.is(seen.length, 32, 'paused after the first check');
    assert.ok(p.isPaused);
    assert.ok(p.bufferedBytes > 0);
    p.feed(encodeCommand(['ECHO', 'late'])); // held, not decoded
    assert.is(seen.length, 32);
    pause = false;
    p.resume();
    assert.is(seen.length, 101);
    assert.equal(seen.slice(-2), ['99', 'late']);
    assert.is(p.bufferedBytes, 0);
  }
});

/** Opens a connection that pipelines `count` copies of a request and never reads. */
function nonReader(port: number, request: Buffer, count: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.pause(); // never read: the kernel buffers fill, then the server's
      s.write(Buffer.concat(Array.from({ length: count }, () => request)));
      resolve(s);
    });
    s.on('error', () => {});
  });
}

function clientLine(list: string, name: string): string | undefined {
  return list.split('\n').find((l) => l.includes(` name=${name} `));
}

test('a client that never reads: its requests wait, its pending output stays bounded', async () => {
  const value = 'v'.repeat(1024 * 1024);
  await ctx.redis.set('big', value);
  // 5000 GETs of a 1 MB value: 5 GB of replies if they were all produced.
  const request = Buffer.concat([encodeCommand(['CLIENT', 'SETNAME', 'slow']), ...Array.from({ length: 5000 }, () => encodeCommand(['GET', 'big']))]);
  const slow = await nonReader(ctx.server.port, request, 1);
  let line: string | undefined;
  // Wait until the server has stopped decoding: requests are left in its query buffer.
  for (;;) {
    line = clientLine((await ctx.redis.client('LIST')) as string, 'slow');
    if (line && Number(/ qbuf=(\d+)/.exec(line)![1]) > 0 && / omem=[1-9]/.test(line)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const omem = Number(/ omem=(\d+)/.exec(line!)![1]);
  assert.ok(omem < 256 * 1024 * 1024, `pending output ${omem} bytes`);
  const rss = Number(/used_memory_rss:(\d+)/.exec((await ctx.redis.info('memory')) as string)![1]);
  assert.ok(rss < 1024 * 1024 * 1024, `rss ${rss}`);
  // Everyone else is served meanwhile.
  assert.is(await ctx.redis.get('big'), value);
  slow.destroy();
});

test('client-output-buffer-limit normal: past the hard limit the client is closed', async () => {
  await ctx.redis.config('SET', 'client-output-buffer-limit', 'normal 4mb 0 0');
  try {
    const before = Number(/client_output_buffer_limit_disconnections:(\d+)/.exec((await ctx.redis.info('stats')) as string)![1]);
    const request = Buffer.concat([encodeCommand(['CLIENT', 'SETNAME', 'capped']), ...Array.from({ length: 200 }, () => encodeCommand(['GET', 'big']))]);
    const capped = await nonReader(ctx.server.port, request, 1);
    let after = before;
    while (after === before) {
      await new Promise((r) => setTimeout(r, 50));
      after = Number(/client_output_buffer_limit_disconnections:(\d+)/.exec((await ctx.redis.info('stats')) as string)![1]);
    }
    assert.is(after, before + 1);
    assert.is(clientLine((await ctx.redis.client('LIST')) as string, 'capped'), undefined);
    capped.destroy();
    assert.match(ctx.server.output(), /closed for overcoming of output buffer limits/);
  } finally {
    await ctx.redis.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
  }
});

test.run();
