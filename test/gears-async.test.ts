// Async steps of RedisGears 1.2 (GEARS_API.md §4.3, §4.4, §4.6): `async def` callbacks hold
// their step while the coroutine runs on Gears' event loop, gearsFuture() and its errors,
// createFuture / setFutureResults / setFutureException / runCoroutine, run()'s awaitable,
// isAsyncAllow(), and await inside atomic(). Every script goes through RG.PYEXECUTE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { idOf, rawOnDb, resultBytes, sleep } from './helpers/gears.js';
import { RawClient } from './helpers/raw-client.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;
let single: RunningServer;  // one execution thread
let c: RawClient;

test.before(async () => {
  [server, single] = await Promise.all([startGearsd(), startGearsd(['--gears', 'ExecutionThreads 1'])]);
  c = await RawClient.connect(server.port);
});

test.after(async () => {
  c.close();
  await Promise.all([server.stop(), single.stop()]);
});

async function run(script: string, client: RawClient = c): Promise<string> {
  return (await client.call('RG.PYEXECUTE', script)).toString();
}

/** A PythonReader run over a fixed list, so that the input order is known. */
function gen(items: unknown[]): string {
  return `.run(lambda: (yield from ${JSON.stringify(items)}))`;
}

// Coroutines that finish in another order than they started: later records sleep less.
const SHUFFLE = `
import asyncio
async def slow(r, n=10):
    await asyncio.sleep(0.001 * ((n - int(r)) % n))
    return r
`;

test('async def in map, flatmap, filter and foreach: results in input order', async () => {
  const items = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  assert.is(await run(`${SHUFFLE}\nasync def m(r):\n    return (await slow(r)) + '!'\nGB('PythonReader').map(m)${gen(items)}`),
    resultBytes(items.map((x) => `${x}!`)));
  assert.is(await run(`${SHUFFLE}\nasync def f(r):\n    return int(await slow(r)) % 2 == 0\nGB('PythonReader').filter(f)${gen(items)}`),
    resultBytes(['0', '2', '4', '6', '8']));
  const seen = `${SHUFFLE}\nseen = []\nasync def each(r):\n    await slow(r)\n    seen.append(r)\n`;
  assert.is(await run(`${seen}GB('PythonReader').foreach(each).map(lambda r: r + ':' + str(len(seen)))${gen(['3', '2', '1'])}`),
    resultBytes(['3:3', '2:3', '1:3']));
  // a list a coroutine returns to flatmap is expanded as flatmap does (last element first)
  assert.is(await run(`${SHUFFLE}\nasync def fm(r):\n    await slow(r)\n    return [r + 'a', r + 'b']\nGB('PythonReader').flatmap(fm)${gen(['1', '2'])}`),
    resultBytes(['1b', '1a', '2b', '2a']));
});

test('async accumulators: accumulate, aggregate, aggregateby, groupby reducers, avg', async () => {
  const nums = Array.from({ length: 20 }, (_, i) => i);
  const add = 'import asyncio\nasync def add(a, r):\n    await asyncio.sleep(0)\n    return (a or 0) + r\n';
  assert.is(await run(`${add}GB('PythonReader').accumulate(add)${gen(nums)}`), resultBytes(['190']));
  assert.is(await run(`${add}GB('PythonReader').aggregate(0, add, add)${gen(nums)}`), resultBytes(['190']));
  // the keyed ones emit in the engine's dict order, as their plain-def twins do
  const byKeyDefs = (kw: string) => `import asyncio\n${kw} add(k, a, r):\n    ${kw === 'async def' ? 'await asyncio.sleep(0)\n    ' : ''}return (a or 0) + r\n`;
  const keyed = ["{'key': '1', 'value': 100}", "{'key': '0', 'value': 90}"];
  for (const job of [
    "aggregateby(lambda r: str(r % 2), 0, add, add)",
    "groupby(lambda r: str(r % 2), add)",
    "localgroupby(lambda r: str(r % 2), add)",
  ]) {
    const plain = await run(`${byKeyDefs('def')}GB('PythonReader').${job}${gen(nums)}`);
    assert.is(plain, resultBytes(keyed), job);
    assert.is(await run(`${byKeyDefs('async def')}GB('PythonReader').${job}${gen(nums)}`), plain, job);
  }
  const value = 'import asyncio\nasync def v(r):\n    await asyncio.sleep(0)\n    return float(r)\n';
  assert.is(await run(`${value}GB('PythonReader').avg(v)${gen([1, 2, 3, 4])}`), resultBytes(['2.5']));
});

test('at most 1000 records wait per map step; an accumulator takes one at a time', async () => {
  const peak = (step: string, n: number) => `
import asyncio
running = 0
peak = 0
async def watch(*args):
    global running, peak
    running += 1
    peak = max(peak, running)
    await asyncio.sleep(0.005)
    running -= 1
    return args[-1]
GB('PythonReader').${step}.count().map(lambda n: (n, peak)).run(lambda: (yield from range(${n})))`;
  assert.is(await run(peak('map(watch)', 2500)), resultBytes(['(2500, 1000)']));
  assert.is(await run(peak('filter(watch)', 1500)), resultBytes(['(1499, 1000)']));  // watch(0) is falsy
  assert.is(await run(peak('foreach(watch)', 1200)), resultBytes(['(1200, 1000)']));
  assert.is(await run(peak('accumulate(watch)', 30)), resultBytes(['(1, 1)']));
  // many records through two async steps and a limit, still in order
  const chain = `${SHUFFLE}
async def tag(r):
    await slow(r % 10)
    return r * 2
GB('PythonReader').map(tag).filter(slow).limit(5, 1000).run(lambda: (yield from range(1, 5000)))`;
  assert.is(await run(chain), resultBytes(['2002', '2004', '2006', '2008', '2010']));
});

test('an exception in a coroutine is an error record with str(exception); the reader stops', async () => {
  assert.is(await run("async def f(r):\n    raise ValueError('bad ' + r)\nGB('ShardsIDReader').map(f).run()"),
    resultBytes([], ['bad 1']));
  const partial = `${SHUFFLE}
async def f(r):
    await slow(r)
    if r == '3':
        raise Exception('three')
    return r
GB('PythonReader').map(f)${gen(['1', '2', '3', '4'])}`;
  assert.is(await run(partial), resultBytes(['1', '2', '4'], ['three']));
  const failedAcc = "async def f(a, r):\n    raise Exception('acc ' + str(r))\nGB('PythonReader').accumulate(f)" + gen([1]);
  assert.is(await run(failedAcc), resultBytes([], ['acc 1']));
});

test('coroutines are refused in extractors and batchgroupby reducers', async () => {
  assert.is(await run("async def e(r):\n    return r\nGB('ShardsIDReader').groupby(e, lambda k, a, r: r).run()"),
    resultBytes([], ['coroutine are not allow on extractor']));
  assert.is(await run("async def e(r):\n    return r\nGB('ShardsIDReader').countby(e).run()"),
    resultBytes([], ['coroutine are not allow on extractor']));
  assert.is(await run("async def red(k, rs):\n    return rs\nGB('ShardsIDReader').batchgroupby(lambda r: r, red).run()"),
    resultBytes([], ['coroutine are not allow on reduce']));
});

test('gearsFuture(): continueRun / continueFailed from another thread, in every step that may wait', async () => {
  const later = `
import threading
def later(fn, *args):
    t = threading.Timer(0.01, fn, args)
    t.start()
def hold(value=None, fail=None):
    f = gearsFuture()
    later(f.continueFailed, fail) if fail else later(f.continueRun, value)
    return f
`;
  assert.is(await run(`${later}GB('ShardsIDReader').map(lambda r: hold(r + '-later')).run()`), resultBytes(['1-later']));
  assert.is(await run(`${later}GB('PythonReader').filter(lambda r: hold(r > 1))${gen([1, 2, 3])}`), resultBytes(['2', '3']));
  assert.is(await run(`${later}GB('PythonReader').foreach(lambda r: hold('ignored'))${gen(['a'])}`), resultBytes(['a']));
  assert.is(await run(`${later}GB('PythonReader').flatmap(lambda r: hold([r, r]))${gen(['x'])}`), resultBytes(['x', 'x']));
  assert.is(await run(`${later}GB('PythonReader').accumulate(lambda a, r: hold((a or 0) + r))${gen([1, 2, 3])}`), resultBytes(['6']));
  assert.is(await run(`${later}GB('PythonReader').map(lambda r: hold(fail=KeyError('k')))${gen(['a'])}`), resultBytes([], ["'k'"]));
  // a future made but not returned is released at once: the step's value goes on
  assert.is(await run("def f(r):\n    gearsFuture()\n    return r + '!'\nGB('ShardsIDReader').map(f).run()"), resultBytes(['1!']));
  // a returned future that is dropped without being settled
  assert.is(await run("GB('ShardsIDReader').map(lambda r: gearsFuture()).run()"), resultBytes([], ['Async record did not called continue']));
});

test('gearsFuture() errors, word for word', async () => {
  const tb = (line: string, where: string, text: string) =>
    `['Traceback (most recent call last):\\n', '  File "<string>", line ${line}, in ${where}\\n', 'gears.error: ${text}\\n']`;
  assert.is(await run('gearsFuture()'), `-${tb('1', '<module>', 'Future object can only be created inside certain execution steps')}\r\n`);
  assert.is(await run("GB('ShardsIDReader').map(lambda r: gearsFuture(1)).run()"), resultBytes([], [tb('1', '<lambda>', 'Future gets no arguments')]));
  assert.is(await run("GB('ShardsIDReader').map(lambda r: (gearsFuture(), gearsFuture())).run()"),
    resultBytes([], [tb('1', '<lambda>', 'Can not create async record twice on the same step')]));
  assert.is(await run("GB('ShardsIDReader').groupby(lambda r: gearsFuture(), lambda k, a, r: r).run()"),
    resultBytes([], [tb('1', '<lambda>', 'Step does not support async')]));
  assert.is(await run("def f(r):\n    gearsFuture().continueRun(1)\nGB('ShardsIDReader').map(f).run()"),
    resultBytes([], [tb('2', 'f', 'Can not handle future untill it returned from the callback')]));
  // in a coroutine on the loop there is no step
  assert.is(await run("async def f(r):\n    gearsFuture()\nGB('ShardsIDReader').map(f).run()"),
    resultBytes([], ['Future object can only be created inside certain execution steps']));
  // continuing twice, continuing a released future, continuing with no argument
  const twice = `
made = []
def keep(r):
    f = gearsFuture()
    made.append(f)
    return f if r == 'returned' else r
def settle(r):
    out = []
    for call in (lambda f: f.continueRun(), lambda f: f.continueRun(1), lambda f: f.continueFailed(2)):
        try:
            call(made[-1])
            out.append('ok')
        except Exception as e:
            out.append(str(e))
    return out
GB('PythonReader').map(keep).map(settle).flatmap(lambda x: x)`;
  assert.is(await run(`${twice}${gen(['released'])}`),
    resultBytes(['Can not continue with the same future twice', 'Can not continue with the same future twice', 'Continue function expect an object']));
});

test('runCoroutine(cr, f, delay): the coroutine acts for its execution (its database)', async () => {
  const db = await rawOnDb(server.port, 5);
  const script = `
async def g(r):
    execute('SET', 'from-coroutine', r)
    return execute('GET', 'from-coroutine') + '!'
def f(r):
    fu = gearsFuture()
    runCoroutine(g(r), fu, delay=0.01)
    return fu
GB('ShardsIDReader').map(f).run()`;
  assert.is(await run(script, db), resultBytes(['1!']));
  assert.is((await db.call('GET', 'from-coroutine')).toString(), '$1\r\n1\r\n');
  assert.is((await c.call('EXISTS', 'from-coroutine')).toString(), ':0\r\n');
  // without a future it just runs; its exception, with one, fails the record
  assert.is(await run("async def g():\n    execute('SET', 'fire-and-forget', 'x')\nrunCoroutine(g())", db), '+OK\r\n');
  let v = '';
  for (let i = 0; i < 100 && v !== '$1\r\nx\r\n'; i++) v = (await db.call('GET', 'fire-and-forget')).toString();
  assert.is(v, '$1\r\nx\r\n');
  assert.is(await run("async def g():\n    raise Exception('from runCoroutine')\ndef f(r):\n    fu = gearsFuture()\n    runCoroutine(g(), fu)\n    return fu\nGB('ShardsIDReader').filter(f).run()"),
    resultBytes([], ['from runCoroutine']));
  db.close();
});

test('createFuture, setFutureResults, setFutureException (a non-exception becomes Exception(str(e)))', async () => {
  const base = `
import threading
def settle_later(fn, f, v):
    threading.Timer(0.01, fn, (f, v)).start()
`;
  assert.is(await run(`${base}async def f(r):\n    fu = createFuture()\n    settle_later(setFutureResults, fu, 'done')\n    return await fu\nGB('ShardsIDReader').map(f).run()`),
    resultBytes(['done']));
  assert.is(await run(`${base}async def f(r):\n    fu = createFuture()\n    settle_later(setFutureException, fu, 42)\n    try:\n        await fu\n    except Exception as e:\n        return type(e).__name__ + ':' + str(e)\nGB('ShardsIDReader').map(f).run()`),
    resultBytes(['Exception:42']));
  assert.is(await run(`${base}async def f(r):\n    fu = createFuture()\n    settle_later(setFutureException, fu, KeyError('k'))\n    return await fu\nGB('ShardsIDReader').map(f).run()`),
    resultBytes([], ["'k'"]));
  // the same names in the gears module
  assert.is(await run("import gears\nGB('ShardsIDReader').map(lambda r: [callable(getattr(gears, n)) for n in ('createFuture', 'setFutureResults', 'setFutureException', 'runCoroutine', 'gearsFuture')]).run()"),
    resultBytes(['[True, True, True, True, True]']));
});

test('run() returns an awaitable: await gives [[results], [errors]]', async () => {
  assert.is(await run("async def f(r):\n    return await GB('ShardsIDReader').run()\nGB('ShardsIDReader').map(f).run()"), resultBytes(["[['1'], []]"]));
  const withError = "async def f(r):\n    res = await GB('ShardsIDReader').map(lambda x: x + 1).run(convertToStr=False)\n    return len(res[0]), len(res[1]), 'can only concatenate' in res[1][0]\nGB('ShardsIDReader').map(f).run()";
  assert.is(await run(withError), resultBytes(['(0, 1, True)']));
  // the awaited execution was started from a coroutine: it is dropped once finished
  assert.is((await c.call('RG.DUMPEXECUTIONS')).toString(), '*0\r\n');
  assert.is(await run("import asyncio\nGB('ShardsIDReader').map(lambda r: asyncio.isfuture(GB('ShardsIDReader').run())).run()"), resultBytes(['True']));
});

test('isAsyncAllow(): True in a step, False in a script body and in a coroutine', async () => {
  assert.is(await run("GB('ShardsIDReader').map(lambda r: isAsyncAllow()).run()"), resultBytes(['True']));
  assert.is(await run("async def f(r):\n    return isAsyncAllow()\nGB('ShardsIDReader').map(f).run()"), resultBytes(['False']));
  assert.is(await run("if isAsyncAllow():\n    raise Exception('in a script body')"), '+OK\r\n');
});

test('await inside atomic() is refused', async () => {
  assert.is(await run("import asyncio\nasync def f(r):\n    with atomic():\n        await asyncio.sleep(0)\n    return r\nGB('ShardsIDReader').map(f).run()"),
    resultBytes(['1']));  // asyncio.sleep(0) awaits no future
  assert.is(await run("import asyncio\nasync def f(r):\n    with atomic():\n        await asyncio.sleep(0.001)\nGB('ShardsIDReader').map(f).run()"),
    resultBytes([], ['await is not allow inside atomic block']));
  assert.is(await run("async def f(r):\n    with atomic():\n        await GB('ShardsIDReader').run()\nGB('ShardsIDReader').map(f).run()"),
    resultBytes([], ['await is not allow inside atomic block']));
  // the block was left: the server lock is free
  assert.is((await c.call('SET', 'after-atomic', '1')).toString(), '+OK\r\n');
});

test('a waiting execution frees its pool thread (one thread: a second execution settles the first)', async () => {
  const s = await RawClient.connect(single.port);
  const first = idOf(await s.call('RG.PYEXECUTE',
    "import gears\ndef f(r):\n    gears.parked_future = gearsFuture()\n    return gears.parked_future\nGB('ShardsIDReader').map(f).run()", 'UNBLOCKING'));
  let settled = '';
  for (let i = 0; i < 200 && settled !== resultBytes(['released']); i++) {
    settled = await run("import gears\nGB('ShardsIDReader').map(lambda r: gears.parked_future.continueRun('done') or 'released').run()", s);
  }
  assert.is(settled, resultBytes(['released']));
  assert.is((await s.call('RG.GETRESULTSBLOCKING', first)).toString(), resultBytes(['done']));
  s.close();
});

test('RG.ABORTEXECUTION ends an execution whose step waits on the loop', async () => {
  const id = idOf(await c.call('RG.PYEXECUTE', "import asyncio\nasync def f(r):\n    await asyncio.sleep(3600)\nGB('PythonReader').map(f)" + gen([1, 2, 3]), 'UNBLOCKING'));
  let status = '';
  for (let i = 0; i < 200 && !status.includes('running'); i++) status = (await c.call('RG.DUMPEXECUTIONS')).toString();
  assert.is((await c.call('RG.ABORTEXECUTION', id)).toString(), '+OK\r\n');
  assert.is((await c.call('RG.GETRESULTSBLOCKING', id)).toString(), resultBytes([]));
  assert.match((await c.call('RG.DUMPEXECUTIONS')).toString(), new RegExp(`${id}\\r\\n\\$6\\r\\nstatus\\r\\n\\$7\\r\\naborted`));
  assert.is(await run("async def f(r):\n    return r\nGB('ShardsIDReader').map(f).run()"), resultBytes(['1']));
});

// ---- the same features through ioredis, as an application sees them --------------------------

type Ioredis = Awaited<ReturnType<typeof connectIoredis>>;

async function pyexecute(redis: Ioredis, script: string, ...opts: string[]): Promise<unknown> {
  return redis.call('RG.PYEXECUTE', script, ...opts);
}

/** Polls until fn gives something other than undefined (each poll is a real round trip). */
async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(5);
  }
}

/** The id of the one execution of RG.DUMPEXECUTIONS whose status is `status`, if any. */
async function executionWith(redis: Ioredis, status: string): Promise<string | undefined> {
  const list = (await redis.call('RG.DUMPEXECUTIONS')) as string[][];
  return list.find((e) => e[3] === status)?.[1];
}

test('ioredis: async def map, filter, foreach and flatmap awaiting asyncio.sleep over real keys', async () => {
  const redis = await connectIoredis(server.port);
  await redis.select(7);
  await redis.mset('fruit:1', 'apple', 'fruit:2', 'banana', 'fruit:3', 'cherry', 'veg:1', 'leek');
  const script = `
import asyncio
async def upper(r):
    await asyncio.sleep(0.01)
    return {'key': r['key'], 'value': r['value'].upper()}
async def long_name(r):
    await asyncio.sleep(0.01)
    return len(r['value']) > 5
async def mark(r):
    await asyncio.sleep(0.01)
    execute('SET', 'seen:' + r['key'], r['value'])
async def split(r):
    await asyncio.sleep(0.01)
    return [r['key'], r['value']]
GB().map(upper).filter(long_name).foreach(mark).flatmap(split).run('fruit:*')`;
  const [results, errors] = (await pyexecute(redis, script)) as [string[], string[]];
  assert.equal(errors, []);
  // flatmap emits each list last element first; the keys come in scan order
  assert.equal([...results].sort(), ['BANANA', 'CHERRY', 'fruit:2', 'fruit:3']);
  assert.is(results.indexOf('BANANA') + 1, results.indexOf('fruit:2'));
  assert.equal(await redis.mget('seen:fruit:1', 'seen:fruit:2', 'seen:fruit:3'), [null, 'BANANA', 'CHERRY']);
  redis.disconnect();
});

test('ioredis: while an execution awaits a gearsFuture, other clients are served; another execution settles it', async () => {
  const waiter = await connectIoredis(server.port);
  const other = await connectIoredis(server.port);
  const script = `
import gears
def park(r):
    gears.ioredis_parked = gearsFuture()
    return gears.ioredis_parked
GB('ShardsIDReader').map(park).map(lambda v: 'got ' + v).run()`;
  let answered = false;
  const blocked = pyexecute(waiter, script).then((r) => {
    answered = true;
    return r;
  });
  const id = await until(() => executionWith(other, 'running'));
  // the server answers other clients while the execution waits, and the waiting one stays blocked
  for (let i = 0; i < 20; i++) assert.is(await other.ping(), 'PONG');
  assert.is(await other.set('while-parked', 'yes'), 'OK');
  assert.is(answered, false);
  const plan = ((await other.call('RG.GETEXECUTION', id)) as unknown[][])[0][3] as unknown[];
  assert.equal(plan.slice(0, 2), ['status', 'running']);
  // a later step of another execution settles it (retrying while the step has not returned yet)
  const settle = `
import gears
def settle(r):
    try:
        gears.ioredis_parked.continueRun('from another execution')
        return 'settled'
    except Exception as e:
        return str(e)
GB('ShardsIDReader').map(settle).run()`;
  await until(async () => {
    const [[r]] = (await pyexecute(other, settle)) as [string[], string[]];
    return r === 'settled' ? r : undefined;
  });
  assert.equal(await blocked, [['got from another execution'], []]);
  waiter.disconnect();
  other.disconnect();
});

test('ioredis: a gearsFuture settled from a Python thread, and one failed: its error lands in the results', async () => {
  const redis = await connectIoredis(server.port);
  const later = `
import threading
def hold(r):
    f = gearsFuture()
    if r % 2:
        threading.Timer(0.01, f.continueFailed, (Exception('odd ' + str(r)),)).start()
    else:
        threading.Timer(0.01, f.continueRun, (r * 10,)).start()
    return f
`;
  // all four records are held before any is settled, so all are in flight when 5 fails: they
  // finish (§6.3), in input order, and the error goes to the errors
  assert.equal(await pyexecute(redis, `${later}GB('PythonReader').map(hold).run(lambda: (yield from [2, 4, 5, 6]))`),
    [['20', '40', '60'], ['odd 5']]);
  // a coroutine's exception is the same kind of error record
  assert.equal(await pyexecute(redis, "async def f(r):\n    raise KeyError('missing')\nGB('ShardsIDReader').map(f).run()"),
    [[], ["'missing'"]]);
  redis.disconnect();
});

test('ioredis: isAsyncAllow() is True in a step, False in a script body and on the event loop', async () => {
  const redis = await connectIoredis(server.port);
  assert.equal(await pyexecute(redis, "GB('ShardsIDReader').map(lambda r: isAsyncAllow()).run()"), [['True'], []]);
  assert.equal(await pyexecute(redis, "async def f(r):\n    return isAsyncAllow()\nGB('ShardsIDReader').map(f).run()"), [['False'], []]);
  assert.is(await pyexecute(redis, "execute('SET', 'body-async-allow', str(isAsyncAllow()))"), 'OK');
  assert.is(await redis.get('body-async-allow'), 'False');
  // MULTI and Lua cannot start an execution at all here (registrations are another branch), so
  // no step ever runs where isAsyncAllow() would be False for that reason
  const blocked = 'Can not run gears inside a multi exec, lua, or when blocking is not allowed';
  await redis.multi().call('RG.PYEXECUTE', "GB('ShardsIDReader').run()").exec().then(
    (r) => assert.is(String((r as [Error | null, unknown][])[0][0]?.message), blocked),
    (e: Error) => assert.is(e.message, blocked),
  );
  redis.disconnect();
});

test('ioredis: RG.ABORTEXECUTION of a blocking execution waiting on a gearsFuture; settling it later is harmless', async () => {
  const waiter = await connectIoredis(server.port);
  const other = await connectIoredis(server.port);
  const script = `
import gears
def park(r):
    if r == 'second':
        gears.never_settled = gearsFuture()
        return gears.never_settled
    return r
GB('PythonReader').map(park).run(lambda: (yield from ['first', 'second', 'third']))`;
  const blocked = pyexecute(waiter, script);
  const id = await until(() => executionWith(other, 'running'));
  assert.is(await other.ping(), 'PONG');
  // the future must be the one the step returned before the abort is sent
  await until(async () => {
    const [[r]] = (await pyexecute(other, "import gears\nGB('ShardsIDReader').map(lambda r: hasattr(gears, 'never_settled')).run()")) as [string[]];
    return r === 'True' ? r : undefined;
  });
  assert.is(await other.call('RG.ABORTEXECUTION', id), 'OK');
  // the records before the held one had already left; nothing after it runs
  assert.equal(await blocked, [['first'], []]);
  assert.equal(await pyexecute(other, "import gears\nGB('ShardsIDReader').map(lambda r: gears.never_settled.continueRun('late')).run()"),
    [['None'], []]);
  assert.equal(await pyexecute(other, "GB('ShardsIDReader').map(lambda r: 'still serving').run()"), [['still serving'], []]);
  waiter.disconnect();
  other.disconnect();
});

test.run();
