// The options list: command line and config file, CONFIG SET's all-or-nothing checks,
// CONFIG GET's matching, and the values Redis keeps in a canonical form.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { Config, ConfigError, configFromArgs, outputLimit } from '../src/config.js';

test('a config file first, flags after it, flags win', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gearsd-cfg-'));
  const file = path.join(dir, 'a.conf');
  writeFileSync(file, '# comment\nport 7000\nrequirepass "two words"\nsave ""\nclient-output-buffer-limit pubsub 1mb 512kb 5\n');
  const c = configFromArgs([file, '--port', '7001', '--databases', '4']);
  assert.is(c.int('port'), 7001);
  assert.is(c.int('databases'), 4);
  assert.is(c.str('requirepass'), 'two words');
  assert.is(c.file, file);
  assert.equal(outputLimit(c, 'pubsub'), { hard: 1048576, soft: 524288, softSeconds: 5 });
  assert.equal(outputLimit(c, 'normal'), { hard: 0, soft: 0, softSeconds: 0 });
  assert.throws(() => configFromArgs(['--port']), (e: unknown) => e instanceof ConfigError && /needs a value/.test(e.message));
  assert.throws(() => configFromArgs(['--nosuch', '1']), /Unknown option/);
  assert.throws(() => configFromArgs(['--maxclients', '0']), /between 1 and 4294967295/);
});

test('setMany: checks every name before any value, changes nothing on error', () => {
  const c = new Config();
  assert.throws(() => c.setMany([['timeout', '5'], ['port', '1'], ['nosuch', '1']]), /can't set immutable config/);
  assert.throws(() => c.setMany([['timeout', 'x'], ['nosuch', '1']]), /Unknown option or number of arguments for CONFIG SET - 'nosuch'/);
  assert.throws(() => c.setMany([['timeout', '5'], ['TIMEOUT', '6']]), /argument 'TIMEOUT'\) - duplicate parameter/);
  assert.throws(() => c.setMany([['timeout', '5'], ['hz', 'fast']]), /argument 'hz'\) - argument couldn't be parsed into an integer/);
  assert.is(c.int('timeout'), 0);
  assert.equal(c.setMany([['Timeout', '5'], ['maxclients', '20']]), ['timeout', 'maxclients']);
  assert.is(c.int('timeout'), 5);
});

test('values kept in canonical form', () => {
  const c = new Config();
  c.set('notify-keyspace-events', 'EKg$lshzxetd');
  assert.is(c.format('notify-keyspace-events'), 'AKE');
  c.set('notify-keyspace-events', 'nxK');
  assert.is(c.format('notify-keyspace-events'), 'xnK');
  c.set('client-output-buffer-limit', 'normal 1mb 1mb 10 replica 1 2 3');
  assert.is(c.format('client-output-buffer-limit'), 'normal 1048576 1048576 10 slave 1 2 3 pubsub 33554432 8388608 60');
  c.set('proto-max-bulk-len', '2gb');
  assert.is(c.int('proto-max-bulk-len'), 2 * 1024 ** 3);
  assert.throws(() => c.set('proto-max-bulk-len', '-1'), /argument must be a memory value/);
  assert.throws(() => c.set('proto-max-bulk-len', '1k'), /between 1048576 and 9223372036854775807 inclusive/);
});

test('CONFIG GET matching: exact names as written, patterns by option name, each once', () => {
  const c = new Config();
  const glob = (p: string, s: string) => new RegExp(`^${p.replace(/\*/g, '.*')}$`, 'i').test(s);
  const shown = c.matching(['MAXCLIENTS', 'max*', 'maxclients'], glob).map(([name]) => name);
  assert.equal(shown, ['MAXCLIENTS', 'max-multibulk-len', 'maxmemory', 'maxmemory-policy']);
});

test.run();
