// Connection commands through real clients: AUTH and requirepass (also against
// redis-server), HELLO, CLIENT, RESET, QUIT, SELECT.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { rejects } from './helpers/assert.js';
import { canCompare } from './helpers/differential.js';
import { RawClient } from './helpers/raw-client.js';
import { decodeReply, errorOf, pairs, type Reply } from './helpers/resp.js';
import { connectIoredis, gearsdForSuite, startGearsd, startRedisServer } from './helpers/servers.js';

const ctx = gearsdForSuite(test);

async function call(c: RawClient, ...args: string[]): Promise<Reply> {
  return decodeReply(await c.call(...args));
}

test('with --requirepass everything but AUTH, HELLO and QUIT needs authentication; same bytes as redis-server', async () => {
  const servers = await Promise.all([startGearsd(['--requirepass', 's3cret']), ...(canCompare() ? [startRedisServer(['--requirepass', 's3cret'])] : [])]);
  try {
    const script: string[][] = [
      ['PING'], ['GET', 'k'], ['CLIENT', 'ID', 'x'], ['NOSUCH'], ['CLIENT', 'NOSUCH'], ['SELECT', '1'],
      ['AUTH', 'wrong'], ['AUTH', 'default', 'wrong'], ['AUTH', 'other', 's3cret'], ['HELLO', '2'], ['HELLO', '2', 'SETNAME', 'x'],
      ['HELLO', '2', 'AUTH', 'default', 'wrong'], ['PING'], ['AUTH', 's3cret'], ['PING'], ['AUTH', 'wrong'], ['PING'],
      ['RESET'], ['PING'], ['AUTH', 'default', 's3cret'], ['ECHO', 'in'], ['RESET'], ['QUIT'],
    ];
    const transcripts = await Promise.all(
      servers.map(async (s) => {
        const c = await RawClient.connect(s.port);
        const out: string[] = [];
        for (const cmd of script) out.push((await c.call(...cmd)).toString('latin1'));
        await c.closed();
        return out;
      }),
    );
    assert.is(transcripts[0][0], '-NOAUTH Authentication required.\r\n');
    assert.is(transcripts[0][14], '+PONG\r\n');
    if (transcripts.length === 2) assert.equal(transcripts[0], transcripts[1]);

    // HELLO AUTH authenticates in the same call.
    const c = await RawClient.connect(servers[0].port);
    const hello = pairs(await call(c, 'HELLO', '2', 'AUTH', 'default', 's3cret', 'SETNAME', 'h1'));
    assert.is(hello.proto, 2);
    assert.is(await call(c, 'CLIENT', 'GETNAME'), 'h1');
    c.close();
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});

test('CONFIG SET requirepass applies to new connections; clearing it frees waiting ones', async () => {
  const waiting = await RawClient.connect(ctx.server.port);
  assert.is(await call(waiting, 'PING'), 'PONG');
  assert.is(await ctx.redis.config('SET', 'requirepass', 'pw2'), 'OK');
  const late = await RawClient.connect(ctx.server.port);
  try {
    // The connection made before keeps its (implicit) authentication, as in Redis.
    assert.is(await call(waiting, 'PING'), 'PONG');
    const refused = await call(late, 'PING');
    assert.is(errorOf(refused), 'NOAUTH Authentication required.');
    await ctx.redis.config('SET', 'requirepass', '');
    assert.is(await call(late, 'PING'), 'PONG');
  } finally {
    await ctx.redis.config('SET', 'requirepass', '');
    waiting.close();
    late.close();
  }
});

test('HELLO: RESP2 reply with the rg module; HELLO 3 switches to RESP3, HELLO 4 is refused', async () => {
  const c = await RawClient.connect(ctx.server.port);
  const m = pairs(await call(c, 'HELLO'));
  assert.is(m.server, 'redis');
  assert.is(m.version, '7.0.15');
  assert.is(m.proto, 2);
  assert.is(m.id, await call(c, 'CLIENT', 'ID'));
  assert.is(m.mode, 'standalone');
  assert.is(m.role, 'master');
  const mod = pairs((m.modules as Reply[])[0]);
  assert.is(mod.name, 'rg');
  assert.is(mod.ver, 10213);
  assert.is((await c.call('HELLO', '4')).toString(), '-NOPROTO unsupported protocol version\r\n');
  assert.is((await c.call('GET', 'hello:nokey')).toString(), '$-1\r\n');
  const hello3 = (await c.call('HELLO', '3', 'SETNAME', 'three')).toString();
  assert.match(hello3, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n.*\$5\r\nproto\r\n:3\r\n.*\$7\r\nmodules\r\n\*1\r\n%4\r\n\$4\r\nname\r\n\$2\r\nrg\r\n/s);
  assert.is((await c.call('GET', 'hello:nokey')).toString(), '_\r\n');
  assert.match((await c.call('CLIENT', 'LIST')).toString(), / name=three .* resp=3\n/);
  // HELLO without a version keeps the protocol; RESET goes back to RESP2.
  assert.match((await c.call('HELLO')).toString(), /^%7\r\n/);
  assert.is((await c.call('RESET')).toString(), '+RESET\r\n');
  assert.is((await c.call('GET', 'hello:nokey')).toString(), '$-1\r\n');
  c.close();
});

test('CLIENT SETNAME/GETNAME/ID/INFO/LIST describe this connection', async () => {
  const named = await connectIoredis(ctx.server.port);
  try {
    await named.client('SETNAME', 'reporter');
    await named.select(3);
    const id = (await named.client('ID')) as number;
    const info = (await named.client('INFO')) as string;
    assert.ok(info.endsWith('\n'));
    assert.match(info, new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${ctx.server.port} fd=\\d+ name=reporter `));
    assert.match(info, / db=3 /);
    assert.match(info, / cmd=client\|info /);
    const list = (await ctx.redis.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.startsWith(`id=${id} `));
    assert.ok(line, 'listed');
    assert.match(line!, / name=reporter /);
    assert.match(line!, / cmd=client\|info /);
    const byId = (await ctx.redis.client('LIST', 'ID', String(id), '999999')) as string;
    assert.is(byId.trim().split('\n').length, 1);
    assert.match(byId, new RegExp(`^id=${id} `));
    assert.is(await named.client('GETNAME'), 'reporter');
  } finally {
    named.disconnect();
  }
});

test('CLIENT KILL by ID, ADDR (old form), TYPE, SKIPME', async () => {
  const victims = await Promise.all([1, 2, 3].map(() => RawClient.connect(ctx.server.port)));
  const ids = (await Promise.all(victims.map((v) => call(v, 'CLIENT', 'ID')))) as number[];
  assert.is(await ctx.redis.client('KILL', 'ID', String(ids[0])), 1);
  await victims[0].closed();
  const addr = /addr=(\S+)/.exec((await call(victims[1], 'CLIENT', 'INFO')) as string)![1];
  assert.is(await ctx.redis.client('KILL', addr), 'OK');
  await victims[1].closed();
  await rejects(ctx.redis.client('KILL', addr), /ERR No such client/);
  // TYPE normal kills every normal client but the caller (SKIPME yes by default).
  const killed = (await ctx.redis.client('KILL', 'TYPE', 'normal')) as number;
  assert.ok(killed >= 1);
  await victims[2].closed();
  assert.is(await ctx.redis.ping(), 'PONG');
  // SKIPME no: the caller is killed too, after its reply.
  const self = await RawClient.connect(ctx.server.port);
  const selfId = (await call(self, 'CLIENT', 'ID')) as number;
  assert.is(await call(self, 'CLIENT', 'KILL', 'ID', String(selfId), 'SKIPME', 'no'), 1);
  await self.closed();
});

test('CLIENT REPLY OFF, SKIP and ON', async () => {
  const c = await RawClient.connect(ctx.server.port);
  c.write(
    Buffer.concat(
      [
        ['SET', 'reply:k', 'v1'], ['CLIENT', 'REPLY', 'SKIP'], ['SET', 'reply:k', 'v2'], ['GET', 'reply:k'], ['CLIENT', 'REPLY', 'OFF'],
        ['PING'], ['GET', 'reply:k'], ['NOSUCH'], ['CLIENT', 'REPLY', 'ON'], ['ECHO', 'end'],
      ].map((a) => Buffer.from(`*${a.length}\r\n${a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`)),
    ),
  );
  const got: string[] = [];
  for (let i = 0; i < 4; i++) got.push((await c.next()).toString());
  assert.equal(got, ['+OK\r\n', '$2\r\nv2\r\n', '+OK\r\n', '$3\r\nend\r\n']);
  c.close();
});

test('CLIENT UNBLOCK wakes a blocked client (when a blocking command exists), and answers 0 otherwise', async () => {
  const other = await RawClient.connect(ctx.server.port);
  const otherId = (await call(other, 'CLIENT', 'ID')) as number;
  assert.is(await ctx.redis.client('UNBLOCK', String(otherId)), 0);
  const hasBlpop = ((await ctx.redis.command('INFO', 'blpop')) as unknown[])[0] !== null;
  if (hasBlpop) {
    other.write('*3\r\n$5\r\nBLPOP\r\n$9\r\nunblock:q\r\n$1\r\n0\r\n');
    let unblocked = 0;
    while (unblocked === 0) unblocked = (await ctx.redis.client('UNBLOCK', String(otherId), 'ERROR')) as number;
    assert.is((await other.next()).toString(), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  }
  other.close();
});

test('RESET restores a fresh connection: db 0, no name, replies on', async () => {
  const c = await RawClient.connect(ctx.server.port);
  await call(c, 'SELECT', '5');
  await call(c, 'SET', 'reset:k', 'in-5');
  await call(c, 'CLIENT', 'SETNAME', 'before');
  c.write('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n');
  assert.is(await call(c, 'RESET'), 'RESET');
  assert.is(await call(c, 'CLIENT', 'GETNAME'), null);
  assert.is(await call(c, 'GET', 'reset:k'), null);
  await call(c, 'SELECT', '5');
  assert.is(await call(c, 'GET', 'reset:k'), 'in-5');
  c.close();
});

test('requests pipelined after QUIT are not run', async () => {
  const c = await RawClient.connect(ctx.server.port);
  c.write('*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$6\r\nquit:k\r\n$1\r\nv\r\n');
  assert.is((await c.next()).toString(), '+OK\r\n');
  await c.closed();
  assert.is(await ctx.redis.get('quit:k'), null);
});

test('CLIENT INFO counts the running request in qbuf, as Redis does', async () => {
  const c = await RawClient.connect(ctx.server.port);
  const info = decodeReply(await c.call('CLIENT', 'INFO')) as string;
  assert.match(info, / qbuf=26 /); // *2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n
  c.close();
});

test('QUIT answers OK and closes; SELECT separates databases', async () => {
  const c = await RawClient.connect(ctx.server.port);
  await call(c, 'SELECT', '1');
  await call(c, 'SET', 'sel:k', 'one');
  await call(c, 'SELECT', '2');
  assert.is(await call(c, 'GET', 'sel:k'), null);
  assert.is(await call(c, 'QUIT'), 'OK');
  await c.closed();
});

test.run();
