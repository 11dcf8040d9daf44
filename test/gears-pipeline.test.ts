// GearsBuilder operations, records and result serialisation through RG.PYEXECUTE, byte for
// byte against what RedisGears 1.2.13 answered (shared/REDISGEARS_REPLIES.txt). Each test works
// in a database of its own, so its KeysReader sees only its keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { lambdaError, rawOnDb, resultBytes } from './helpers/gears.js';
import type { RawClient } from './helpers/raw-client.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let nextDb = 1;

test.before(async () => {
  server = await startGearsd(['--databases', '64']);
});

test.after(async () => {
  await server.stop();
});

/** A client on a fresh, empty database. */
async function fresh(): Promise<RawClient> {
  return rawOnDb(server.port, nextDb++);
}

async function run(c: RawClient, script: string): Promise<string> {
  return (await c.call('RG.PYEXECUTE', script)).toString();
}

/** run() of a PythonReader over a fixed list, so that the input order is known. */
function gen(items: unknown[]): string {
  return `.run(lambda: (yield from ${JSON.stringify(items)}))`;
}

test('an empty database gives [[], []]', async () => {
  const c = await fresh();
  assert.is(await run(c, 'GB().run()'), '*2\r\n*0\r\n*0\r\n');
  c.close();
});

// Python's own C extension modules load inside the embedded interpreter (issue 2, point 1).
test('CPython C extension modules (math, json, decimal) import and work in a script and a step', async () => {
  const c = await fresh();
  const script =
    "import math, json, decimal\n" +
    "GB('ShardsIDReader').map(lambda r: json.dumps([math.isqrt(17), str(decimal.Decimal('1.1') + decimal.Decimal('2.2'))])).run()";
  assert.is(await run(c, script), resultBytes(['[4, "3.3"]']));
  c.close();
});

test('KeysReader record of a string key, and with readValue=False', async () => {
  const c = await fresh();
  await c.call('SET', 's', 'hello');
  assert.is(await run(c, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 's', 'type': 'string', 'value': 'hello'}"]));
  assert.is(await run(c, "GB().map(lambda x: x['value']).run()"), resultBytes(['hello']));
  assert.is(await run(c, "GB('KeysReader').map(lambda x: x).run(readValue=False)"), resultBytes(["{'event': None, 'key': 's'}"]));
  c.close();
});

test('KeysReader records of list and zset keys (RedisGears 1.2.13 bytes)', async () => {
  const l = await fresh();
  await l.call('RPUSH', 'l', 'a', 'b', 'c');
  assert.is(await run(l, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 'l', 'type': 'list', 'value': ['a', 'b', 'c']}"]));
  assert.is(await run(l, "GB().map(lambda x: x['value']).run()"), resultBytes(["['a', 'b', 'c']"]));
  assert.is(await run(l, "GB('KeysReader').map(lambda x: x).run(readValue=False)"), resultBytes(["{'event': None, 'key': 'l'}"]));
  const z = await fresh();
  await z.call('ZADD', 'z', '1', 'm1');
  assert.is(await run(z, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 'z', 'type': 'zset', 'value': None}"]));
  assert.is(await run(z, "GB().map(lambda x: x['value']).run()"), resultBytes(['None']));
  l.close();
  z.close();
});

test('KeysReader records of hash, set and stream keys (RedisGears 1.2.13 bytes)', async () => {
  const c = await fresh();
  await c.call('HSET', 'h', 'f1', 'v1', 'f2', '2');
  assert.is(await run(c, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 'h', 'type': 'hash', 'value': {'f2': '2', 'f1': 'v1'}}"]));
  assert.is(await run(c, "GB().map(lambda x: x['value']).run()"), resultBytes(["{'f2': '2', 'f1': 'v1'}"]));
  const s = await fresh();
  await s.call('SADD', 'st', 'm1');
  assert.is(await run(s, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 'st', 'type': 'set', 'value': None}"]));
  assert.is(await run(s, "GB('KeysReader').map(lambda x: x).run(readValue=False)"), resultBytes(["{'event': None, 'key': 'st'}"]));
  const x = await fresh();
  await x.call('XADD', 'x', '1-1', 'f', 'v');
  assert.is(await run(x, 'GB().map(lambda x: x).run()'), resultBytes(["{'event': None, 'key': 'x', 'type': 'unknown', 'value': None}"]));
  for (const k of [c, s, x]) k.close();
});

test('StreamReader: run(key, fromId) reads the entries after fromId', async () => {
  const c = await fresh();
  await c.call('XADD', 'x', '1-1', 'f', 'v');
  await c.call('XADD', 'x', '2-1', 'a', '1', 'b', '2');
  assert.is(await run(c, "GB('StreamReader').run('x')"),
    resultBytes(["{'key': 'x', 'id': '1-1', 'value': {'f': 'v'}}", "{'key': 'x', 'id': '2-1', 'value': {'b': '2', 'a': '1'}}"]));
  assert.is(await run(c, "GB('StreamReader').map(lambda r: r['id']).run('x', fromId='1-1')"), resultBytes(['2-1']));
  assert.is(await run(c, "GB('StreamReader').run('x', fromId='$')"), resultBytes([]));
  assert.is(await run(c, "GB('StreamReader').run('missing')"), resultBytes([]));
  assert.is(await run(c, "GB('StreamReader').run('x', fromId='bad')"), resultBytes([], ['ERR Invalid stream ID specified as stream command argument']));
  await c.call('SET', 'str', 'v');
  assert.is(await run(c, "GB('StreamReader').run('str')"), resultBytes([], ['WRONGTYPE Operation against a key holding the wrong kind of value']));
  // more entries than one batch
  for (let i = 0; i < 1200; i++) c.write(Buffer.from(`XADD big * n ${i}\r\n`));
  for (let i = 0; i < 1200; i++) await c.next();
  assert.is(await run(c, "GB('StreamReader').map(lambda r: int(r['value']['n'])).accumulate(lambda a, r: (a or 0) + r).run('big')"), resultBytes([String((1199 * 1200) / 2)]));
  c.close();
});

test('string values that are not UTF-8 become bytearray', async () => {
  const c = await fresh();
  await c.call('SET', 'bin', Buffer.from([0xff, 0xfe]));
  assert.is(await run(c, "GB().map(lambda x: type(x['value']).__name__).run()"), resultBytes(['bytearray']));
  c.close();
});

test('run(pattern) and noScan', async () => {
  const c = await fresh();
  await c.call('MSET', 'k1', 'v1', 'k2', '42', 'other', 'x');
  const keys = await run(c, "GB().map(lambda x: x['key']).sort().run('k*')");
  assert.is(keys, resultBytes(['k1', 'k2']));
  assert.is(await run(c, "GB().map(lambda x: x['value']).run('k1', noScan=True)"), resultBytes(['v1']));
  // noScan always yields one record, of type 'empty' when the key is missing.
  assert.is(await run(c, "GB().map(lambda x: x).run('missing', noScan=True)"),
    resultBytes(["{'event': None, 'key': 'missing', 'type': 'empty', 'value': None}"]));
  assert.is(await run(c, "GB().map(lambda x: x['type']).run('k?', noScan=True)"), resultBytes(['empty']));
  c.close();
});

test('KeysOnlyReader: key names, count, noScan, patternGenerator, and its TypeErrors', async () => {
  const c = await fresh();
  await c.call('MSET', 'ko:1', 'a', 'ko:2', 'b', 'x', 'c');
  assert.is(await run(c, "GB('KeysOnlyReader').sort().run('ko:*', count=1)"), resultBytes(['ko:1', 'ko:2']));
  assert.is(await run(c, "GB('KeysOnlyReader').run('ko:1', noScan=True)"), resultBytes(['ko:1']));
  assert.is(await run(c, "GB('KeysOnlyReader').run('ko:9', noScan=True)"), resultBytes([]));
  assert.is(await run(c, "GB('KeysOnlyReader').run(patternGenerator=lambda: ('x', True))"), resultBytes(['x']));
  const kw = await run(c, "GB('KeysOnlyReader').run(pattern='ko:*')");
  assert.match(kw, /^-\['Traceback.*TypeError: .*got multiple values for argument 'pattern'/);
  const mode = await run(c, "GB('KeysOnlyReader').run('ko:*', mode='async')");
  assert.match(mode, /TypeError: .*unexpected keyword argument 'mode'/);
  assert.is(await run(c, "GB('KeysOnlyReader').run('ko:*', count='x')"), resultBytes([], ['ERR value is not an integer or out of range']));
  c.close();
});

test('ShardsIDReader yields one record, "1"', async () => {
  const c = await fresh();
  assert.is(await run(c, "GB('ShardsIDReader').run()"), resultBytes(['1']));
  c.close();
});

test('PythonReader: generator items, and a plain function called until a limit', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader')${gen([1, 2, 3])}`), resultBytes(['1', '2', '3']));
  assert.is(await run(c, "GB('PythonReader').limit(3).run(lambda: 'again')"), resultBytes(['again', 'again', 'again']));
  assert.match(await run(c, "GB('PythonReader').run('*')"), /gears.error: pyreader argument must be a function/);
  c.close();
});

test('map, filter, foreach and execute() side effects', async () => {
  const c = await fresh();
  await c.call('MSET', 'k1', 'v1', 'k2', '42');
  assert.is(await run(c, "GB().filter(lambda x: x['value'] == '42').map(lambda x: x['key']).run()"), resultBytes(['k2']));
  const r = await run(c, "GB().foreach(lambda x: execute('SET', 'seen:' + x['key'], '1')).map(lambda x: x['key']).sort().run('k*')");
  assert.is(r, resultBytes(['k1', 'k2']));
  assert.is((await c.call('GET', 'seen:k1')).toString(), '$1\r\n1\r\n');
  // foreach changes made in place are visible to later steps
  assert.is(await run(c, `GB('PythonReader').foreach(lambda r: r.append(9)).run(lambda: (yield from [[1]]))`), resultBytes(['[1, 9]']));
  c.close();
});

test('flatmap expands lists last element first; other values are one record', async () => {
  const c = await fresh();
  assert.is(await run(c, "GB('ShardsIDReader').flatmap(lambda x: [1, 2, 3]).run()"), resultBytes(['3', '2', '1']));
  assert.is(await run(c, "GB('ShardsIDReader').flatmap(lambda x: []).run()"), resultBytes([]));
  assert.is(await run(c, "GB('ShardsIDReader').flatmap(lambda x: (1, 2)).run()"), resultBytes(['(1, 2)']));
});

test('accumulate, count and count of nothing', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').accumulate(lambda a, r: (a or 0) + r)${gen([1, 2, 3])}`), resultBytes(['6']));
  assert.is(await run(c, `GB('PythonReader').count()${gen(['a', 'b'])}`), resultBytes(['2']));
  assert.is(await run(c, 'GB().count().run()'), resultBytes([]));
  assert.is(await run(c, "GB().accumulate(lambda a, r: 1).run()"), resultBytes([]));
  // an accumulator returning None still emits it
  assert.is(await run(c, `GB('PythonReader').accumulate(lambda a, r: None)${gen([1])}`), resultBytes(['None']));
  c.close();
});

test('groupby and countby emit in RedisGears dict order', async () => {
  const c = await fresh();
  // The orders RedisGears printed for these inputs (REDISGEARS_REPLIES parts A and C).
  assert.is(await run(c, `GB('PythonReader').groupby(lambda x: x[0], lambda k, a, r: (a or 0) + 1)${gen(['h1', 'k2', 'k1', 'l1'])}`),
    resultBytes(["{'key': 'l', 'value': 1}", "{'key': 'k', 'value': 2}", "{'key': 'h', 'value': 1}"]));
  assert.is(await run(c, `GB('PythonReader').groupby(lambda x: x[0], lambda k, a, r: (a or 0) + 1)${gen(['l1', 'k1', 'k2', 'h1'])}`),
    resultBytes(["{'key': 'l', 'value': 1}", "{'key': 'h', 'value': 1}", "{'key': 'k', 'value': 2}"]));
  assert.is(await run(c, `GB('PythonReader').countby()${gen(['hash', 'string', 'string', 'list'])}`),
    resultBytes(["{'key': 'hash', 'value': 1}", "{'key': 'list', 'value': 1}", "{'key': 'string', 'value': 2}"]));
  assert.is(await run(c, `GB('PythonReader').countby()${gen(['list', 'string', 'string', 'hash'])}`),
    resultBytes(["{'key': 'list', 'value': 1}", "{'key': 'hash', 'value': 1}", "{'key': 'string', 'value': 2}"]));
  // a builtin extractor works too (wrapped), and keys that are not str are repr()'d
  assert.is(await run(c, `GB('PythonReader').countby(len).map(lambda r: r['key'] + ':' + str(r['value'])).sort()${gen(['a', 'bb', 'cc'])}`),
    resultBytes(['1:1', '2:2']));
  assert.is(await run(c, `GB('PythonReader').localgroupby(lambda x: x, lambda k, a, r: k)${gen([7])}`),
    resultBytes(["{'key': '7', 'value': '7'}"]));
  c.close();
});

test('batchgroupby gives the reducer each key\'s records, keys in reverse first-seen order', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').batchgroupby(lambda x: x[0], lambda k, rs: rs)${gen(['a1', 'b1', 'a2'])}`),
    resultBytes(["{'key': 'b', 'value': ['b1']}", "{'key': 'a', 'value': ['a1', 'a2']}"]));
  c.close();
});

test('aggregate, aggregateby, avg, distinct', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').aggregate([], lambda a, r: a + [r], lambda a, r: a + r)${gen(['l1', 'k1', 'k2', 'h1'])}`),
    resultBytes(["['l1', 'k1', 'k2', 'h1']"]));
  // a falsy accumulator is replaced by a fresh copy of the zero value
  assert.is(await run(c, `GB('PythonReader').aggregate(0, lambda a, r: a + r - r, lambda a, r: a + r)${gen([5, 6])}`), resultBytes(['0']));
  assert.is(await run(c, `GB('PythonReader').aggregateby(lambda x: x % 2, 0, lambda k, a, r: a + r, lambda k, a, r: a + r)${gen([1, 2, 3])}`),
    resultBytes(["{'key': '1', 'value': 4}", "{'key': '0', 'value': 2}"]));
  assert.is(await run(c, `GB('PythonReader').avg()${gen(['1', '2', '6'])}`), resultBytes(['3.0']));
  assert.is(await run(c, 'GB().avg().run()'), resultBytes([]));
  assert.is(await run(c, `GB('PythonReader').distinct().map(lambda x: 1).count()${gen(['a', 'b', 'a'])}`), resultBytes(['2']));
  c.close();
});

test('sort is ascending by default (descending inside, flatmap reverses), and reverse=False descends', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').sort()${gen(['k1', 'l1', 'h1', 'k2'])}`), resultBytes(['h1', 'k1', 'k2', 'l1']));
  assert.is(await run(c, `GB('PythonReader').sort(False)${gen(['k1', 'l1', 'h1', 'k2'])}`), resultBytes(['l1', 'k2', 'k1', 'h1']));
  assert.is(await run(c, 'GB().sort().run()'), resultBytes([]));
  c.close();
});

test('limit(length, start), collect() and repartition() stand-alone', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').limit(2, 1)${gen([0, 1, 2, 3])}`), resultBytes(['1', '2']));
  assert.is(await run(c, `GB('PythonReader').limit(-1)${gen([0, 1])}`), resultBytes(['0', '1']));
  assert.is(await run(c, `GB('PythonReader').collect().repartition(lambda x: x).map(lambda x: x * 2)${gen([1, 2])}`), resultBytes(['2', '4']));
  // steps before the limit stop once a record past the window arrived (RedisGears pulls one more)
  await run(c, `GB('PythonReader').foreach(lambda x: execute('INCR', 'limit:seen')).limit(2)${gen([0, 1, 2, 3, 4, 5])}`);
  assert.is((await c.call('GET', 'limit:seen')).toString(), '$1\r\n3\r\n');
  c.close();
});

test('results are str(record) by default; convertToStr=False encodes by §2.1', async () => {
  const c = await fresh();
  await c.call('SET', 's', 'hello');
  const cases: [string, string][] = [
    ['1', '$1\r\n1\r\n'], ['-7', '-7\r\n'], ['2**70', '$22\r\n1180591620717411303424\r\n'], ['1.5', '$3\r\n1.5\r\n'],
    ['True', '$4\r\nTrue\r\n'], ['None', '$4\r\nNone\r\n'], ["b'bytes'", "$8\r\nb'bytes'\r\n"], ["[1, 'a', [2]]", "$13\r\n[1, 'a', [2]]\r\n"],
    ["{'a': 1}", "$8\r\n{'a': 1}\r\n"], ["'+OK-ish simple'", '+OK-ish simple\r\n'], ["'-ERR-ish'", '-ERR-ish\r\n'], ["''", '$0\r\n\r\n'],
  ];
  for (const [expr, bytes] of cases) {
    assert.is(await run(c, `GB().map(lambda x: ${expr}).run()`), `*2\r\n*1\r\n${bytes}*0\r\n`, expr);
  }
  const raw: [string, string][] = [
    ['1', ':1\r\n'], ['True', ':1\r\n'], ['False', ':0\r\n'], ['1.5', '$8\r\n1.500000\r\n'], ['None', '$9\r\nPY RECORD\r\n'],
    ["{'a': 1}", '$9\r\nPY RECORD\r\n'], ['(1, 2)', '$9\r\nPY RECORD\r\n'], ["[1, 'a', [2.5]]", '*3\r\n:1\r\n$1\r\na\r\n*1\r\n$8\r\n2.500000\r\n'],
    ["'+OK'", '+OK\r\n'], ["'-boom'", '-boom\r\n'], ["'+'", '$1\r\n+\r\n'], ["b'raw'", '$3\r\nraw\r\n'],
  ];
  for (const [expr, bytes] of raw) {
    assert.is(await run(c, `GB().map(lambda x: ${expr}).run(convertToStr=False)`), `*2\r\n*1\r\n${bytes}*0\r\n`, expr);
  }
  c.close();
});

test('steps and readers refuse bad arguments with RedisGears\' texts', async () => {
  const c = await fresh();
  const cases: [string, string][] = [
    ['GB().map()', 'wrong number of args to map function'],
    ['GB().map(str)', 'map argument must be a function'],
    ['GB().filter(1)', 'filter argument must be a function'],
    ['GB().groupby(lambda x: x)', 'wrong number of args to groupby function'],
    ['GB().localgroupby(1, lambda k, a, r: a)', 'groupby extractor argument must be a function'],
    ['GB().groupby(lambda x: x, 1)', 'groupby reducer argument must be a function'],
    ['GB().batchgroupby(1, 2)', 'batchgroupby extractor argument must be a function'],
    ['GB().limit()', 'wrong number of args to limit function'],
    ["GB().limit('a')", 'limit argument must be a number'],
    ['GB().collect(1)', 'wrong number of args to collect function'],
    ['GB(1)', 'reader argument must be a string'],
    ["GB('NoSuchReader')", 'The given reader does not exists'],
    ["GB('KeysReader', desc=1)", 'desc argument must be a string'],
    ['GB().run(1)', 'regex argument must be a string'],
    ["GB().run(noScan='yes')", 'exactMatch value is not boolean'],
    ['GB().run(readValue=1)', 'readValue value is not boolean'],
    ['GB().run(mode=1)', 'execution mode must be a string'],
    ["GB().run(mode='sync')", 'unknown execution mode'],
    ["GB('CommandReader').run()", 'Given reader do not support run or not exists'],
    ["GB('StreamReader').run('s', fromId=1)", 'fromId argument must be a string'],
  ];
  for (const [script, text] of cases) {
    const r = await run(c, script);
    assert.ok(r.startsWith("-['Traceback (most recent call last):") && r.includes(`gears.error: ${text}\\n']`), `${script}: ${r}`);
  }
  assert.is(await run(c, 'GB().flatMap(lambda x: x).run()'),
    `-['Traceback (most recent call last):\\n', '  File "<string>", line 1, in <module>\\n', "AttributeError: 'GearsBuilder' object has no attribute 'flatMap'\\n"]\r\n`);
  c.close();
});

test('a step error ends the reader: results so far plus one error', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('PythonReader').map(lambda x: 1/0 if x == 3 else x)${gen([1, 2, 3, 4, 5])}`),
    resultBytes(['1', '2'], [lambdaError('ZeroDivisionError', 'division by zero')]));
  // a failing filter is an error, not a dropped record; a failing accumulator is thrown away
  assert.is(await run(c, `GB('PythonReader').filter(lambda x: x / 0)${gen([1])}`),
    resultBytes([], [lambdaError('ZeroDivisionError', 'division by zero')]));
  assert.is(await run(c, `GB('PythonReader').accumulate(lambda a, r: (a or 0) + 1 if r < 3 else 1/0)${gen([1, 2, 3, 4])}`),
    resultBytes([], [lambdaError('ZeroDivisionError', 'division by zero')]));
  c.close();
});

test('flat_error, log levels and gears.error from execute()', async () => {
  const c = await fresh();
  assert.is(await run(c, `GB('ShardsIDReader').map(lambda x: flat_error('plain text')).run()`), resultBytes([], ['plain text']));
  assert.is(await run(c, `GB('ShardsIDReader').map(lambda x: execute('NOSUCHCMD')).run()`),
    resultBytes([], [lambdaError('gears.error', 'No such file or directory')]));
  assert.is(await run(c, `GB('ShardsIDReader').map(lambda x: execute('GET')).run()`),
    resultBytes([], [lambdaError('gears.error', 'Invalid argument')]));
  assert.is(await run(c, `GB('ShardsIDReader').map(lambda x: execute('INCR', 'k') and execute('INCRBY', 'k', 'x')).run()`),
    resultBytes([], [lambdaError('gears.error', 'ERR value is not an integer or out of range')]));
  assert.is(await run(c, `GB('ShardsIDReader').map(lambda x: execute()).run()`), resultBytes(['[]']));
  assert.match(await run(c, "log('x', level='loud')"), /Log level should be one of the following : debug,verbose,notice,warning/);
  assert.match(await run(c, 'log(1)'), /Log message must be a string/);
  assert.is(await run(c, "log('a line from a test', level='warning')"), '+OK\r\n');
  c.close();
});

test('execute() replies as Python objects (§2.3)', async () => {
  const c = await fresh();
  await c.call('MSET', 'a', '1', 'b', Buffer.from([0xff]));
  const r = await run(c, `GB('ShardsIDReader').map(lambda x: repr([execute('SET', 'c', 3), execute('GET', 'a'), execute('GET', 'nope'), execute('MGET', 'a', 'nope', 'b'), execute('INCR', 'c'), execute('PING')])).run()`);
  assert.is(r, resultBytes(["['OK', '1', None, ['1', None, bytearray(b'\\xff')], 4, 'PONG']"]));
  // arguments: bytes raw, anything else str(x)
  await run(c, "execute('SET', b'raw', 1.5)");
  assert.is((await c.call('GET', 'raw')).toString(), '$3\r\n1.5\r\n');
  c.close();
});

test('the gears module: import gears / redisgears, hashtag, configGet, isAsyncAllow', async () => {
  const c = await fresh();
  assert.is(await run(c, "import gears\nGB('ShardsIDReader').map(lambda x: gears.hashtag()).run()"), resultBytes(['06S']));
  assert.is(await run(c, "from redisgears import executeCommand\nGB('ShardsIDReader').map(lambda x: executeCommand('PING')).run()"), resultBytes(['PONG']));
  assert.is(await run(c, "GB('ShardsIDReader').map(lambda x: [configGet('MaxExecutions'), gearsConfigGet('nope', 'dflt'), isAsyncAllow(), __name__]).run()"),
    resultBytes(["[None, 'dflt', True, 'not_main']"]));
  assert.match(await run(c, 'configGet(1)'), /get_config key must be a string/);
  const thread = [
    'import threading',
    'out = []',
    'def f():',
    '    try:',
    '        GB()',
    '    except Exception as e:',
    '        out.append(str(e))',
    't = threading.Thread(target=f)',
    't.start()',
    't.join()',
    "raise Exception(out[0] + '|' + str(isAsyncAllow()))",
  ].join('\n');
  assert.match(await run(c, thread), /Exception: Can not create a gearsCtx on a python created thread\|False/);
  c.close();
});

test.run();
