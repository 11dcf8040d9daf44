// The keyspace events hash and set commands fire: a table of Redis's facts, checked
// against redis-server (so the expectations are Redis's real behaviour, not our reading
// of it) and against gearsd, through a real subscriber on each.
//
// Each case runs in a database of its own (SELECT n), with notify-keyspace-events KEA
// given at start-up, and lists the `__keyevent@n__` messages it must produce, in order.
import { test } from 'uvu';

import { canCompare } from './helpers/differential.js';
import { checkEventTable, EVENT_ARGS, type EventCase } from './helpers/keyspace-events.js';
import { startGearsd, startRedisServer } from './helpers/servers.js';

const CASES: EventCase[] = [
  { name: 'HSET, HMSET, HSETNX', setup: [], run: [['HSET', 'h', 'a', '1'], ['HMSET', 'h', 'b', '2'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'c', 'x']], events: ['hset h', 'hset h', 'hset h'] },
  { name: 'HDEL, emptying', setup: [['HSET', 'h', 'a', '1', 'b', '2']], run: [['HDEL', 'h', 'zz'], ['HDEL', 'h', 'a'], ['HDEL', 'h', 'b', 'c']], events: ['hdel h', 'hdel h', 'del h'] },
  { name: 'HINCRBY, HINCRBYFLOAT', setup: [], run: [['HINCRBY', 'h', 'n', '2'], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBY', 'h', 'n', 'x']], events: ['hincrby h', 'hincrbyfloat h'] },
  { name: 'SADD, SREM, emptying', setup: [], run: [['SADD', 's', 'a', 'b'], ['SADD', 's', 'a'], ['SREM', 's', 'zz'], ['SREM', 's', 'a'], ['SREM', 's', 'b']], events: ['sadd s', 'srem s', 'srem s', 'del s'] },
  { name: 'SPOP', setup: [['SADD', 's', 'a', 'b', 'c', 'd']], run: [['SPOP', 's'], ['SPOP', 's', '0'], ['SPOP', 's', '1'], ['SPOP', 's', '5']], events: ['spop s', 'spop s', 'spop s', 'del s'] },
  { name: 'SPOP of the last member', setup: [['SADD', 's', 'a']], run: [['SPOP', 's']], events: ['spop s', 'del s'] },
  {
    name: 'SMOVE: srem on the source, sadd on the destination',
    setup: [['SADD', 'src', 'a', 'b'], ['SADD', 'dst', 'b']],
    run: [['SMOVE', 'src', 'dst', 'a'], ['SMOVE', 'src', 'dst', 'b'], ['SMOVE', 'src', 'dst', 'zz']],
    events: ['srem src', 'sadd dst', 'srem src', 'del src'],
  },
  {
    name: 'SINTERSTORE, SUNIONSTORE, SDIFFSTORE, and an empty result deleting the destination',
    setup: [['SADD', 'a', '1', '2'], ['SADD', 'b', '2', '3']],
    run: [['SINTERSTORE', 'd', 'a', 'b'], ['SUNIONSTORE', 'd', 'a', 'b'], ['SDIFFSTORE', 'd', 'a', 'b'], ['SINTERSTORE', 'd', 'a', 'nokey'], ['SDIFFSTORE', 'd', 'a', 'a']],
    events: ['sinterstore d', 'sunionstore d', 'sdiffstore d', 'del d'],
  },
];

test('gearsd fires the events of the table', async () => {
  await checkEventTable(await startGearsd(EVENT_ARGS), CASES);
});

(canCompare() ? test : test.skip)('the table is what redis-server fires', async () => {
  await checkEventTable(await startRedisServer(EVENT_ARGS), CASES);
});

test.run();
