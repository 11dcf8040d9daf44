// Pub/sub and keyspace notifications, through raw RESP and ioredis clients, and compared
// byte for byte with redis-server where the replies are deterministic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { canCompare, ServerPair } from './helpers/differential.js';
import { RawClient } from './helpers/raw-client.js';
import { connectIoredis, startGearsd, type RunningServer } from './helpers/servers.js';

let server: RunningServer;

test.before(async () => {
  server = await startGearsd(['--notify-keyspace-events', 'KEA']);
});

test.after(async () => {
  await server.stop();
});

const text = (b: Buffer) => b.toString('latin1');

test('SUBSCRIBE, PUBLISH, message delivery and counts', async () => {
  const sub = await RawClient.connect(server.port);
  const pub = await RawClient.connect(server.port);
  assert.is(text(await sub.call('SUBSCRIBE', 'news', 'sport')), '*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
  assert.is(text(await sub.next()), '*3\r\n$9\r\nsubscribe\r\n$5\r\nsport\r\n:2\r\n');
  assert.is(text(await pub.call('PUBLISH', 'news', 'hello')), ':1\r\n');
  assert.is(text(await sub.next()), '*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
  assert.is(text(await pub.call('PUBLISH', 'nobody', 'x')), ':0\r\n');
  assert.is(text(await pub.call('PUBSUB', 'NUMSUB', 'news', 'nobody')), '*4\r\n$4\r\nnews\r\n:1\r\n$6\r\nnobody\r\n:0\r\n');
  sub.close();
  pub.close();
});

test('PSUBSCRIBE matches with Redis globs', async () => {
  const sub = await RawClient.connect(server.port);
  const pub = await RawClient.connect(server.port);
  await sub.call('PSUBSCRIBE', 'user:[0-9]*');
  assert.is(text(await pub.call('PUBLISH', 'user:42', 'x')), ':1\r\n');
  assert.is(text(await sub.next()), '*4\r\n$8\r\npmessage\r\n$11\r\nuser:[0-9]*\r\n$7\r\nuser:42\r\n$1\r\nx\r\n');
  assert.is(text(await pub.call('PUBLISH', 'user:x', 'y')), ':0\r\n');
  assert.is(text(await pub.call('PUBSUB', 'NUMPAT')), ':1\r\n');
  sub.close();
  pub.close();
});

test('a subscribed RESP2 client may only run pub/sub commands, PING answers as a message', async () => {
  const sub = await RawClient.connect(server.port);
  await sub.call('SUBSCRIBE', 'c');
  assert.is(
    text(await sub.call('GET', 'k')),
    "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
  );
  assert.is(text(await sub.call('PING')), '*2\r\n$4\r\npong\r\n$0\r\n\r\n');
  assert.is(text(await sub.call('UNSUBSCRIBE')), '*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:0\r\n');
  assert.is(text(await sub.call('PING')), '+PONG\r\n');
  sub.close();
});

test('keyspace notifications for client writes', async () => {
  const sub = await RawClient.connect(server.port);
  const writer = await connectIoredis(server.port);
  await sub.call('PSUBSCRIBE', '__key*__:*');
  await writer.set('ks:a', '1');
  assert.is(text(await sub.next()), '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$19\r\n__keyspace@0__:ks:a\r\n$3\r\nset\r\n');
  assert.is(text(await sub.next()), '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$18\r\n__keyevent@0__:set\r\n$4\r\nks:a\r\n');
  await writer.incr('ks:n');
  assert.match(text(await sub.next()), /__keyspace@0__:ks:n\r\n\$6\r\nincrby\r\n$/);
  assert.match(text(await sub.next()), /__keyevent@0__:incrby\r\n\$4\r\nks:n\r\n$/);
  writer.disconnect();
  sub.close();
});

test('keyspace notifications for expiry', async () => {
  const sub = await RawClient.connect(server.port);
  const writer = await connectIoredis(server.port);
  await sub.call('SUBSCRIBE', '__keyevent@0__:expired');
  await writer.set('ks:short', 'v', 'PX', 30);
  // Active expiry deletes it without anyone touching it.
  assert.is(text(await sub.next()), '*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$8\r\nks:short\r\n');
  writer.disconnect();
  sub.close();
});

const compare = canCompare() ? test : test.skip;

compare('pub/sub replies are identical to redis-server', async () => {
  const pair = await ServerPair.start();
  try {
    await pair.same('SUBSCRIBE', 'a', 'b', 'a');
    for (let i = 0; i < 2; i++) await pair.same('PING');
    await pair.same('PSUBSCRIBE', 'p*');
    await pair.same('SET', 'x', '1');
    await pair.same('UNSUBSCRIBE', 'b', 'zzz');
    await pair.same('PUNSUBSCRIBE', 'p*');
    await pair.same('UNSUBSCRIBE', 'a');
    await pair.same('UNSUBSCRIBE');
    await pair.same('PUNSUBSCRIBE');
    await pair.same('PUBLISH', 'a', 'msg');
    await pair.same('PUBSUB', 'CHANNELS');
    await pair.same('PUBSUB', 'NUMSUB');
    await pair.same('PUBSUB', 'NUMPAT');
    await pair.same('SPUBLISH', 's', 'm');
    await pair.same('SSUBSCRIBE', 's1');
    await pair.same('SUNSUBSCRIBE');
    await pair.same('PUBSUB', 'NOPE');
  } finally {
    await pair.stop();
  }
});

compare('RESP3: (un)subscribe confirmations and messages are pushes, a subscribed client runs any command', async () => {
  const pair = await ServerPair.start([], { resp3: true });
  const pubs = await Promise.all([RawClient.connect(pair.gearsdServer.port), RawClient.connect(pair.redisServer.port)]);
  // A command with several confirmations: the first is its reply, the others follow.
  const sameFrames = async (n: number, ...args: string[]) => {
    await pair.same(...args);
    for (let i = 1; i < n; i++) {
      const [g, r] = await Promise.all([pair.gearsd.next(), pair.redis.next()]);
      assert.is(text(g), text(r), `${args.join(' ')} frame ${i + 1}`);
    }
  };
  try {
    await sameFrames(2, 'SUBSCRIBE', 'a', 'b');
    await pair.same('PSUBSCRIBE', 'p*');
    // Not a pub/sub command: in RESP3 it runs, and PING answers as usual.
    await pair.same('SET', 'x', '1');
    await pair.same('GET', 'x');
    await pair.same('HGETALL', 'nokey');
    await pair.same('PING');
    await pair.same('PING', 'hi');
    for (const [channel, message] of [['a', 'one'], ['pq', 'two']]) {
      const counts = await Promise.all(pubs.map((p) => p.call('PUBLISH', channel, message)));
      assert.equal(text(counts[0]), text(counts[1]));
      const [g, r] = await Promise.all([pair.gearsd.next(), pair.redis.next()]);
      assert.is(text(g), text(r), `message on ${channel}`);
      assert.ok(text(g).startsWith('>'), 'a push');
    }
    await sameFrames(2, 'UNSUBSCRIBE', 'b', 'zzz');
    await pair.same('UNSUBSCRIBE');
    await pair.same('PUNSUBSCRIBE');
    await pair.same('PUNSUBSCRIBE');
    await pair.same('SSUBSCRIBE', 's1');
    await pair.same('SUNSUBSCRIBE');
  } finally {
    for (const p of pubs) p.close();
    await pair.stop();
  }
});

test('RESP3 pushes reach a client while it also gets replies; HELLO 2 brings back RESP2 framing', async () => {
  const sub = await RawClient.connect(server.port);
  const pub = await RawClient.connect(server.port);
  assert.match(text(await sub.call('HELLO', '3')), /^%7\r\n/);
  assert.is(text(await sub.call('SUBSCRIBE', 'news')), '>3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
  assert.is(text(await pub.call('PUBLISH', 'news', 'hello')), ':1\r\n');
  assert.is(text(await sub.next()), '>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
  assert.is(text(await sub.call('ZADD', 'r3:z', '1.5', 'm')), ':1\r\n');
  assert.is(text(await sub.call('ZSCORE', 'r3:z', 'm')), ',1.5\r\n');
  assert.match(text(await sub.call('CLIENT', 'INFO')), /^=\d+\r\ntxt:id=.* resp=3\n\r\n$/s);
  assert.match(text(await sub.call('HELLO', '2')), /^\*14\r\n/);
  assert.is(text(await pub.call('PUBLISH', 'news', 'again')), ':1\r\n');
  assert.is(text(await sub.next()), '*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nagain\r\n');
  assert.is(text(await sub.call('UNSUBSCRIBE')), '*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:0\r\n');
  sub.close();
  pub.close();
});

test.run();
