// Connection and server commands against a real redis-server 7.0: byte for byte where the
// reply is deterministic, shape for shape where ids, addresses and times differ.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, ServerPair } from './helpers/differential.js';
import { RawClient } from './helpers/raw-client.js';
import { decodeReply, pairs, shape, type Reply } from './helpers/resp.js';

const t = canCompare() ? test : test.skip;
let pair: ServerPair;

test.before(async () => {
  if (canCompare()) pair = await ServerPair.start();
});

test.after(async () => {
  await pair?.stop();
});

const both = (...args: string[]) => pair.both(...args);

t('PING, ECHO, SELECT and their errors', async () => {
  await pair.sequence([
    ['PING'], ['PING', 'hello'], ['PING', 'a', 'b'], ['ECHO', 'x y'], ['ECHO'],
    ['SELECT', '3'], ['SELECT', '-1'], ['SELECT', '99'], ['SELECT', 'abc'], ['SELECT', '0'],
  ]);
});

t('AUTH without a configured password', async () => {
  await pair.sequence([
    ['AUTH', 'secret'], ['AUTH', 'default', 'anything'], ['AUTH', 'nobody', 'x'], ['AUTH', 'a', 'b', 'c'], ['AUTH'],
  ]);
});

t('HELLO: errors are identical, the reply has the same keys and shape', async () => {
  await pair.sequence([
    ['HELLO', 'abc'], ['HELLO', '1'], ['HELLO', '4'], ['HELLO', '2', 'FOO'], ['HELLO', '2', 'AUTH', 'default'],
    ['HELLO', '2', 'SETNAME', 'bad name'], ['HELLO', '2', 'AUTH', 'nobody', 'x'],
  ]);
  const [g, r] = await both('HELLO', '2', 'SETNAME', 'conn1');
  const gm = pairs(g);
  const rm = pairs(r);
  assert.equal(Object.keys(gm), Object.keys(rm));
  for (const k of ['server', 'version', 'proto', 'mode', 'role']) assert.equal(gm[k], rm[k], k);
  assert.is(typeof gm.id, 'number');
  await pair.same('CLIENT', 'GETNAME');
});

t('CLIENT subcommands: replies and errors', async () => {
  await pair.sequence([
    ['CLIENT', 'SETNAME', 'worker-1'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'bad name'], ['CLIENT', 'SETNAME', 'a\nb'],
    ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'],
    ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'off'], ['CLIENT', 'NO-EVICT', 'maybe'],
    ['CLIENT', 'REPLY', 'maybe'], ['CLIENT', 'REPLY', 'on'],
    ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', 'abc'], ['CLIENT', 'KILL', 'ID', '999999'],
    ['CLIENT', 'KILL', 'TYPE', 'nosuch'], ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'USER', 'nobody'],
    ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME'], ['CLIENT', 'KILL', 'FOO', 'bar'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'LADDR', '1.2.3.4:6'], ['CLIENT', 'KILL'],
    ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', 'abc'], ['CLIENT', 'UNBLOCK', '1', 'FOO'], ['CLIENT', 'UNBLOCK', '1', 'ERROR'],
    ['CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x'],
    ['CLIENT', 'LIST', 'TYPE', 'nosuch'], ['CLIENT', 'LIST', 'ID', 'abc'], ['CLIENT', 'LIST', 'blah'], ['CLIENT', 'LIST', 'ID', '999999'],
    ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'FOO'], ['CLIENT'], ['CLIENT', 'ID', 'extra'],
  ]);
});

t('CLIENT LIST and CLIENT INFO have the same fields in the same order', async () => {
  const fields = (v: Reply) => String(v).trim().split(' ').map((f) => f.split('=')[0]);
  const [g, r] = await both('CLIENT', 'INFO');
  assert.equal(fields(g), fields(r));
  const [gl, rl] = await both('CLIENT', 'LIST', 'TYPE', 'normal');
  assert.equal(fields(String(gl).split('\n')[0]), fields(String(rl).split('\n')[0]));
  const [gi, ri] = await both('CLIENT', 'ID');
  assert.is(typeof gi, 'number');
  assert.is(typeof ri, 'number');
});

t('RESET', async () => {
  await pair.sequence([['SELECT', '2'], ['CLIENT', 'SETNAME', 'x'], ['RESET'], ['CLIENT', 'GETNAME'], ['RESET', 'extra']]);
});

t('CONFIG GET and SET: values and error texts', async () => {
  await pair.sequence([
    ['CONFIG', 'GET', 'maxclients'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'nosuch'], ['CONFIG', 'GET', 'MAXCLIENTS'],
    ['CONFIG', 'GET', 'proto-max-bulk-len'], ['CONFIG', 'GET', 'client-output-buffer-limit'], ['CONFIG', 'GET', 'databases'],
    ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'tcp-keepalive'], ['CONFIG', 'GET', 'maxmemory-policy'], ['CONFIG', 'GET', 'appendonly'],
    ['CONFIG', 'SET', 'timeout'], ['CONFIG', 'SET', 'nosuch', '1'], ['CONFIG', 'SET', 'maxclients', 'abc'], ['CONFIG', 'SET', 'maxclients', '0'],
    ['CONFIG', 'SET', 'databases', '4'], ['CONFIG', 'SET', 'timeout', '0', 'timeout', '1'], ['CONFIG', 'SET', 'loglevel', 'bogus'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '100'], ['CONFIG', 'SET', 'proto-max-bulk-len', 'lots'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 0 0 0'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1x 0 0'],
    ['CONFIG', 'SET', 'timeout', '5', 'nosuch', '1'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'timeout', '5', 'maxclients', 'x'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'hz', '1000'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'hz', '10'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 512kb 10'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 0 0 0 normal 0 0 0'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ''], ['CONFIG', 'SET', 'loglevel', 'WARNING'], ['CONFIG', 'GET', 'loglevel'],
    ['CONFIG', 'SET', 'loglevel', 'notice'], ['CONFIG', 'RESETSTAT'], ['CONFIG', 'REWRITE'], ['CONFIG', 'NOSUCH'], ['CONFIG'],
  ]);
});

t('CONFIG GET with several patterns returns the same map', async () => {
  const [g, r] = await both('CONFIG', 'GET', 'maxclients', 'time*', 'max*', 'proto-max-bulk-len');
  const gm = pairs(g);
  const rm = pairs(r);
  // Every option gearsd reports under these patterns, Redis reports with the same value...
  for (const k of ['maxclients', 'timeout', 'proto-max-bulk-len', 'maxmemory', 'maxmemory-policy']) assert.is(gm[k], rm[k], k);
  // ...and gearsd's own max-multibulk-len is the only name Redis lacks.
  assert.equal(Object.keys(gm).filter((k) => !(k in rm)), ['max-multibulk-len']);
});

t('INFO: section layout, unknown sections, keyspace lines', async () => {
  await pair.sequence([['SELECT', '9'], ['INFO', 'nosuch'], ['INFO', 'keyspace'], ['SET', 'a', '1'], ['INFO', 'keyspace'], ['INFO', 'KEYSPACE', 'nosuch']]);
  const titles = (v: Reply) => String(v).split('\r\n').filter((l) => l.startsWith('# '));
  const [g, r] = await both('INFO');
  // Errorstats is the one default section gearsd leaves out (docs/compatibility.md).
  assert.equal(titles(g), titles(r).filter((x) => x !== '# Errorstats'));
  const [gs, rs] = await both('INFO', 'server', 'clients');
  assert.equal(titles(gs), titles(rs));
  const [gc] = await both('INFO', 'clients');
  assert.match(String(gc), /\r\nconnected_clients:\d+\r\n/);
});

t('MODULE, SHUTDOWN and TIME', async () => {
  await pair.sequence([
    ['MODULE', 'NOSUCH'], ['MODULE'], ['MODULE', 'LIST', 'x'], ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'FOO'], ['SHUTDOWN', 'SAVE', 'NOSAVE'],
    ['SHUTDOWN', 'ABORT', 'NOW'], ['TIME', 'x'],
  ]);
  const [g, r] = await both('TIME');
  assert.equal(shape(g), shape(r));
  const [gh, rh] = await both('MODULE', 'HELP');
  assert.ok(Array.isArray(gh) && Array.isArray(rh));
  assert.is((gh as string[])[0], (rh as string[])[0]);
  assert.equal((gh as string[]).slice(-2), (rh as string[]).slice(-2));
  const [gl] = await both('MODULE', 'LIST');
  assert.equal(pairs((gl as Reply[])[0]).name, 'rg');
});

t('COMMAND INFO of every connection and server command matches Redis byte for byte', async () => {
  const names = decodeReply(await pair.gearsd.call('COMMAND', 'LIST')) as string[];
  const mine = names.filter((n) => /^(ping|echo|quit|select|auth|hello|reset|client|info|time|shutdown|config|module|command)(\||$)/.test(n));
  assert.ok(mine.length > 30);
  for (const name of mine) {
    const [g, r] = await both('COMMAND', 'INFO', name);
    const gi = (g as Reply[])[0] as Reply[];
    const ri = (r as Reply[])[0] as Reply[];
    // Containers list their subcommands in hash order in Redis, and Redis has more of them.
    if (name === 'client' || name === 'config' || name === 'module' || name === 'command') {
      assert.equal(gi.slice(0, 9), ri.slice(0, 9), name);
      continue;
    }
    await pair.same('COMMAND', 'INFO', name);
  }
});

t('COMMAND GETKEYS and its errors', async () => {
  await pair.sequence([
    ['COMMAND', 'GETKEYS', 'GET', 'a'], ['COMMAND', 'GETKEYS', 'MGET', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2'],
    ['COMMAND', 'GETKEYS', 'ECHO', 'x'], ['COMMAND', 'GETKEYS', 'NOSUCH', 'x'], ['COMMAND', 'GETKEYS', 'GET'], ['COMMAND', 'GETKEYS', 'GET', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'CLIENT', 'LIST'], ['COMMAND', 'GETKEYS', 'CLIENT', 'NOSUCH'], ['COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'MGET', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'GET', 'k'], ['COMMAND', 'GETKEYS'],
  ]);
});

t('COMMAND LIST filters, COMMAND errors', async () => {
  await pair.sequence([
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'client|getname'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CLIENT|GETN*'],
    ['COMMAND', 'LIST', 'FILTERBY', 'FOO', 'x'], ['COMMAND', 'LIST', 'FILTERBY'], ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch'],
    ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'], ['COMMAND', 'NOSUCH'], ['COMMAND', 'COUNT', 'x'],
    ['COMMAND', 'INFO', 'nosuchcommand'], ['COMMAND', 'DOCS', 'nosuchcommand'], ['COMMAND', 'INFO', 'get', 'nosuch', 'client|id'],
  ]);
  const [g, r] = await both('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'connection');
  const redisNames = new Set(r as string[]);
  for (const n of g as string[]) assert.ok(redisNames.has(n), `${n} is @connection in gearsd but not in Redis`);
});

/** redis-cli's argument hint for a COMMAND DOCS argument list (cliConcatArguments). */
function hint(args: Reply[], sep = ' '): string {
  return args.map((a) => hintOf(pairs(a))).join(sep);
}

function hintOf(a: Record<string, Reply>): string {
  const flags = (a.flags as string[] | undefined) ?? [];
  const token = a.token === undefined ? '' : String(a.token);
  let repeat = '';
  if (a.type === 'oneof') repeat = hint(a.arguments as Reply[], '|');
  else if (a.type === 'block') repeat = hint(a.arguments as Reply[], ' ');
  else if (a.type !== 'pure-token') repeat = String(a.name);
  const tokenPart = token && a.type !== 'pure-token' ? `${token} ` : token;
  let s = tokenPart + repeat;
  if (flags.includes('multiple')) s += ` [${flags.includes('multiple_token') ? tokenPart : ''}${repeat} ...]`;
  return flags.includes('optional') ? `[${s}]` : s;
}

t('COMMAND DOCS gives redis-cli the same argument hints as Redis, for every command both have', async () => {
  const [g, r] = await both('COMMAND', 'DOCS');
  const gd = pairs(g);
  const rd = pairs(r);
  const hints = (docs: Record<string, Reply>, into: Map<string, string>) => {
    for (const [name, d] of Object.entries(docs)) {
      const m = pairs(d);
      into.set(name, m.arguments ? hint(m.arguments as Reply[]) : '');
      if (m.subcommands) hints(pairs(m.subcommands), into);
    }
  };
  const gh = new Map<string, string>();
  const rh = new Map<string, string>();
  hints(gd, gh);
  hints(rd, rh);
  let compared = 0;
  const differ: string[] = [];
  for (const [name, h] of gh) {
    if (!rh.has(name)) continue;
    if (h !== rh.get(name)) differ.push(`${name}: gearsd "${h}", redis "${rh.get(name)}"`);
    compared++;
  }
  assert.equal(differ, []);
  // The RG.* commands are RedisGears', not Redis's.
  const gears = [...gh.keys()].filter((n) => n.startsWith('rg.')).length;
  assert.ok(compared >= gh.size - gears - 1, `only ${compared} of ${gh.size - gears} commands are known to Redis`);
  // group and since come from the table too.
  for (const name of ['ping', 'client', 'config', 'command', 'info']) {
    const gm = pairs(gd[name]);
    const rm = pairs(rd[name]);
    assert.is(gm.group, rm.group, name);
    assert.is(gm.since, rm.since, name);
  }
});

/** A COMMAND DOCS argument tree without what the syntax notation cannot carry (per-argument since). */
function argTree(v: Reply): unknown {
  return (v as Reply[]).map((a) => {
    const m = pairs(a);
    delete m.since;
    delete m.deprecated_since;
    if (m.arguments) m.arguments = argTree(m.arguments) as Reply;
    return m;
  });
}

t('COMMAND DOCS argument trees equal Redis for commands whose arguments have the same names', async () => {
  for (const name of ['echo', 'ping', 'select', 'auth', 'hello', 'info', 'shutdown', 'client|unblock', 'client|no-evict', 'client|reply', 'client|setname', 'command|list', 'get', 'mget']) {
    const [g, r] = await both('COMMAND', 'DOCS', name);
    const gm = pairs(pairs(g)[name]);
    const rm = pairs(pairs(r)[name]);
    assert.equal(argTree(gm.arguments ?? []), argTree(rm.arguments ?? []), name);
  }
});

t('protocol errors: same reply, connection closed', async () => {
  for (const bad of ['*a\r\n', '*1\r\n$x\r\n', '*2\r\n+OK\r\n', '*1\r\n$-5\r\n', 'SET k "unbalanced\r\n', 'PING\r\n*1\r\n$a\r\n']) {
    const [g, r] = await Promise.all([RawClient.connect(pair.gearsdServer.port), RawClient.connect(pair.redisServer.port)]);
    g.write(bad);
    r.write(bad);
    const replies = async (c: RawClient) => {
      const out: string[] = [];
      for (;;) {
        try {
          out.push((await c.next()).toString('latin1'));
        } catch {
          return out; // closed by the server
        }
      }
    };
    const [gr, rr] = await Promise.all([replies(g), replies(r)]);
    assert.equal(gr, rr, JSON.stringify(bad));
    assert.ok(gr.length > 0 && gr[gr.length - 1].startsWith('-ERR Protocol error'));
  }
});

test.run();
