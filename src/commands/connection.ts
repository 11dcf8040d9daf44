// Connection commands: the client's own session (PING, ECHO, QUIT, SELECT, AUTH, HELLO,
// CLIENT ..., RESET). Texts and edge cases are Redis 7.0.15's; gearsd has one user,
// "default", whose password is requirepass (no ACLs); HELLO switches a connection between
// RESP2 and RESP3.

import { createHash, timingSafeEqual } from 'node:crypto';

import { ReplyMode, type Client } from '../client.js';
import { clientInfoLine, clientTypeMatcher } from '../client-list.js';
import { RG_MODULE_VERSION, REDIS_VERSION } from '../info.js';
import { parseInt64 } from '../int64.js';
import { addonPath } from '../native.js';
import * as reply from '../resp/reply.js';
import type { Server } from '../server.js';
import type { CommandCall } from './spec.js';
import { discardTransaction } from './transactions.js';
import { containerCommand, doc, family, NO_KEYS, subcommand, tsCommand } from './spec.js';

const WRONGPASS = reply.error('WRONGPASS invalid username-password pair or user is disabled.');
const NOT_INTEGER = reply.error('ERR value is not an integer or out of range');

/** The argument as Redis's string2ll reads it, or null. */
function parseInteger(b: Buffer): bigint | null {
  return parseInt64(b.toString('latin1'));
}

function subcommandSyntaxError(argv: Buffer[]): Buffer {
  return reply.error(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1].toString('latin1').slice(0, 128)}'. Try ${argv[0].toString('latin1').toUpperCase()} HELP.`,
  );
}

// ---- PING ECHO QUIT SELECT --------------------------------------------------------------

function ping({ server, client, argv }: CommandCall): void {
  if (argv.length > 2) return server.reply(client, reply.error("ERR wrong number of arguments for 'ping' command"));
  if (client.subscribed && !client.resp3) {
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
  server.closeAfterReply(client);
}

function select({ server, client, argv }: CommandCall): void {
  const s = argv[1].toString();
  const db = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(db)) return server.reply(client, NOT_INTEGER);
  if (db < 0 || db >= server.config.int('databases')) return server.reply(client, reply.error('ERR DB index is out of range'));
  client.db = db;
  server.reply(client, reply.OK);
}

// ---- AUTH HELLO RESET -------------------------------------------------------------------

/** Constant-time comparison of a password with requirepass. */
function passwordMatches(server: Server, given: Buffer): boolean {
  const digest = (b: Buffer | string) => createHash('sha256').update(b).digest();
  return timingSafeEqual(digest(given), digest(server.config.str('requirepass')));
}

/** The "default" user: without requirepass any password opens it, as with Redis's nopass. */
function authenticate(server: Server, client: Client, user: Buffer, pass: Buffer): boolean {
  if (user.toString('latin1') !== 'default') return false;
  if (server.authRequired && !passwordMatches(server, pass)) return false;
  client.authenticated = true;
  return true;
}

function auth({ server, client, argv }: CommandCall): void {
  if (argv.length > 3) return server.reply(client, reply.SYNTAX_ERROR);
  if (argv.length === 2 && !server.authRequired) {
    return server.reply(
      client,
      reply.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
    );
  }
  const [user, pass] = argv.length === 2 ? [Buffer.from('default'), argv[1]] : [argv[1], argv[2]];
  server.reply(client, authenticate(server, client, user, pass) ? reply.OK : WRONGPASS);
}

const INVALID_NAME = reply.error('ERR Client names cannot contain spaces, newlines or special characters.');

/** Redis's rule: printable ASCII without spaces; empty clears the name. */
function validClientName(name: Buffer): boolean {
  return name.every((c) => c >= 0x21 && c <= 0x7e);
}

function hello({ server, client, argv }: CommandCall): void {
  let next = 1;
  let ver: bigint | null = null;
  if (argv.length >= 2) {
    ver = parseInteger(argv[next++]);
    if (ver === null) return server.reply(client, reply.error('ERR Protocol version is not an integer or out of range'));
    if (ver !== 2n && ver !== 3n) return server.reply(client, reply.error('NOPROTO unsupported protocol version'));
  }
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toString('latin1');
    if (opt.toLowerCase() === 'auth' && more >= 2) {
      if (!authenticate(server, client, argv[j + 1], argv[j + 2])) return server.reply(client, WRONGPASS);
      j += 2;
    } else if (opt.toLowerCase() === 'setname' && more >= 1) {
      if (!validClientName(argv[j + 1])) return server.reply(client, INVALID_NAME);
      client.name = argv[j + 1].toString('latin1');
      j++;
    } else {
      return server.reply(client, reply.error(`ERR Syntax error in HELLO option '${opt}'`));
    }
  }
  if (!client.authenticated && server.authRequired) {
    return server.reply(
      client,
      reply.error(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      ),
    );
  }
  if (ver !== null) client.resp3 = ver === 3n;
  server.reply(
    client,
    reply.encode(
      reply.mapOfPairs([
        'server', 'redis',
        'version', REDIS_VERSION,
        'proto', client.resp3 ? 3 : 2,
        'id', client.id,
        'mode', 'standalone',
        'role', 'master',
        'modules', [loadedModule()],
      ]),
      client.resp3,
    ),
  );
}

/** The built-in RedisGears, as MODULE LIST and HELLO describe a loaded module. */
export function loadedModule(): reply.Value {
  return reply.mapOfPairs(['name', 'rg', 'ver', RG_MODULE_VERSION, 'path', addonPath(), 'args', []]);
}

function reset({ server, client }: CommandCall): void {
  server.setReplyMode(client, ReplyMode.On);
  discardTransaction(server, client);
  server.pubsub.forget(server, client);
  client.db = 0;
  client.name = '';
  client.resp3 = false;
  client.authenticated = !server.authRequired;
  server.reply(client, reply.simple('RESET'));
}

// ---- CLIENT -------------------------------------------------------------------------------

function clientId({ server, client }: CommandCall): void {
  server.reply(client, reply.integer(client.id));
}

function clientSetname({ server, client, argv }: CommandCall): void {
  if (!validClientName(argv[2])) return server.reply(client, INVALID_NAME);
  client.name = argv[2].toString('latin1');
  server.reply(client, reply.OK);
}

function clientGetname({ server, client }: CommandCall): void {
  server.reply(client, client.name ? reply.bulk(client.name) : reply.nullBulk(client.resp3));
}

function clientInfo({ server, client }: CommandCall): void {
  server.reply(client, reply.verbatim(`${clientInfoLine(client)}\n`, client.resp3));
}

function clientList({ server, client, argv }: CommandCall): void {
  let chosen: Client[];
  if (argv.length === 4 && argv[2].toString('latin1').toLowerCase() === 'type') {
    const matches = clientTypeMatcher(argv[3].toString('latin1'));
    if (!matches) return server.reply(client, reply.error(`ERR Unknown client type '${argv[3].toString('latin1')}'`));
    chosen = [...server.clients.values()].filter(matches);
  } else if (argv.length > 3 && argv[2].toString('latin1').toLowerCase() === 'id') {
    chosen = [];
    for (const a of argv.slice(3)) {
      const id = parseInteger(a);
      if (id === null) return server.reply(client, reply.error('ERR Invalid client ID'));
      const c = server.clients.get(Number(id));
      if (c) chosen.push(c);
    }
  } else if (argv.length !== 2) {
    return server.reply(client, reply.SYNTAX_ERROR);
  } else {
    chosen = [...server.clients.values()];
  }
  server.reply(client, reply.verbatim(chosen.map((c) => `${clientInfoLine(c)}\n`).join(''), client.resp3));
}

function clientKill({ server, client, argv }: CommandCall): void {
  const filters: ((c: Client) => boolean)[] = [];
  let skipMe = true;
  const oldForm = argv.length === 3;
  if (oldForm) {
    const addr = argv[2].toString('latin1');
    filters.push((c) => c.addr === addr);
    skipMe = false; // the old form may kill the caller itself
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toString('latin1').toLowerCase();
      if (i + 1 >= argv.length) return server.reply(client, reply.SYNTAX_ERROR);
      const value = argv[i + 1].toString('latin1');
      if (opt === 'id') {
        const id = parseInteger(argv[i + 1]);
        if (id === null || id < 1n) return server.reply(client, reply.error('ERR client-id should be greater than 0'));
        filters.push((c) => BigInt(c.id) === id);
      } else if (opt === 'type') {
        const matches = clientTypeMatcher(value);
        if (!matches) return server.reply(client, reply.error(`ERR Unknown client type '${value}'`));
        filters.push(matches);
      } else if (opt === 'addr') {
        filters.push((c) => c.addr === value);
      } else if (opt === 'laddr') {
        filters.push((c) => c.laddr === value);
      } else if (opt === 'user') {
        if (value !== 'default') return server.reply(client, reply.error(`ERR No such user '${value}'`));
      } else if (opt === 'skipme') {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') return server.reply(client, reply.SYNTAX_ERROR);
        skipMe = v === 'yes';
      } else {
        return server.reply(client, reply.SYNTAX_ERROR);
      }
    }
  }
  let killed = 0;
  let killSelf = false;
  for (const c of [...server.clients.values()]) {
    if (!filters.every((f) => f(c))) continue;
    if (c === client) {
      if (skipMe) continue;
      killSelf = true;
    } else {
      server.disconnect(c);
    }
    killed++;
  }
  if (oldForm) server.reply(client, killed === 0 ? reply.error('ERR No such client') : reply.OK);
  else server.reply(client, reply.integer(killed));
  if (killSelf) server.closeAfterReply(client);
}

function clientUnblock({ server, client, argv }: CommandCall): void {
  if (argv.length > 4) return server.reply(client, subcommandSyntaxError(argv));
  let withError = false;
  if (argv.length === 4) {
    const how = argv[3].toString('latin1').toLowerCase();
    if (how === 'error') withError = true;
    else if (how !== 'timeout') return server.reply(client, reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'));
  }
  const id = parseInteger(argv[2]);
  if (id === null) return server.reply(client, NOT_INTEGER);
  const target = server.clients.get(Number(id));
  server.reply(client, target && server.forceUnblock(target, withError) ? reply.ONE : reply.ZERO);
}

function onOff(argv: Buffer[]): 'on' | 'off' | string {
  return argv[2].toString('latin1').toLowerCase();
}

function clientNoEvict({ server, client, argv }: CommandCall): void {
  const v = onOff(argv);
  if (v !== 'on' && v !== 'off') return server.reply(client, reply.SYNTAX_ERROR);
  client.noEvict = v === 'on';
  server.reply(client, reply.OK);
}

function clientReply({ server, client, argv }: CommandCall): void {
  const v = argv[2].toString('latin1').toLowerCase();
  if (v === 'on') {
    server.setReplyMode(client, ReplyMode.On);
    server.reply(client, reply.OK);
  } else if (v === 'off') {
    server.setReplyMode(client, ReplyMode.Off);
  } else if (v === 'skip') {
    if (client.replyMode !== ReplyMode.Off) server.setReplyMode(client, ReplyMode.SkipNext);
  } else {
    server.reply(client, reply.SYNTAX_ERROR);
  }
}

function clientGetredir({ server, client }: CommandCall): void {
  server.reply(client, reply.integer(-1)); // no client-side caching: never tracking
}

function clientTrackinginfo({ server, client }: CommandCall): void {
  server.reply(client, reply.encode(reply.mapOfPairs(['flags', new reply.SetValue(['off']), 'redirect', -1, 'prefixes', []]), client.resp3));
}

const CLIENT_HELP = [
  'GETNAME',
  "    Return the current connection's name.",
  'GETREDIR',
  '    Return the client ID tracking redirects to (always -1: gearsd does no client-side caching).',
  'ID',
  "    Return the current connection's ID.",
  'INFO',
  '    Return information about the current connection.',
  'KILL <ip:port>',
  '    Close the connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Close the connections that match every option:',
  '    * ID <client-id>',
  '    * ADDR <ip:port>       (the client side of the connection)',
  '    * LADDR <ip:port>      (the server side of the connection)',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '    * USER <username>',
  '    * SKIPME (YES|NO)      (spare the calling connection; default YES)',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> ...]',
  '    Return information about connections.',
  'NO-EVICT (ON|OFF)',
  '    Mark the current connection as not to be evicted.',
  'REPLY (ON|OFF|SKIP)',
  '    Turn the replies to this connection on or off, or drop the next one.',
  'SETNAME <name>',
  '    Name the current connection.',
  'TRACKINGINFO',
  '    Report client-side caching state (always off).',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    End the wait of a blocked client, as a timeout or with an error.',
];

function clientHelp({ server, client }: CommandCall): void {
  server.reply(client, reply.help('client', CLIENT_HELP));
}

// ---- the table ------------------------------------------------------------------------------

const SUB_FLAGS = 'noscript loading stale sentinel';
const nondeterministic = { tips: ['nondeterministic_output'] };

export const connectionCommands = family('connection', [
  tsCommand('ping', -1, 'fast sentinel', NO_KEYS, doc('1.0.0', '[message]', "Returns the server's liveliness response.", 'O(1)'), ping, {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  }),
  tsCommand('echo', 2, 'loading stale fast', NO_KEYS, doc('1.0.0', 'message', 'Returns the given string.', 'O(1)'), echo),
  tsCommand('quit', -1, 'allow-busy no-auth noscript loading stale fast', NO_KEYS, doc('1.0.0', '', 'Closes the connection.', 'O(1)'), quit),
  tsCommand('select', 2, 'loading stale fast', NO_KEYS, doc('1.0.0', 'index:integer', 'Changes the selected database.', 'O(1)'), select),
  tsCommand('auth', -2, 'noscript loading stale fast no-auth sentinel allow-busy', NO_KEYS, doc('1.0.0', '[username] password', 'Authenticates the connection.', 'O(N) where N is the number of passwords defined for the user'), auth),
  tsCommand(
    'hello',
    -1,
    'noscript loading stale fast no-auth sentinel allow-busy',
    NO_KEYS,
    doc('6.0.0', 'arguments=[protover username_password=[AUTH username password] [SETNAME clientname]]', 'Handshakes with the server, optionally switching the protocol (RESP2 or RESP3).', 'O(1)'),
    hello,
  ),
  tsCommand('reset', 1, 'noscript loading stale fast no-auth allow-busy', NO_KEYS, doc('6.2.0', '', 'Resets the connection to its freshly connected state.', 'O(1)'), reset),
  containerCommand('client', 'sentinel', doc('2.4.0', '', 'A container for client connection commands.', 'Depends on subcommand.'), [
    subcommand('client', 'getname', 2, SUB_FLAGS, doc('2.6.9', '', "Returns the name of the connection.", 'O(1)'), clientGetname),
    subcommand('client', 'getredir', 2, SUB_FLAGS, doc('6.0.0', '', 'Returns the client ID to which tracking notifications are redirected.', 'O(1)'), clientGetredir),
    subcommand('client', 'help', 2, 'loading stale sentinel', doc('5.0.0', '', 'Returns helpful text about the CLIENT subcommands.', 'O(1)'), clientHelp),
    subcommand('client', 'id', 2, SUB_FLAGS, doc('5.0.0', '', 'Returns the unique client ID of the connection.', 'O(1)'), clientId),
    subcommand('client', 'info', 2, SUB_FLAGS, doc('6.2.0', '', 'Returns information about the connection.', 'O(1)'), clientInfo, nondeterministic),
    subcommand(
      'client',
      'kill',
      -3,
      `admin ${SUB_FLAGS}`,
      doc(
        '2.4.0',
        'filter=<ip:port | new-format=<[ID client-id] | [TYPE normal_master_slave_pubsub=<NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]> [new-format=<[ID client-id] | [TYPE normal_master_slave_pubsub=<NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]> ...]>',
        'Terminates open connections.',
        'O(N) where N is the number of client connections',
      ),
      clientKill,
    ),
    subcommand(
      'client',
      'list',
      -2,
      `admin ${SUB_FLAGS}`,
      doc('2.4.0', '[TYPE normal_master_replica_pubsub=<NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]', 'Lists open connections.', 'O(N) where N is the number of client connections'),
      clientList,
      nondeterministic,
    ),
    subcommand('client', 'no-evict', 3, `admin ${SUB_FLAGS}`, doc('7.0.0', 'enabled=<ON | OFF>', 'Sets the client eviction mode of the connection.', 'O(1)'), clientNoEvict),
    subcommand('client', 'reply', 3, SUB_FLAGS, doc('3.2.0', 'on_off_skip=<ON | OFF | SKIP>', 'Instructs the server whether to reply to commands.', 'O(1)'), clientReply),
    subcommand('client', 'setname', 3, SUB_FLAGS, doc('2.6.9', 'connection-name', 'Sets the connection name.', 'O(1)'), clientSetname),
    subcommand('client', 'trackinginfo', 2, SUB_FLAGS, doc('6.2.0', '', 'Returns information about server-assisted client-side caching for the connection.', 'O(1)'), clientTrackinginfo),
    subcommand(
      'client',
      'unblock',
      -3,
      `admin ${SUB_FLAGS}`,
      doc('5.0.0', 'client-id timeout_error=[TIMEOUT | ERROR]', 'Unblocks a client blocked by a blocking command from a different connection.', 'O(log N) where N is the number of client connections'),
      clientUnblock,
    ),
  ]),
]);
