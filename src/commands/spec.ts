// What a command table entry is. Every command is declared once, as data: name, arity,
// flags, key positions, documentation, and either a TS handler or nothing (then it is
// implemented natively, in native/store). Dispatch, the arity and auth checks, MULTI
// queueing, COMMAND and COMMAND DOCS all read these entries; handlers never repeat them.

import type { Client } from '../client.js';
import type { Server } from '../server.js';
import type { FoundKey } from './key-specs.js';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'fast'
  | 'no-auth'
  | 'movablekeys'
  | 'no-multi'
  | 'allow-busy'
  | 'skip-monitor'
  | 'skip-slowlog'
  | 'may-replicate'
  | 'sentinel'
  | 'only-sentinel'
  | 'no-mandatory-keys'
  | 'no-async-loading'
  | 'asking'
  | 'protected';

export type CommandGroup =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'stream'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'cluster'
  | 'module';

/** [firstKey, lastKey, step] as in COMMAND's legacy key specification. */
export type KeyPositions = readonly [number, number, number];
export const NO_KEYS: KeyPositions = [0, 0, 0];

/**
 * A Redis 7 key specification (COMMAND INFO's 9th field, COMMAND GETKEYS): where the
 * search for keys begins, how keys are found from there, and what the command does to
 * them. `flags` are Redis's names, space separated: RO RW OW RM, ACCESS UPDATE INSERT
 * DELETE, NOT_KEY INCOMPLETE VARIABLE_FLAGS.
 */
export interface KeySpec {
  flags: string;
  begin: { index: number } | { keyword: string; startfrom: number } | 'unknown';
  find: { lastkey: number; keystep: number; limit: number } | { keynumidx: number; firstkey: number; keystep: number } | 'unknown';
  notes?: string;
}

export interface CommandCall {
  server: Server;
  client: Client;
  argv: Buffer[];
  spec: CommandSpec;
  /** CallerFlags (src/native.ts): e.g. CALLER_DENY_BLOCKING inside EXEC or Python's execute(). */
  caller?: number;
}

export type Handler = (call: CommandCall) => void;

export interface CommandSpec {
  /** Lower case. Subcommands are named "container|sub", as COMMAND shows them. */
  name: string;
  /** Redis convention: N means exactly N arguments (name included), -N at least N. */
  arity: number;
  flags: readonly CommandFlag[];
  keys: KeyPositions;
  group: CommandGroup;
  since: string;
  summary: string;
  /** Arguments in the notation of Redis's docs, e.g. "key value [NX | XX]". */
  syntax: string;
  complexity?: string;
  /** TS implementation; absent when the command is native. */
  run?: Handler;
  subcommands?: CommandSpec[];
  /**
   * Key specifications. Absent: one is derived from `keys` (RO ACCESS for readonly
   * commands, RW UPDATE for writes; see key-specs.ts); give them where Redis's differ.
   */
  keySpecs?: readonly KeySpec[];
  /**
   * Finds the keys of a request where the key specs cannot (an INCOMPLETE or unknown spec,
   * or VARIABLE_FLAGS): Redis's getkeys_proc for that command (e.g. sortGetKeys).
   */
  getKeys?: (argv: readonly Buffer[]) => FoundKey[];
  /** ACL categories beyond the implied ones, e.g. "dangerous"; absent: the group's own. */
  acl?: string;
  /** COMMAND INFO tips, e.g. "nondeterministic_output". */
  tips?: readonly string[];
  /** COMMAND DOCS history: [version, change]. */
  history?: readonly (readonly [string, string])[];
  /** COMMAND DOCS doc_flags: "deprecated", "syscmd". */
  docFlags?: string;
  deprecatedSince?: string;
  replacedBy?: string;
  /** Filled at start-up: the id the addon knows this command by (native or not). */
  nativeId?: number;
  /** True when the addon implements it. */
  isNative?: boolean;
}

type Doc = Pick<CommandSpec, 'since' | 'syntax' | 'summary'> & { complexity?: string };

/** The optional parts of an entry, given as the last argument of nativeCommand/tsCommand. */
export type CommandExtras = Pick<
  CommandSpec,
  'subcommands' | 'keySpecs' | 'getKeys' | 'acl' | 'tips' | 'history' | 'docFlags' | 'deprecatedSince' | 'replacedBy'
>;

/** An array stands for the subcommands alone (the older form). */
function extrasOf(extras: CommandSpec[] | CommandExtras | undefined): CommandExtras {
  if (!extras) return {};
  return Array.isArray(extras) ? { subcommands: extras } : extras;
}

function parseFlags(flags: string): CommandFlag[] {
  return flags.split(/\s+/).filter(Boolean) as CommandFlag[];
}

/** A command implemented in native/store: only its metadata lives here. */
export function nativeCommand(
  name: string,
  arity: number,
  flags: string,
  keys: KeyPositions,
  doc: Doc,
  extras?: CommandSpec[] | CommandExtras,
): CommandSpec {
  return { name, arity, flags: parseFlags(flags), keys, group: 'generic', ...doc, ...extrasOf(extras) };
}

/** A command implemented in TS by `run`. */
export function tsCommand(
  name: string,
  arity: number,
  flags: string,
  keys: KeyPositions,
  doc: Doc,
  run: Handler,
  extras?: CommandSpec[] | CommandExtras,
): CommandSpec {
  return { name, arity, flags: parseFlags(flags), keys, group: 'generic', ...doc, run, ...extrasOf(extras) };
}

/** Sets the group of every command of a family (and of their subcommands). */
export function family(group: CommandGroup, specs: CommandSpec[]): CommandSpec[] {
  const setGroup = (s: CommandSpec) => {
    s.group = group;
    s.subcommands?.forEach(setGroup);
  };
  specs.forEach(setGroup);
  return specs;
}

/** Doc shorthand: doc('1.0.0', 'key value', 'Sets the string value of a key.'). */
export function doc(since: string, syntax: string, summary: string, complexity?: string): Doc {
  return { since, syntax, summary, complexity };
}

/**
 * A command made of TS subcommands (CLIENT, CONFIG...): dispatch resolves argv[1] and
 * runs the subcommand's own handler, so the container's handler only answers a call
 * that named no known subcommand.
 */
export function containerCommand(name: string, flags: string, docs: Doc, subcommands: CommandSpec[]): CommandSpec {
  const noSubcommand: Handler = ({ server, client, argv }) =>
    server.reply(client, Buffer.from(`-ERR unknown subcommand '${argv[1]?.toString('latin1').slice(0, 128) ?? ''}'. Try ${name.toUpperCase()} HELP.\r\n`));
  return tsCommand(name, -2, flags, NO_KEYS, docs, noSubcommand, { subcommands });
}

/** A subcommand entry: named "container|sub" as COMMAND shows it. */
export function subcommand(container: string, sub: string, arity: number, flags: string, docs: Doc, run: Handler, extras?: CommandExtras): CommandSpec {
  return tsCommand(`${container}|${sub}`, arity, flags, NO_KEYS, docs, run, extras);
}
