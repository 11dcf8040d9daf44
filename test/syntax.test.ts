// The syntax notation of the command table, parsed into Redis's COMMAND DOCS argument trees.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { families } from '../src/commands/index.js';
import { keySpecsOf } from '../src/commands/key-specs.js';
import type { CommandSpec } from '../src/commands/spec.js';
import { displaySyntax, parseSyntax } from '../src/commands/syntax.js';

test('placeholders, typed by name or by annotation', () => {
  assert.equal(parseSyntax('key value', 1), [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ]);
  assert.equal(parseSyntax('key increment:double'), [
    { name: 'key', type: 'key' },
    { name: 'increment', type: 'double' },
  ]);
  // A colon that is not followed by a type is part of the name.
  assert.equal(parseSyntax('ip:port'), [{ name: 'ip:port', type: 'string' }]);
  assert.equal(parseSyntax('pattern unix-time-seconds count'), [
    { name: 'pattern', type: 'pattern' },
    { name: 'unix-time-seconds', type: 'unix-time' },
    { name: 'count', type: 'integer' },
  ]);
});

test("SET's options: oneofs of tokens and of token-led arguments", () => {
  const args = parseSyntax('key value condition=[NX | XX] [GET] expiration=[EX seconds | PX milliseconds | KEEPTTL]', 1);
  assert.equal(args.slice(2), [
    {
      name: 'condition',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ],
    },
    { name: 'get', type: 'pure-token', token: 'GET', optional: true },
    {
      name: 'expiration',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'seconds', type: 'integer', token: 'EX' },
        { name: 'milliseconds', type: 'integer', token: 'PX' },
        { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' },
      ],
    },
  ]);
  // Unnamed groups get a name made of their parts.
  assert.is(parseSyntax('[NX | XX]')[0].name, 'nx-xx');
});

test('repetition: one element, several elements, with the token repeated', () => {
  assert.equal(parseSyntax('key [key ...]', 1), [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }]);
  assert.equal(parseSyntax('[key [key ...]]'), [{ name: 'key', type: 'key', multiple: true, optional: true }]);
  assert.equal(parseSyntax('key value [key value ...]'), [
    { name: 'data', type: 'block', multiple: true, arguments: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] },
  ]);
  assert.equal(parseSyntax('[PREFIX prefix [PREFIX prefix ...]]'), [
    { name: 'prefix', type: 'string', token: 'PREFIX', multiple: true, multipleToken: true, optional: true },
  ]);
  // A bare [x ...] is zero or more x.
  assert.equal(parseSyntax('subcommand [argument ...]'), [
    { name: 'subcommand', type: 'string' },
    { name: 'argument', type: 'string', optional: true, multiple: true },
  ]);
  assert.throws(() => parseSyntax('a [b c ...]'), /repetition/);
});

test('blocks: a token with several arguments, nested optional parts', () => {
  assert.equal(parseSyntax('[LIMIT offset count]'), [
    { name: 'limit', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] },
  ]);
  assert.equal(parseSyntax('[COUNT count [ANY]]'), [
    { name: 'count', type: 'block', token: 'COUNT', optional: true, arguments: [{ name: 'count', type: 'integer' }, { name: 'any', type: 'pure-token', token: 'ANY', optional: true }] },
  ]);
  // At the top level a token takes what follows it up to the next optional part or token.
  assert.equal(parseSyntax('GROUP group consumer [NOACK] STREAMS key [key ...]', 1), [
    { name: 'group', type: 'block', token: 'GROUP', arguments: [{ name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }] },
    { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true, token: 'STREAMS' },
  ]);
  assert.equal(parseSyntax('[FILTERBY filterby=<MODULE module-name | PATTERN pattern>]'), [
    {
      name: 'filterby',
      type: 'oneof',
      token: 'FILTERBY',
      optional: true,
      arguments: [
        { name: 'module-name', type: 'string', token: 'MODULE' },
        { name: 'pattern', type: 'pattern', token: 'PATTERN' },
      ],
    },
  ]);
});

test('keys are numbered after the key specs', () => {
  const args = parseSyntax('source destination <LEFT | RIGHT>', 2);
  assert.equal(args.map((a) => a.keySpecIndex), [0, 1, undefined]);
});

test('malformed syntax is refused', () => {
  for (const bad of ['[NX | XX', 'a ]', 'a | b', 'key ...', '(a b>']) assert.throws(() => parseSyntax(bad), (e: unknown) => e instanceof SyntaxError, bad);
});

test('displaySyntax drops the annotations', () => {
  assert.is(displaySyntax('key increment:double condition=[NX | XX] ip:port'), 'key increment [NX | XX] ip:port');
});

test('every entry of the command table has a syntax that parses', () => {
  const all: CommandSpec[] = [];
  const walk = (specs: CommandSpec[]) =>
    specs.forEach((s) => {
      all.push(s);
      if (s.subcommands) walk(s.subcommands);
    });
  families.forEach(walk);
  for (const s of all) {
    const args = parseSyntax(s.syntax, keySpecsOf(s).length);
    assert.ok(Array.isArray(args), s.name);
  }
});

test.run();
