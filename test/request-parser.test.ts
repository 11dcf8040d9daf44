// The request decoder, fed whole and one byte at a time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { DEFAULT_LIMITS, ProtocolError, RequestParser, splitInlineArgs } from '../src/resp/request-parser.js';

function decode(input: Buffer, byteByByte: boolean, limits = DEFAULT_LIMITS): string[][] {
  const out: string[][] = [];
  const p = new RequestParser(limits, (argv) => out.push(argv.map((b) => b.toString('latin1'))));
  if (byteByByte) for (let i = 0; i < input.length; i++) p.feed(input.subarray(i, i + 1));
  else p.feed(input);
  return out;
}

function both(input: string | Buffer, expected: string[][], limits = DEFAULT_LIMITS): void {
  const buf = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  assert.equal(decode(buf, false, limits), expected, 'whole');
  assert.equal(decode(buf, true, limits), expected, 'byte by byte');
}

function errorOf(input: string, limits = DEFAULT_LIMITS): string {
  for (const byteByByte of [false, true]) {
    try {
      decode(Buffer.from(input, 'latin1'), byteByByte, limits);
    } catch (e) {
      assert.instance(e, ProtocolError);
      if (!byteByByte) var whole = (e as Error).message;
      else {
        assert.is((e as Error).message, whole!);
        return whole!;
      }
      continue;
    }
    throw new Error('no protocol error');
  }
  return '';
}

test('multibulk requests, pipelined', () => {
  both('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n', [['PING'], ['SET', 'k', 'hello']]);
});

test('binary-safe bulks, empty bulks and empty requests', () => {
  both('*2\r\n$3\r\na\r\n\r\n$0\r\n\r\n*0\r\n*-1\r\n*1\r\n$1\r\nx\r\n', [['a\r\n', ''], ['x']]);
  both(Buffer.concat([Buffer.from('*1\r\n$3\r\n'), Buffer.from([0, 255, 10]), Buffer.from('\r\n')]), [['\x00\xff\n']]);
});

test('inline commands with quoting', () => {
  both('PING\r\nSET k "a b\\x41\\n"\r\nECHO \'it\\\'s\'\n\r\n   \r\n', [['PING'], ['SET', 'k', 'a bA\n'], ['ECHO', "it's"]]);
  assert.equal(splitInlineArgs(Buffer.from('a "b" \'c\'')), [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
  assert.is(splitInlineArgs(Buffer.from('a "b')), null);
  assert.is(splitInlineArgs(Buffer.from('"a"b')), null);
});

test('a large bulk across many chunks is assembled once', () => {
  const big = 'x'.repeat(200000);
  const input = Buffer.from(`*2\r\n$3\r\nSET\r\n$${big.length}\r\n${big}\r\n*1\r\n$4\r\nPING\r\n`);
  const out: string[][] = [];
  const p = new RequestParser(DEFAULT_LIMITS, (argv) => out.push(argv.map(String)));
  for (let i = 0; i < input.length; i += 1000) p.feed(input.subarray(i, i + 1000));
  assert.equal(out.length, 2);
  assert.is(out[0][1].length, big.length);
  assert.equal(out[1], ['PING']);
});

test('protocol errors use Redis texts', () => {
  assert.is(errorOf('*a\r\n'), 'Protocol error: invalid multibulk length');
  assert.is(errorOf('*2\r\n+OK\r\n'), "Protocol error: expected '$', got '+'");
  assert.is(errorOf('*1\r\n$x\r\n'), 'Protocol error: invalid bulk length');
  assert.is(errorOf('*1\r\n$-5\r\n'), 'Protocol error: invalid bulk length');
  assert.is(errorOf('SET k "unbalanced\r\n'), 'Protocol error: unbalanced quotes in request');
});

test('oversized lengths are refused without waiting for (or allocating) the data', () => {
  const limits = { maxBulkLen: 1024, maxMultibulkLen: 10 };
  assert.is(errorOf('*11\r\n', limits), 'Protocol error: invalid multibulk length');
  assert.is(errorOf('*1\r\n$1025\r\n', limits), 'Protocol error: invalid bulk length');
  assert.is(errorOf('*1\r\n$99999999999999999999\r\n'), 'Protocol error: invalid bulk length');
  assert.is(errorOf('x'.repeat(70 * 1024)), 'Protocol error: too big inline request');
});

test.run();
