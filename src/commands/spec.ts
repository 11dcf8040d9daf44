// What a command table entry is. Every command is declared once, as data: name, arity,
// flags, key positions, documentation, and either a TS handler or nothing (then it is
// implemented natively, in native/store). Dispatch, the arity and auth checks, MULTI
// queueing, COMMAND and COMMAND DOCS all read these entries; handlers never repeat them.

import type { Client } from '../client.js';
import type { Server } from '../server.js';

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
  | 'only-sentinel';

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
  /** Filled at start-up: the id the addon knows this command by (native or not). */
  nativeId?: number;
  /** True when the addon implements it. */
  isNative?: boolean;
}

type Doc = Pick<CommandSpec, 'since' | 'syntax' | 'summary'> & { complexity?: string };

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
  subcommands?: CommandSpec[],
): CommandSpec {
  return { name, arity, flags: parseFlags(flags), keys, group: 'generic', ...doc, subcommands };
}

/** A command implemented in TS by `run`. */
export function tsCommand(
  name: string,
  arity: number,
  flags: string,
  keys: KeyPositions,
  doc: Doc,
  run: Handler,
  subcommands?: CommandSpec[],
): CommandSpec {
  return { name, arity, flags: parseFlags(flags), keys, group: 'generic', ...doc, run, subcommands };
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
