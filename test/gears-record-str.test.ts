// run()'s convertToStr step formats plain records natively (python/record_str.cc): its output
// must be exactly Python's str() of the same records, whatever they hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { rawOnDb } from './helpers/gears.js';
import { startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;

test.before(async () => {
  server = await startGearsd();
});

test.after(async () => {
  await server.stop();
});

// Records covering the formatter's cases and its fall-backs to Python.
const RECORDS = `
def gen():
    yield {'key': 'a', 'value': 'x', 'event': None, 'type': 'string'}
    yield {'k': "it's", 'v': 'say "hi"', 'w': 'both \\' and "', 'b': 'back\\\\slash', 'n': 'new\\nline', 't': '\\t\\x7f\\x01'}
    yield {'u': 'h\\xe9llo', 'e': '\\u65e5\\u672c', 'z': '\\u200b', 's': '\\U0001F600', 'c': '\\x85'}
    yield {'i': 0, 'neg': -5, 'big': 10**30, 'f': 1.5, 'f2': 1e300, 'nan': float('nan'), 'bo': True, 'bf': False}
    yield {1: 'int key', None: 'none key', 2.5: 'float key'}
    yield {'l': [1, 'a', [], {}, [None]], 'd': {'x': {'y': {'z': 1}}}}
    yield {}
    yield {'deep': [[[[[[[[[[[[1]]]]]]]]]]]]}
    yield {'ba': bytearray(b'\\xff'), 'by': b'xx', 'tu': (1,), 's': {1}}
    r = {'self': None}
    r['self'] = r
    yield r
    class S(str):
        def __repr__(self):
            return 'S!'
    yield {'sub': S('x')}
    yield 'plain string'
    yield 5
    yield [1, 2]
`;

test("run()'s str() of records is Python's str(), byte for byte", async () => {
  const c = await rawOnDb(server.port, 0);
  const fast = await c.call('RG.PYEXECUTE', `${RECORDS}\nGB('PythonReader').run(gen)`);
  const python = await c.call('RG.PYEXECUTE', `${RECORDS}\nGB('PythonReader').map(lambda x: str(x)).run(gen, convertToStr=False)`);
  assert.is(fast.toString(), python.toString());
  assert.ok(fast.toString().includes(`{'key': 'a', 'value': 'x', 'event': None, 'type': 'string'}`));
  assert.ok(fast.toString().includes(`{'self': {...}}`));
  assert.ok(fast.toString().includes(`{'sub': S!}`));
  c.close();
});

test('a record whose str() raises is a step error, as with a Python lambda', async () => {
  const c = await rawOnDb(server.port, 0);
  const script = `
class Bad:
    def __repr__(self):
        raise ValueError('no repr')
GB('PythonReader').run(lambda: (yield {'bad': Bad()}))`;
  const reply = (await c.call('RG.PYEXECUTE', script)).toString();
  assert.ok(reply.startsWith('*2\r\n*0\r\n*1\r\n'), reply);
  assert.ok(reply.includes('ValueError: no repr'), reply);
  c.close();
});

test.run();
