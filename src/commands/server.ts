// Server commands: INFO, CONFIG, MODULE, COMMAND, TIME, SHUTDOWN. Texts and reply shapes
// are Redis 7.0.15's. COMMAND answers from the command table (introspection.ts);
// CONFIG from the OPTIONS list (config.ts); INFO's figures come from info.ts.

import { ConfigError, rewriteConfigFile } from '../config.js';
import { infoText } from '../info.js';
import { log } from '../log.js';
import * as reply from '../resp/reply.js';
import { loadedModule } from './connection.js';
import { aclCategories, encodeDocs, encodeInfo, keyFlagNames } from './introspection.js';
import { findKeys, hasKeys } from './key-specs.js';
import type { CommandCall, CommandSpec } from './spec.js';
import { CommandTable } from './table.js';
import { containerCommand, doc, family, NO_KEYS, subcommand, tsCommand } from './spec.js';

const str = (b: Buffer) => b.toString('latin1');

// ---- INFO TIME SHUTDOWN -------------------------------------------------------------------

function info({ server, client, argv }: CommandCall): void {
  server.reply(client, reply.verbatim(infoText(server, argv.slice(1).map(str)), client.resp3));
}

function time({ server, client }: CommandCall): void {
  const nowMs = performance.timeOrigin + performance.now();
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.floor((nowMs - sec * 1000) * 1000);
  server.reply(client, reply.array([reply.bulk(String(sec)), reply.bulk(String(Math.min(usec, 999999)))]));
}

function shutdown({ server, client, argv }: CommandCall): void {
  const opts = new Set<string>();
  for (const a of argv.slice(1)) {
    const o = str(a).toLowerCase();
    if (!['nosave', 'save', 'now', 'force', 'abort'].includes(o)) return server.reply(client, reply.SYNTAX_ERROR);
    opts.add(o);
  }
  if ((opts.has('abort') && opts.size > 1) || (opts.has('save') && opts.has('nosave'))) return server.reply(client, reply.SYNTAX_ERROR);
  // Shutting down takes no time (nothing to save), so there is never one to abort.
  if (opts.has('abort')) return server.reply(client, reply.error('ERR No shutdown in progress.'));
  server.shutdown('User requested shutdown...');
}

// ---- CONFIG -------------------------------------------------------------------------------

function configGet({ server, client, argv }: CommandCall): void {
  const patterns = argv.slice(2).map(str);
  const found = server.config.matching(patterns, (p, name) => server.native.globMatch(Buffer.from(p), Buffer.from(name), true));
  server.reply(client, reply.encode(reply.map(found.map(([shown, o]) => [shown, server.config.format(o.name)])), client.resp3));
}

function configSet({ server, client, argv }: CommandCall): void {
  if (argv.length % 2 !== 0) return server.reply(client, reply.SYNTAX_ERROR);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([str(argv[i]), argv[i + 1].toString()]);
  let changed: string[];
  try {
    changed = server.config.setMany(pairs);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return server.reply(client, reply.error(`ERR ${e.message}`));
  }
  for (const name of changed) server.configChanged(name);
  server.reply(client, reply.OK);
}

function configResetstat({ server, client }: CommandCall): void {
  server.resetStats();
  server.reply(client, reply.OK);
}

function configRewrite({ server, client }: CommandCall): void {
  if (!server.config.file) return server.reply(client, reply.error('ERR The server is running without a config file'));
  try {
    rewriteConfigFile(server.config);
  } catch (e) {
    log('warning', `CONFIG REWRITE failed: ${(e as Error).message}`);
    return server.reply(client, reply.error(`ERR Rewriting config file: ${(e as Error).message}`));
  }
  log('warning', 'CONFIG REWRITE executed with success.');
  server.reply(client, reply.OK);
}

const CONFIG_HELP = [
  'GET <pattern> [<pattern> ...]',
  '    Return the options matching any of the glob-like patterns, with their values.',
  'SET <directive> <value> [<directive> <value> ...]',
  '    Change options; either all of them change or none does.',
  'RESETSTAT',
  '    Zero the counters INFO reports.',
  'REWRITE',
  '    Write the current options back to the config file gearsd was started with.',
];

// ---- MODULE -------------------------------------------------------------------------------

function moduleList({ server, client }: CommandCall): void {
  server.reply(client, reply.encode([loadedModule()], client.resp3));
}

const MODULE_HELP = ['LIST', '    Return the loaded modules: RedisGears (rg), built into gearsd.'];

// ---- COMMAND ------------------------------------------------------------------------------

/** COMMAND INFO/DOCS accept "container|sub" names. */
function lookupFullName(call: CommandCall, name: string): CommandSpec | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return call.server.table.lookup(name);
  const container = call.server.table.lookup(name.slice(0, bar));
  return container && CommandTable.subcommand(container, name.slice(bar + 1));
}

function commandAll({ server, client, argv }: CommandCall): void {
  if (argv.length > 1) return server.reply(client, reply.error(`ERR unknown subcommand '${str(argv[1]).slice(0, 128)}'. Try COMMAND HELP.`));
  server.reply(client, reply.array(server.table.all.map((s) => encodeInfo(s, client.resp3))));
}

function commandCount({ server, client }: CommandCall): void {
  server.reply(client, reply.integer(server.table.size));
}

function commandInfo(call: CommandCall): void {
  const { server, client, argv } = call;
  if (argv.length === 2) return server.reply(client, reply.array(server.table.all.map((s) => encodeInfo(s, client.resp3))));
  server.reply(client, reply.array(argv.slice(2).map((a) => {
    const spec = lookupFullName(call, str(a));
    return spec ? encodeInfo(spec, client.resp3) : reply.nullBulk(client.resp3);
  })));
}

function commandDocs(call: CommandCall): void {
  const { server, client, argv } = call;
  const specs = argv.length === 2 ? server.table.all : argv.slice(2).flatMap((a) => lookupFullName(call, str(a)) ?? []);
  server.reply(client, Buffer.concat([reply.mapHeader(specs.length, client.resp3), ...specs.flatMap((s) => [reply.bulk(s.name), encodeDocs(s, client.resp3)])]));
}

function commandList({ server, client, argv }: CommandCall): void {
  let keep: (s: CommandSpec) => boolean = () => true;
  for (let i = 2; i < argv.length; i++) {
    if (str(argv[i]).toLowerCase() !== 'filterby' || argv.length - 1 - i !== 2) return server.reply(client, reply.SYNTAX_ERROR);
    const kind = str(argv[i + 1]).toLowerCase();
    const arg = str(argv[i + 2]);
    if (kind === 'module') {
      // Every RG.* command belongs to the built-in rg module; nothing else is a module's.
      keep = (s) => arg.toLowerCase() === 'rg' && s.name.startsWith('rg.');
    } else if (kind === 'aclcat') {
      keep = (s) => aclCategories(s).has(arg.toLowerCase());
    } else if (kind === 'pattern') {
      keep = (s) => server.native.globMatch(Buffer.from(arg), Buffer.from(s.name), true);
    } else {
      return server.reply(client, reply.SYNTAX_ERROR);
    }
    i += 2;
  }
  const names: string[] = [];
  const walk = (specs: readonly CommandSpec[]) => {
    for (const s of specs) {
      if (keep(s)) names.push(s.name);
      if (s.subcommands) walk(s.subcommands);
    }
  };
  walk(server.table.all);
  server.reply(client, reply.encode(names));
}

function getKeys(call: CommandCall, withFlags: boolean): void {
  const { server, client, argv } = call;
  const args = argv.slice(2);
  let spec = server.table.lookup(str(args[0]));
  if (spec?.subcommands && args.length >= 2) spec = CommandTable.subcommand(spec, str(args[1]));
  if (!spec) return server.reply(client, reply.error('ERR Invalid command specified'));
  if (!hasKeys(spec)) return server.reply(client, reply.error('ERR The command has no key arguments'));
  if ((spec.arity > 0 && spec.arity !== args.length) || args.length < -spec.arity) {
    return server.reply(client, reply.error('ERR Invalid number of arguments specified for command'));
  }
  const keys = findKeys(spec, args) ?? [];
  if (keys.length === 0) {
    if (spec.flags.includes('no-mandatory-keys')) return server.reply(client, reply.EMPTY_ARRAY);
    return server.reply(client, reply.error('ERR Invalid arguments specified for command'));
  }
  server.reply(
    client,
    reply.array(keys.map((k) => (withFlags ? reply.array([reply.bulk(args[k.pos]), reply.encode(keyFlagNames(k.flags), client.resp3)]) : reply.bulk(args[k.pos])))),
  );
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about every command.',
  'COUNT',
  '    Return the number of commands.',
  'LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]',
  '    Return the names of the commands (subcommands included), optionally filtered.',
  'INFO [<command-name> ...]',
  '    Return details about the given commands, or about every command.',
  'DOCS [<command-name> ...]',
  '    Return the documentation of the given commands, or of every command.',
  'GETKEYS <full-command>',
  '    Return the keys a full command would touch.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys a full command would touch, with how it uses each one.',
];

// ---- the table ------------------------------------------------------------------------------

const ADMIN = 'admin noscript loading stale';
const CMD_FLAGS = 'loading stale sentinel';
const anyOrder = { tips: ['nondeterministic_output_order'] };

export const serverCommands = family('server', [
  tsCommand('info', -1, 'loading stale sentinel', NO_KEYS, doc('1.0.0', '[section [section ...]]', 'Returns information and statistics about the server.', 'O(1)'), info, {
    acl: 'dangerous',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  }),
  tsCommand('time', 1, 'loading stale fast', NO_KEYS, doc('2.6.0', '', 'Returns the server time.', 'O(1)'), time, { tips: ['nondeterministic_output'] }),
  tsCommand(
    'shutdown',
    -1,
    'admin noscript loading stale no-multi sentinel allow-busy',
    NO_KEYS,
    doc('1.0.0', '[nosave_save=[NOSAVE | SAVE]] [NOW] [FORCE] [ABORT]', 'Closes every connection and stops the server.', 'O(1): gearsd keeps nothing to save'),
    shutdown,
  ),
  containerCommand('config', '', doc('2.0.0', '', 'A container for server configuration commands.', 'Depends on subcommand.'), [
    subcommand('config', 'get', -3, ADMIN, doc('2.0.0', 'parameter [parameter ...]', 'Returns the effective values of configuration parameters.', 'O(N) when N is the number of configuration parameters provided'), configGet),
    subcommand('config', 'set', -4, ADMIN, doc('2.0.0', 'parameter value [parameter value ...]', 'Sets configuration parameters in-flight.', 'O(N) when N is the number of configuration parameters provided'), configSet, {
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    }),
    subcommand('config', 'resetstat', 2, ADMIN, doc('2.0.0', '', 'Resets the server statistics.', 'O(1)'), configResetstat),
    subcommand('config', 'rewrite', 2, ADMIN, doc('2.8.0', '', 'Persists the effective configuration to file.', 'O(1)'), configRewrite),
    subcommand('config', 'help', 2, 'loading stale', doc('5.0.0', '', 'Returns helpful text about the CONFIG subcommands.', 'O(1)'), ({ server, client }) => server.reply(client, reply.help('config', CONFIG_HELP))),
  ]),
  containerCommand('module', '', doc('4.0.0', '', 'A container for module commands.', 'Depends on subcommand.'), [
    subcommand('module', 'list', 2, 'admin noscript', doc('4.0.0', '', 'Returns all loaded modules.', 'O(N) where N is the number of loaded modules.'), moduleList, anyOrder),
    subcommand('module', 'help', 2, 'loading stale', doc('5.0.0', '', 'Returns helpful text about the MODULE subcommands.', 'O(1)'), ({ server, client }) => server.reply(client, reply.help('module', MODULE_HELP))),
  ]),
  tsCommand('command', -1, CMD_FLAGS, NO_KEYS, doc('2.8.13', '', 'Returns detailed information about all commands.', 'O(N) where N is the total number of Redis commands'), commandAll, {
    acl: 'connection',
    tips: ['nondeterministic_output_order'],
    subcommands: [
      subcommand('command', 'count', 2, CMD_FLAGS, doc('2.8.13', '', 'Returns a count of commands.', 'O(1)'), commandCount),
      subcommand('command', 'docs', -2, CMD_FLAGS, doc('7.0.0', '[command-name [command-name ...]]', 'Returns documentary information about one, multiple or all commands.', 'O(N) where N is the number of commands to look up'), commandDocs, anyOrder),
      subcommand('command', 'getkeys', -4, CMD_FLAGS, doc('2.8.13', '', 'Extracts the key names from an arbitrary command.', 'O(N) where N is the number of arguments to the command'), (c) => getKeys(c, false)),
      subcommand('command', 'getkeysandflags', -4, CMD_FLAGS, doc('7.0.0', '', 'Extracts the key names and access flags for an arbitrary command.', 'O(N) where N is the number of arguments to the command'), (c) => getKeys(c, true)),
      subcommand('command', 'help', 2, CMD_FLAGS, doc('5.0.0', '', 'Returns helpful text about the COMMAND subcommands.', 'O(1)'), ({ server, client }) => server.reply(client, reply.help('command', COMMAND_HELP))),
      subcommand('command', 'info', -2, CMD_FLAGS, doc('2.8.13', '[command-name [command-name ...]]', 'Returns information about one, multiple or all commands.', 'O(N) where N is the number of commands to look up'), commandInfo, anyOrder),
      subcommand('command', 'list', -2, CMD_FLAGS, doc('7.0.0', '[FILTERBY filterby=<MODULE module-name | ACLCAT category | PATTERN pattern>]', 'Returns a list of command names.', 'O(N) where N is the total number of Redis commands'), commandList, anyOrder),
    ].map((s) => ({ ...s, acl: 'connection' })),
  }),
]);
