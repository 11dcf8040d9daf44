// Redis's scripting commands, answered for a server whose scripting language is Python
// (RG.PYEXECUTE), not Lua: there is no Lua engine, so no function library or script can
// ever be loaded. FUNCTION/SCRIPT answer truthfully for that state (FUNCTION LIST is
// empty, FLUSH succeeds, LOAD names the missing engine), so tools and test harnesses that
// clear functions between runs keep working; EVAL and FCALL say where to go instead.

import * as reply from '../resp/reply.js';
import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';

const NO_LUA = 'ERR gearsd has no Lua engine: run Python with RG.PYEXECUTE instead';

const ieq = (b: Buffer | undefined, s: string) => b !== undefined && b.toString('latin1').toLowerCase() === s;

function functionFlush({ server, client, argv }: CommandCall): void {
  if (argv.length > 3 || (argv.length === 3 && !ieq(argv[2], 'async') && !ieq(argv[2], 'sync'))) {
    return server.reply(client, reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option'));
  }
  server.reply(client, reply.OK);
}

function functionList({ server, client, argv }: CommandCall): void {
  let withCode = false;
  let libraryName = false;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && ieq(argv[i], 'withcode')) withCode = true;
    else if (!libraryName && ieq(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) return server.reply(client, reply.error('ERR library name argument was not given'));
      libraryName = true;
      i++;
    } else return server.reply(client, reply.error(`ERR Unknown argument ${argv[i].toString('latin1')}`));
  }
  server.reply(client, reply.EMPTY_ARRAY);
}

function functionStats({ server, client }: CommandCall): void {
  server.reply(client, reply.encode(reply.mapOfPairs(['running_script', null, 'engines', reply.map([])]), client.resp3));
}

/** Validates the library's `#!<engine> name=<lib>` line as Redis does, then names the missing engine. */
function functionLoad({ server, client, argv }: CommandCall): void {
  let i = 2;
  if (ieq(argv[i], 'replace')) i++;
  if (i !== argv.length - 1) return server.reply(client, reply.error('ERR Function code was not given'));
  const code = argv[i].toString('latin1');
  if (!code.startsWith('#!')) return server.reply(client, reply.error('ERR Missing library metadata'));
  const nl = code.indexOf('\n');
  if (nl < 0) return server.reply(client, reply.error('ERR Invalid library metadata'));
  const [engine, ...parts] = code.slice(2, nl).trim().split(/\s+/);
  if (!engine) return server.reply(client, reply.error('ERR Invalid library metadata'));
  const names = parts.filter((p) => p.startsWith('name='));
  const other = parts.find((p) => !p.startsWith('name='));
  if (names.length > 1) return server.reply(client, reply.error('ERR Invalid metadata value, name argument was given multiple times'));
  if (other) return server.reply(client, reply.error(`ERR Invalid metadata value given: ${other}`));
  if (names.length === 0) return server.reply(client, reply.error('ERR Library name was not given'));
  server.reply(client, reply.error(`ERR Engine '${engine}' not found`));
}

const notFound = ({ server, client }: CommandCall) => server.reply(client, reply.error('ERR Library not found'));
const notBusy = ({ server, client }: CommandCall) => server.reply(client, reply.error('NOTBUSY No scripts in execution right now.'));
const noLua = ({ server, client }: CommandCall) => server.reply(client, reply.error(NO_LUA));

function scriptExists({ server, client, argv }: CommandCall): void {
  server.reply(client, reply.array(argv.slice(2).map(() => reply.ZERO)));
}

function scriptFlush({ server, client, argv }: CommandCall): void {
  if (argv.length > 3 || (argv.length === 3 && !ieq(argv[2], 'async') && !ieq(argv[2], 'sync'))) {
    return server.reply(client, reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option'));
  }
  server.reply(client, reply.OK);
}

function help(lines: string[]) {
  return ({ server, client }: CommandCall) => server.reply(client, reply.array(lines.map(reply.simple)));
}

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST [WITHCODE] [LIBRARYNAME <pattern>]',
  '    Lists libraries; gearsd has no Lua engine, so there are none.',
  'FLUSH [ASYNC|SYNC]',
  '    Deletes all libraries (there are none).',
  'STATS',
  '    Returns the running script (none) and the engines (none).',
  'HELP',
  '    Prints this help. Python runs through RG.PYEXECUTE.',
];
const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'EXISTS <sha1> [<sha1> ...]',
  '    Always 0: gearsd has no Lua engine.',
  'FLUSH [ASYNC|SYNC]',
  '    Flushes the (empty) script cache.',
  'HELP',
  '    Prints this help. Python runs through RG.PYEXECUTE.',
];

const fn = (sub: string, arity: number, flags: string, syntax: string, summary: string, run: (c: CommandCall) => void) =>
  tsCommand(`function|${sub}`, arity, flags, NO_KEYS, doc('7.0.0', syntax, summary), run);
const script = (sub: string, arity: number, flags: string, syntax: string, summary: string, run: (c: CommandCall) => void) =>
  tsCommand(`script|${sub}`, arity, flags, NO_KEYS, doc('2.6.0', syntax, summary), run);

export const scriptingCommands = family('scripting', [
  tsCommand('eval', -3, 'noscript skip-monitor may-replicate stale movablekeys', NO_KEYS, doc('2.6.0', 'script numkeys [key [key ...]] [arg [arg ...]]', 'Would run a Lua script; gearsd runs Python instead (RG.PYEXECUTE).'), noLua),
  tsCommand('evalsha', -3, 'noscript skip-monitor may-replicate stale movablekeys', NO_KEYS, doc('2.6.0', 'sha1 numkeys [key [key ...]] [arg [arg ...]]', 'Would run a cached Lua script; gearsd has no Lua engine.'), noLua),
  tsCommand('fcall', -3, 'noscript skip-monitor may-replicate stale movablekeys', NO_KEYS, doc('7.0.0', 'function numkeys [key [key ...]] [arg [arg ...]]', 'Would call a Lua function; gearsd has no Lua engine.'), noLua),
  tsCommand('function', -2, '', NO_KEYS, doc('7.0.0', 'subcommand [argument ...]', 'A container for function commands.'), help(FUNCTION_HELP), [
    fn('flush', -2, 'noscript write', '[ASYNC | SYNC]', 'Deletes all libraries (gearsd has none).', functionFlush),
    fn('list', -2, 'noscript', '[LIBRARYNAME library-name-pattern] [WITHCODE]', 'Lists the libraries (none: gearsd has no Lua engine).', functionList),
    fn('stats', 2, 'noscript allow-busy', '', 'Returns the running function (none) and the engines (none).', functionStats),
    fn('load', -3, 'noscript write denyoom', '[REPLACE] function-code', 'Checks a library and reports that its engine is missing.', functionLoad),
    fn('delete', 3, 'noscript write', 'library-name', 'Deletes a library (none exist).', notFound),
    fn('kill', 2, 'noscript allow-busy', '', 'Stops a running function (none ever runs).', notBusy),
    fn('dump', 2, 'noscript', '', 'Would serialise the libraries; gearsd has no Lua engine.', noLua),
    fn('restore', -3, 'noscript write denyoom', 'serialized-value [FLUSH | APPEND | REPLACE]', 'Would restore libraries; gearsd has no Lua engine.', noLua),
    fn('help', 2, 'loading stale', '', 'Returns helpful text about the different subcommands.', help(FUNCTION_HELP)),
  ]),
  tsCommand('script', -2, '', NO_KEYS, doc('2.6.0', 'subcommand [argument ...]', 'A container for Lua scripts management commands.'), help(SCRIPT_HELP), [
    script('exists', -3, 'noscript', 'sha1 [sha1 ...]', 'Tells whether scripts are cached (never, without a Lua engine).', scriptExists),
    script('flush', -2, 'noscript', '[ASYNC | SYNC]', 'Empties the script cache (always empty).', scriptFlush),
    script('load', 3, 'noscript stale', 'script', 'Would cache a Lua script; gearsd has no Lua engine.', noLua),
    script('kill', 2, 'noscript allow-busy', '', 'Stops a running script (none ever runs).', notBusy),
    script('help', 2, 'loading stale', '', 'Returns helpful text about the different subcommands.', help(SCRIPT_HELP)),
  ]),
]);
