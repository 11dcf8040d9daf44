// Connection commands: the client's own session (PING, ECHO, QUIT, SELECT...).

import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';
import * as reply from '../resp/reply.js';

function ping({ server, client, argv }: CommandCall): void {
  if (argv.length > 2) return server.reply(client, reply.error("ERR wrong number of arguments for 'ping' command"));
  if (client.subscribed) {
    // In RESP2 subscribed mode PING answers in the shape of a pub/sub message.
    return server.reply(client, reply.array([reply.bulk('pong'), reply.bulk(argv.length === 2 ? argv[1] : '')]));
  }
  server.reply(client, argv.length === 2 ? reply.bulk(argv[1]) : reply.PONG);
}

function echo({ server, client, argv }: CommandCall): void {
  server.reply(client, reply.bulk(argv[1]));
}

function quit({ server, client }: CommandCall): void {
  server.reply(client, reply.OK);
  client.closeAfterReply = true;
}

function select({ server, client, argv }: CommandCall): void {
  const s = argv[1].toString();
  const db = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(db)) return server.reply(client, reply.error('ERR value is not an integer or out of range'));
  if (db < 0 || db >= server.config.int('databases')) return server.reply(client, reply.error('ERR DB index is out of range'));
  client.db = db;
  server.reply(client, reply.OK);
}

export const connectionCommands = family('connection', [
  tsCommand('ping', -1, 'fast sentinel', NO_KEYS, doc('1.0.0', '[message]', 'Returns the server\'s liveliness response.'), ping),
  tsCommand('echo', 2, 'fast', NO_KEYS, doc('1.0.0', 'message', 'Returns the given string.'), echo),
  tsCommand('quit', -1, 'allow-busy no-auth noscript loading stale fast', NO_KEYS, doc('1.0.0', '', 'Closes the connection.'), quit),
  tsCommand('select', 2, 'loading stale fast', NO_KEYS, doc('1.0.0', 'index', 'Changes the selected database.'), select),
]);
