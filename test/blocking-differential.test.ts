// Every blocking command of every family (lists, sorted sets, streams) against a real
// redis-server, byte for byte: a client blocks, another one writes, and the blocked
// client's reply (and what the data looks like afterwards) must be the same on both.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, ServerPair } from './helpers/differential.js';
import { encodeCommand, RawClient } from './helpers/raw-client.js';

const maybe = canCompare() ? test : test.skip;

interface Scenario {
  name: string;
  setup?: string[][];
  block: string[];
  then?: string[][];
  after?: string[][];
}

const SCENARIOS: Scenario[] = [
  { name: 'BLPOP on two keys, served by the second', block: ['BLPOP', 'a', 'b', '0'], then: [['RPUSH', 'b', 'x', 'y']], after: [['LRANGE', 'b', '0', '-1']] },
  { name: 'BRPOP served after EXEC', block: ['BRPOP', 'a', '0'], then: [['MULTI'], ['RPUSH', 'a', '1'], ['RPUSH', 'a', '2'], ['EXEC']], after: [['LRANGE', 'a', '0', '-1']] },
  { name: 'BLMPOP with COUNT', block: ['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'], then: [['LPUSH', 'b', '1', '2', '3']], after: [['LRANGE', 'b', '0', '-1']] },
  { name: 'BLMOVE', block: ['BLMOVE', 'a', 'd', 'LEFT', 'RIGHT', '0'], setup: [['RPUSH', 'd', 'old']], then: [['RPUSH', 'a', 'v', 'w']], after: [['LRANGE', 'd', '0', '-1'], ['LRANGE', 'a', '0', '-1']] },
  { name: 'BRPOPLPUSH onto a string', block: ['BRPOPLPUSH', 'a', 'd', '0'], setup: [['SET', 'd', 'str']], then: [['RPUSH', 'a', 'v']], after: [['LRANGE', 'a', '0', '-1']] },
  { name: 'BLPOP: LPUSH + DEL + SET in EXEC wakes nobody', block: ['BLPOP', 'a', '0.3'], then: [['MULTI'], ['LPUSH', 'a', 'x'], ['DEL', 'a'], ['SET', 'a', 's'], ['EXEC']], after: [['GET', 'a']] },
  { name: 'BLPOP timeout', block: ['BLPOP', 'a', '0.05'] },
  { name: 'BLMOVE timeout', block: ['BLMOVE', 'a', 'd', 'LEFT', 'LEFT', '0.05'] },
  { name: 'BZPOPMIN on two keys', block: ['BZPOPMIN', 'z1', 'z2', '0'], then: [['ZADD', 'z2', '1', 'm', '2', 'n']], after: [['ZRANGE', 'z2', '0', '-1', 'WITHSCORES']] },
  { name: 'BZPOPMAX', block: ['BZPOPMAX', 'z1', '0'], then: [['ZADD', 'z1', '1.5', 'm', '2.5', 'n']] },
  { name: 'BZMPOP with COUNT', block: ['BZMPOP', '0', '2', 'z1', 'z2', 'MAX', 'COUNT', '5'], then: [['ZADD', 'z1', '1', 'a', '2', 'b']] },
  { name: 'BZPOPMIN timeout', block: ['BZPOPMIN', 'z1', '0.05'] },
  { name: 'XREAD on two streams, served by the second', block: ['XREAD', 'BLOCK', '0', 'STREAMS', 's1', 's2', '$', '$'], setup: [['XADD', 's1', '1-1', 'f', 'v']], then: [['XADD', 's2', '5-1', 'f', 'v'], ['XADD', 's1', '6-1', 'g', 'w']] },
  { name: 'XREAD with COUNT after an id', block: ['XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '3-0'], setup: [['XADD', 's', '3-0', 'a', 'b']], then: [['XADD', 's', '4-0', 'c', 'd']] },
  { name: 'XREAD timeout', block: ['XREAD', 'BLOCK', '50', 'STREAMS', 's', '$'] },
  { name: 'XREADGROUP served by XADD', block: ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], setup: [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']], then: [['XADD', 's', '1-1', 'a', 'b']], after: [['XPENDING', 's', 'g']] },
  { name: 'XREADGROUP when its stream is deleted', block: ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], setup: [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']], then: [['DEL', 's']] },
  { name: 'XREADGROUP when its group is destroyed', block: ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], setup: [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']], then: [['XGROUP', 'DESTROY', 's', 'g']] },
  { name: 'XREADGROUP when its key becomes a list', block: ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], setup: [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']], then: [['MULTI'], ['DEL', 's'], ['LPUSH', 's', 'x'], ['EXEC']] },
];

let pair: ServerPair;

maybe('start', async () => {
  pair = await ServerPair.start();
});

for (const s of SCENARIOS) {
  maybe(s.name, async () => {
    await pair.same('FLUSHALL');
    await pair.sequence(s.setup ?? []);
    const waiting = await Promise.all([pair.gearsdServer, pair.redisServer].map((srv) => RawClient.connect(srv.port)));
    try {
      const replies = waiting.map((c) => {
        c.write(encodeCommand(s.block));
        return c.next();
      });
      // Both have read the blocking request by then (no INFO needed on either side).
      await new Promise((r) => setTimeout(r, 100));
      await pair.sequence(s.then ?? []);
      const [g, r] = await Promise.all(replies);
      assert.is(JSON.stringify(g.toString('latin1')), JSON.stringify(r.toString('latin1')), `${s.block.join(' ')}`);
      await pair.sequence(s.after ?? []);
    } finally {
      for (const c of waiting) c.close();
    }
  });
}

maybe('stop', async () => {
  await pair.stop();
});

test.run();
