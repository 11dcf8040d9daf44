// What COMMAND, COMMAND INFO and COMMAND DOCS say about a table entry, in Redis 7.0's
// exact shapes (maps and sets: RESP3's types, flat arrays and arrays in RESP2). Everything is computed from
// the entry; an entry's encoding is cached on first use, so start-up does none of it.

import { log } from '../log.js';
import * as reply from '../resp/reply.js';
import { mapOfPairs, SetValue, Status, type Value } from '../resp/reply.js';
import { keySpecsOf } from './key-specs.js';
import type { CommandFlag, CommandGroup, CommandSpec, KeySpec } from './spec.js';
import { parseSyntax, type DocArg } from './syntax.js';

// COMMAND's flag names, in Redis's order; flags Redis hides (may-replicate, sentinel...)
// are absent.
const FLAG_ORDER: [CommandFlag | 'module', string][] = [
  ['write', 'write'],
  ['readonly', 'readonly'],
  ['denyoom', 'denyoom'],
  ['module', 'module'],
  ['admin', 'admin'],
  ['pubsub', 'pubsub'],
  ['noscript', 'noscript'],
  ['blocking', 'blocking'],
  ['loading', 'loading'],
  ['stale', 'stale'],
  ['skip-monitor', 'skip_monitor'],
  ['skip-slowlog', 'skip_slowlog'],
  ['asking', 'asking'],
  ['fast', 'fast'],
  ['no-auth', 'no_auth'],
  ['no-mandatory-keys', 'no_mandatory_keys'],
  ['no-async-loading', 'no_async_loading'],
  ['no-multi', 'no_multi'],
  ['movablekeys', 'movablekeys'],
  ['allow-busy', 'allow_busy'],
];

// ACL categories in Redis's order.
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;

const GROUP_CATEGORY: Partial<Record<CommandGroup, string>> = {
  generic: 'keyspace',
  string: 'string',
  list: 'list',
  set: 'set',
  'sorted-set': 'sortedset',
  hash: 'hash',
  connection: 'connection',
  transactions: 'transaction',
  scripting: 'scripting',
  stream: 'stream',
  bitmap: 'bitmap',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
};

const KEY_FLAG_ORDER: [string, string][] = [
  ['RO', 'RO'],
  ['RW', 'RW'],
  ['OW', 'OW'],
  ['RM', 'RM'],
  ['ACCESS', 'access'],
  ['UPDATE', 'update'],
  ['INSERT', 'insert'],
  ['DELETE', 'delete'],
  ['NOT_KEY', 'not_key'],
  ['INCOMPLETE', 'incomplete'],
  ['VARIABLE_FLAGS', 'variable_flags'],
];

const statuses = (names: string[]) => new SetValue(names.map((n) => new Status(n)));

/** The entry's ACL categories: declared or the group's, plus those its flags imply (Redis's setImplicitACLCategories). */
export function aclCategories(spec: CommandSpec): Set<string> {
  // Container commands (CLIENT, CONFIG...) carry no category of their own in Redis.
  const base = spec.acl ?? (spec.subcommands ? '' : GROUP_CATEGORY[spec.group] ?? '');
  const cats = new Set(base.split(' ').filter(Boolean));
  const f = spec.flags;
  if (f.includes('write')) cats.add('write');
  if (f.includes('readonly') && !cats.has('scripting')) cats.add('read');
  if (f.includes('admin')) cats.add('admin').add('dangerous');
  if (f.includes('pubsub')) cats.add('pubsub');
  if (f.includes('fast')) cats.add('fast');
  if (f.includes('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return cats;
}

export function keyFlagNames(flags: string): SetValue {
  const given = new Set(flags.split(' ').filter(Boolean));
  return statuses(KEY_FLAG_ORDER.filter(([f]) => given.has(f)).map(([, n]) => n));
}

function keySpecValue(k: KeySpec): Value {
  const out: Value[] = [];
  if (k.notes) out.push('notes', k.notes);
  out.push('flags', keyFlagNames(k.flags));
  out.push('begin_search');
  const search = (type: string, spec: Value[]) => mapOfPairs(['type', type, 'spec', mapOfPairs(spec)]);
  if (k.begin === 'unknown') out.push(search('unknown', []));
  else if ('index' in k.begin) out.push(search('index', ['index', k.begin.index]));
  else out.push(search('keyword', ['keyword', k.begin.keyword, 'startfrom', k.begin.startfrom]));
  out.push('find_keys');
  if (k.find === 'unknown') out.push(search('unknown', []));
  else if ('lastkey' in k.find) out.push(search('range', ['lastkey', k.find.lastkey, 'keystep', k.find.keystep, 'limit', k.find.limit]));
  else out.push(search('keynum', ['keynumidx', k.find.keynumidx, 'firstkey', k.find.firstkey, 'keystep', k.find.keystep]));
  return mapOfPairs(out);
}

function infoValue(spec: CommandSpec): Value {
  const flags = new Set<string>(spec.flags);
  const cats = aclCategories(spec);
  return [
    spec.name,
    spec.arity,
    statuses(FLAG_ORDER.filter(([f]) => flags.has(f)).map(([, n]) => n)),
    spec.keys[0],
    spec.keys[1],
    spec.keys[2],
    statuses(ACL_CATEGORIES.filter((c) => cats.has(c)).map((c) => `@${c}`)),
    new SetValue([...(spec.tips ?? [])]),
    new SetValue(keySpecsOf(spec).map(keySpecValue)),
    // Redis answers an empty set for a command without subcommands, an array otherwise.
    spec.subcommands ? spec.subcommands.map(infoValue) : new SetValue([]),
  ];
}

function argValue(a: DocArg): Value {
  const out: Value[] = ['name', a.name, 'type', a.type];
  if (a.keySpecIndex !== undefined) out.push('key_spec_index', a.keySpecIndex);
  if (a.token !== undefined) out.push('token', a.token);
  const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter((x): x is string => !!x);
  if (flags.length > 0) out.push('flags', statuses(flags));
  if (a.arguments) out.push('arguments', a.arguments.map(argValue));
  return mapOfPairs(out);
}

/**
 * The entry's arguments as COMMAND DOCS gives them. Containers (CLIENT, CONFIG...) have
 * none of their own in Redis. A syntax that does not parse (test/syntax.test.ts catches
 * those) gives none rather than failing COMMAND DOCS.
 */
export function docArguments(spec: CommandSpec): DocArg[] {
  if (spec.subcommands) return [];
  try {
    return parseSyntax(spec.syntax, keySpecsOf(spec).length);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    log('warning', `COMMAND DOCS: cannot read the syntax of ${spec.name}: ${e.message}`);
    return [];
  }
}

function docsValue(spec: CommandSpec): Value {
  const out: Value[] = [];
  if (spec.summary) out.push('summary', spec.summary);
  if (spec.since) out.push('since', spec.since);
  out.push('group', spec.group);
  if (spec.complexity) out.push('complexity', spec.complexity);
  if (spec.docFlags) out.push('doc_flags', statuses(spec.docFlags.split(' ')));
  if (spec.deprecatedSince) out.push('deprecated_since', spec.deprecatedSince);
  if (spec.replacedBy) out.push('replaced_by', spec.replacedBy);
  if (spec.history) out.push('history', new SetValue(spec.history.map(([v, c]) => [v, c])));
  const args = docArguments(spec);
  if (args.length > 0) out.push('arguments', args.map(argValue));
  if (spec.subcommands) out.push('subcommands', mapOfPairs(spec.subcommands.flatMap((s) => [s.name, docsValue(s)])));
  return mapOfPairs(out);
}

// One cache per protocol: [RESP2, RESP3].
const infoCache = [new WeakMap<CommandSpec, Buffer>(), new WeakMap<CommandSpec, Buffer>()];
const docsCache = [new WeakMap<CommandSpec, Buffer>(), new WeakMap<CommandSpec, Buffer>()];

function cached(caches: WeakMap<CommandSpec, Buffer>[], spec: CommandSpec, resp3: boolean, value: (s: CommandSpec) => Value): Buffer {
  const cache = caches[resp3 ? 1 : 0];
  let b = cache.get(spec);
  if (!b) cache.set(spec, (b = reply.encode(value(spec), resp3)));
  return b;
}

/** COMMAND INFO's entry for one command. */
export function encodeInfo(spec: CommandSpec, resp3 = false): Buffer {
  return cached(infoCache, spec, resp3, infoValue);
}

/** COMMAND DOCS's value for one command (its name goes before it). */
export function encodeDocs(spec: CommandSpec, resp3 = false): Buffer {
  return cached(docsCache, spec, resp3, docsValue);
}
