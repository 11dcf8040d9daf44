// FUNCTION / SCRIPT / EVAL: gearsd has no Lua engine and says so; the "empty" answers
// match redis-server's for a server with no libraries.
import { test } from 'uvu';

import { canCompare, ServerPair } from './helpers/differential.js';
import { RawClient } from './helpers/raw-client.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';
import * as assert from 'uvu/assert';

let server: RunningServer;
test.before(async () => {
  server = await startGearsd();
});
test.after(async () => {
  await server.stop();
});

test('EVAL and FUNCTION LOAD name the missing engine', async () => {
  const c = await RawClient.connect(server.port);
  assert.match((await c.call('EVAL', 'return 1', '0')).toString(), /^-ERR gearsd has no Lua engine/);
  assert.is((await c.call('FUNCTION', 'LOAD', '#!lua name=lib\nreturn 1')).toString(), "-ERR Engine 'lua' not found\r\n");
  assert.is((await c.call('FUNCTION', 'LIST')).toString(), '*0\r\n');
  c.close();
});

const compare = canCompare() ? test : test.skip;

compare('empty-state answers match redis-server', async () => {
  const pair = await ServerPair.start();
  try {
    await pair.sequence([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['FUNCTION', 'FLUSH', 'NOW'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'x*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'BOGUS'],
      ['FUNCTION', 'DELETE', 'nolib'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'LOAD', 'return 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua x=1\nreturn 1'],
      ['FUNCTION', 'NOPE'],
      ['SCRIPT', 'EXISTS', 'a', 'b'],
      ['SCRIPT', 'FLUSH'],
      ['SCRIPT', 'KILL'],
    ]);
  } finally {
    await pair.stop();
  }
});

test.run();
