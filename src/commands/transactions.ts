// MULTI / EXEC / DISCARD / WATCH / UNWATCH. Queueing itself happens in Server.dispatch
// (every command but these is queued while client.multi is set); WATCH bookkeeping is
// native (native/store/watch.h) because keys are touched at the point of mutation.

import type { Client } from '../client.js';
import { CALLER_DENY_BLOCKING } from '../native.js';
import * as reply from '../resp/reply.js';
import type { Server } from '../server.js';
import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';

/** Ends any transaction and forgets watched keys (DISCARD, RESET, disconnect). */
export function discardTransaction(server: Server, client: Client): void {
  client.multi = null;
  server.native.unwatch(client.id);
}

function multi({ server, client }: CommandCall): void {
  if (client.multi) return server.reply(client, reply.error('ERR MULTI calls can not be nested'));
  client.multi = { queue: [], aborted: false };
  server.reply(client, reply.OK);
}

function discard({ server, client }: CommandCall): void {
  if (!client.multi) return server.reply(client, reply.error('ERR DISCARD without MULTI'));
  discardTransaction(server, client);
  server.reply(client, reply.OK);
}

const EXECABORT = reply.error('EXECABORT Transaction discarded because of previous errors.');

function exec({ server, client }: CommandCall): void {
  const m = client.multi;
  if (!m) return server.reply(client, reply.error('ERR EXEC without MULTI'));
  const watchFailed = server.native.watchFailed(client.id);
  discardTransaction(server, client);
  if (m.aborted) return server.reply(client, EXECABORT);
  if (watchFailed) return server.reply(client, reply.nullArray(client.resp3));

  server.reply(client, Buffer.from(`*${m.queue.length}\r\n`));
  // One unit under the server lock: no execution thread's write lands in between.
  client.inExec = true;
  server.native.lockServer();
  try {
    server.deferNativeEvents(() => {
      for (const { spec, argv } of m.queue) server.call(client, spec, argv, CALLER_DENY_BLOCKING);
    });
  } finally {
    server.native.unlockServer();
    client.inExec = false;
  }
}

function watch({ server, client, argv }: CommandCall): void {
  if (client.multi) return server.reply(client, reply.error('ERR WATCH inside MULTI is not allowed'));
  server.native.watch(client.id, client.db, argv.slice(1));
  server.reply(client, reply.OK);
}

function unwatch({ server, client }: CommandCall): void {
  server.native.unwatch(client.id);
  server.reply(client, reply.OK);
}

const FLAGS = 'noscript loading stale fast allow-busy';

export const transactionCommands = family('transactions', [
  tsCommand('multi', 1, FLAGS, NO_KEYS, doc('1.2.0', '', 'Starts a transaction.', 'O(1)'), multi),
  tsCommand('exec', 1, 'noscript loading stale skip-slowlog', NO_KEYS, doc('1.2.0', '', 'Executes all commands in a transaction.', 'Depends on commands in the transaction'), exec),
  tsCommand('discard', 1, FLAGS, NO_KEYS, doc('2.0.0', '', 'Discards a transaction.', 'O(N), when N is the number of queued commands'), discard),
  tsCommand('watch', -2, FLAGS, [1, -1, 1], doc('2.2.0', 'key [key ...]', 'Monitors changes to keys to determine the execution of a transaction.', 'O(1) for every key.'), watch),
  tsCommand('unwatch', 1, FLAGS, NO_KEYS, doc('2.2.0', '', 'Forgets about watched keys of a transaction.', 'O(1)'), unwatch),
]);
