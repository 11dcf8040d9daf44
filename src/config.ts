// Server configuration: one declarative list of options, read from a redis.conf-style
// file and/or `--name value` flags, and read and changed at run time by CONFIG GET/SET.
//
// Every option either does what Redis's does, or is read-only and reports gearsd's fixed
// behaviour (no snapshots, no eviction...), so clients that read it learn the truth and
// clients that set it get Redis's "can't set immutable config" error (see
// docs/compatibility.md). Values are validated with Redis's error texts.

import { readFileSync, writeFileSync } from 'node:fs';
import { splitInlineArgs } from './resp/request-parser.js';
import { isLogLevel } from './log.js';
import { GearsConfig, splitWords } from './gears/config.js';

export type OptionValue = string | number;

export interface OptionSpec {
  name: string;
  kind: 'int' | 'string' | 'enum' | 'memory' | 'bool' | 'special';
  default: OptionValue;
  /** Can CONFIG SET change it while running? */
  mutable: boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Also pushed into the addon's tuning (native/store/tuning.h) at start and on change. */
  native?: boolean;
  /** The older name Redis still accepts for it (hash-max-ziplist-entries...). */
  /** Redis's older name for the same option (zset-max-ziplist-entries...). */
  alias?: string;
  /** Extra check for strings; returns an error text or null. */
  validate?: (v: string) => string | null;
  /** kind 'special': the new value from the text and the current value; throws ConfigError. */
  parse?: (raw: string, current: OptionValue) => OptionValue;
  /** kind 'special': the value as CONFIG GET shows it, when not String(value). */
  format?: (v: OptionValue) => string;
  /** Not matched by CONFIG GET patterns, only by its exact name (Redis's HIDDEN_CONFIG). */
  hidden?: boolean;
}

const MB = 1024 * 1024;
const INT_MAX = 2 ** 31 - 1;
/** LONG_MAX as far as a double goes; error texts print it exactly (see boundText). */
const LONG_MAX = 2 ** 63;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', kind: 'int', default: 6379, mutable: false, min: 0, max: 65535 },
  { name: 'bind', kind: 'string', default: '127.0.0.1', mutable: false },
  { name: 'requirepass', kind: 'string', default: '', mutable: true },
  { name: 'databases', kind: 'int', default: 16, mutable: false, min: 1, max: 1 << 20 },
  { name: 'loglevel', kind: 'enum', default: 'notice', mutable: true, values: ['debug', 'verbose', 'notice', 'warning'] },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'proto-max-bulk-len', kind: 'memory', default: 512 * MB, mutable: true, native: true, min: 1024 * 1024, max: LONG_MAX },
  // gearsd's own: Redis hard-codes 1024*1024 elements per request.
  { name: 'max-multibulk-len', kind: 'int', default: 1024 * 1024, mutable: true, min: 1, max: INT_MAX },
  // Kept as flags: Redis's spelling of them drops 'n' next to 'A', the flags do not.
  { name: 'notify-keyspace-events', kind: 'special', default: 0, mutable: true, parse: parseNotifyFlags, format: (v) => notifyFlagsToString(Number(v)) },
  { name: 'maxclients', kind: 'int', default: 10000, mutable: true, min: 1, max: 2 ** 32 - 1 },
  { name: 'timeout', kind: 'int', default: 0, mutable: true, min: 0, max: INT_MAX },
  // Redis accepts any value and caps it to 1..500 (updateHZ); so does Server.configChanged.
  { name: 'hz', kind: 'int', default: 10, mutable: true, min: 0, max: INT_MAX },
  { name: 'tcp-keepalive', kind: 'int', default: 300, mutable: true, min: 0, max: INT_MAX },
  { name: 'tcp-backlog', kind: 'int', default: 511, mutable: false, min: 0, max: INT_MAX },
  { name: 'client-output-buffer-limit', kind: 'special', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, parse: parseOutputBufferLimits },
  // Read-only: gearsd keeps its data in memory only and never evicts (docs/compatibility.md).
  { name: 'save', kind: 'string', default: '', mutable: true, validate: (v) => (v.trim() === '' ? null : 'gearsd does not save snapshots; save can only be ""') },
  { name: 'appendonly', kind: 'enum', default: 'no', mutable: true, values: ['no'] },
  { name: 'dir', kind: 'string', default: process.cwd(), mutable: false },
  { name: 'dbfilename', kind: 'string', default: 'dump.rdb', mutable: false },
  { name: 'maxmemory', kind: 'memory', default: 0, mutable: false, min: 0, max: LONG_MAX },
  { name: 'maxmemory-policy', kind: 'enum', default: 'noeviction', mutable: false, values: ['noeviction'] },
  { name: 'daemonize', kind: 'bool', default: 'no', mutable: false },
  { name: 'cluster-enabled', kind: 'bool', default: 'no', mutable: false },
  { name: 'io-threads', kind: 'int', default: 1, mutable: false, min: 1, max: 128 },
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', kind: 'int', default: 512, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', kind: 'memory', default: 64, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', kind: 'int', default: -2, mutable: true, native: true, min: -(2 ** 31), max: 2 ** 31 - 1 },
  // Accepted for compatibility; list nodes are never compressed.
  { name: 'list-compress-depth', kind: 'int', default: 0, mutable: true, min: 0, max: 2 ** 31 - 1 },
  { name: 'set-max-intset-entries', kind: 'int', default: 512, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'stream-node-max-bytes', kind: 'memory', default: 4096, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'stream-node-max-entries', kind: 'int', default: 100, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', kind: 'int', default: 128, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', kind: 'memory', default: 64, mutable: true, native: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  { name: 'hll-sparse-max-bytes', kind: 'memory', default: 3000, mutable: true, native: true, min: 0, max: LONG_MAX },
  // RedisGears' load-time options, `name value ...` as after `loadmodule redisgears.so`
  // (RG.CONFIGSET changes them at run time; src/gears/config.ts).
  { name: 'gears', kind: 'string', default: '', mutable: false, validate: validateGearsOptions },
];

const BY_NAME = new Map(OPTIONS.flatMap((o) => (o.alias ? [[o.name, o], [o.alias, o]] : [[o.name, o]])));

export class ConfigError extends Error {}

export class Config {
  private readonly values = new Map<string, OptionValue>();
  /** The config file given on the command line, if any (CONFIG REWRITE writes it back). */
  file: string | null = null;

  constructor() {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
  }

  static spec(name: string): OptionSpec | undefined {
    return BY_NAME.get(name.toLowerCase());
  }

  get<T extends OptionValue = OptionValue>(name: string): T {
    return this.values.get(name) as T;
  }

  int(name: string): number {
    return this.values.get(name) as number;
  }

  str(name: string): string {
    return String(this.values.get(name));
  }

  /** Parses and stores a value; throws ConfigError with Redis's wording on a bad one. */
  set(name: string, raw: string): void {
    const spec = Config.spec(name);
    if (!spec) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    this.values.set(spec.name, parseOption(spec, raw, this.values.get(spec.name)!));
  }

  /**
   * CONFIG SET's all-or-nothing change of several options, with Redis's checks in Redis's
   * order: names first (unknown, immutable, given twice), then values. Returns the
   * canonical names that were set.
   */
  setMany(pairs: [string, string][]): string[] {
    const specs: OptionSpec[] = [];
    const given = new Set<string>();
    for (const [name] of pairs) {
      const spec = Config.spec(name);
      if (!spec) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
      if (!spec.mutable) throw new ConfigError(`CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
      // An option and its alias count as two, as in Redis.
      if (given.has(name.toLowerCase())) throw new ConfigError(`CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`);
      given.add(name.toLowerCase());
      specs.push(spec);
    }
    const parsed = specs.map((spec, i) => {
      try {
        return parseOption(spec, pairs[i][1], this.values.get(spec.name)!);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        throw new ConfigError(`CONFIG SET failed (possibly related to argument '${spec.name}') - ${e.message}`);
      }
    });
    specs.forEach((spec, i) => this.values.set(spec.name, parsed[i]));
    return specs.map((s) => s.name);
  }

  /** The value as CONFIG GET prints it. */
  format(name: string): string {
    const v = this.values.get(name)!;
    return Config.spec(name)?.format?.(v) ?? String(v);
  }

  /**
   * CONFIG GET: [name as shown, option] for the options matching any of the patterns, each
   * once. As in Redis, an exact name is shown as the caller wrote it, a pattern's matches
   * by their own names.
   */
  matching(patterns: string[], match: (pattern: string, name: string) => boolean): [string, OptionSpec][] {
    // Keyed by the name matched (an alias is listed apart from its option, as in Redis).
    const found = new Map<string, [string, OptionSpec]>();
    for (const p of patterns) {
      if (!/[*?[]/.test(p)) {
        const spec = Config.spec(p);
        if (spec && !found.has(p.toLowerCase())) found.set(p.toLowerCase(), [p, spec]);
        continue;
      }
      for (const [name, o] of BY_NAME) if (!o.hidden && !found.has(name) && match(p, name)) found.set(name, [name, o]);
    }
    return [...found.values()];
  }
}

export function parseOption(spec: OptionSpec, raw: string, current: OptionValue): OptionValue {
  switch (spec.kind) {
    case 'int':
    case 'memory': {
      const v = spec.kind === 'memory' ? parseMemory(raw) : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(v)) throw new ConfigError(spec.kind === 'memory' ? 'argument must be a memory value' : `argument couldn't be parsed into an integer`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        throw new ConfigError(`argument must be between ${boundText(spec.min!)} and ${boundText(spec.max!)} inclusive`);
      }
      return v;
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!spec.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${spec.values!.join(', ')}`);
      return v;
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
      return v;
    }
    case 'string': {
      const problem = spec.validate?.(raw);
      if (problem) throw new ConfigError(problem);
      return raw;
    }
    case 'special':
      return spec.parse!(raw, current);
  }
}

function boundText(n: number): string {
  return n >= LONG_MAX ? '9223372036854775807' : String(n);
}

/** "512mb", "1gb", "100k", "4096" -> bytes (Redis's memtoull). */
export function parseMemory(s: string): number {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return NaN;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  return Number(m[1]) * mult[unit];
}

// ---- client-output-buffer-limit ---------------------------------------------------------

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}
export type OutputClass = 'normal' | 'slave' | 'pubsub';
const OUTPUT_CLASSES: readonly OutputClass[] = ['normal', 'slave', 'pubsub'];

function limitsFromCanonical(s: string): Record<OutputClass, OutputLimit> {
  const w = s.split(' ');
  const out = {} as Record<OutputClass, OutputLimit>;
  for (let i = 0; i < w.length; i += 4) out[w[i] as OutputClass] = { hard: Number(w[i + 1]), soft: Number(w[i + 2]), softSeconds: Number(w[i + 3]) };
  return out;
}

/** `<class> <hard> <soft> <seconds>`, repeated; classes not given keep their limits (as in Redis). */
function parseOutputBufferLimits(raw: string, current: OptionValue): string {
  const w = raw.split(/\s+/).filter(Boolean);
  if (w.length % 4 !== 0) throw new ConfigError('Wrong number of arguments in buffer limit configuration.');
  const limits = limitsFromCanonical(String(current));
  for (let i = 0; i < w.length; i += 4) {
    const name = w[i].toLowerCase();
    const cls: OutputClass | undefined = name === 'replica' ? 'slave' : OUTPUT_CLASSES.find((c) => c === name);
    if (!cls) throw new ConfigError('Invalid client class specified in buffer limit configuration.');
    const hard = parseMemory(w[i + 1]);
    const soft = parseMemory(w[i + 2]);
    const secs = /^\d+$/.test(w[i + 3]) ? Number(w[i + 3]) : NaN;
    if (!Number.isFinite(hard) || !Number.isFinite(soft) || !Number.isFinite(secs)) {
      throw new ConfigError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    }
    limits[cls] = { hard, soft, softSeconds: secs };
  }
  return OUTPUT_CLASSES.map((c) => `${c} ${limits[c].hard} ${limits[c].soft} ${limits[c].softSeconds}`).join(' ');
}

let cachedLimits: { text: string; limits: Record<OutputClass, OutputLimit> } | undefined;

/** `hz` as Redis uses it: any value is accepted, then capped to 1..500. */
export function effectiveHz(config: Config): number {
  return Math.min(500, Math.max(1, config.int('hz')));
}

/** The output limits of a client class, from the current client-output-buffer-limit. */
export function outputLimit(config: Config, cls: OutputClass): OutputLimit {
  const text = config.str('client-output-buffer-limit');
  if (cachedLimits?.text !== text) cachedLimits = { text, limits: limitsFromCanonical(text) };
  return cachedLimits.limits[cls];
}

// ---- notify-keyspace-events -------------------------------------------------------------

// notify-keyspace-events letters; bits mirror NotifyClass in native/store/events.h.
const NOTIFY_BITS: Record<string, number> = {
  K: 1 << 0, E: 1 << 1, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7,
  x: 1 << 8, e: 1 << 9, t: 1 << 10, m: 1 << 11, d: 1 << 13, n: 1 << 14,
};
const NOTIFY_ALL = 'g$lshzxetd';

export function notifyFlagsFromString(s: string): number | null {
  let flags = 0;
  for (const ch of s) {
    if (ch === 'A') {
      for (const c of NOTIFY_ALL) flags |= NOTIFY_BITS[c];
    } else if (Object.hasOwn(NOTIFY_BITS, ch)) {
      flags |= NOTIFY_BITS[ch];
    } else {
      return null;
    }
  }
  return flags;
}

/** The canonical letters for a flag set, as CONFIG GET shows them (Redis's keyspaceEventsFlagsToString, 'n' quirk included). */
export function notifyFlagsToString(flags: number): string {
  let out = '';
  const all = [...NOTIFY_ALL].reduce((b, c) => b | NOTIFY_BITS[c], 0);
  if ((flags & all) === all) {
    out += 'A';
  } else {
    for (const c of NOTIFY_ALL) if (flags & NOTIFY_BITS[c]) out += c;
    if (flags & NOTIFY_BITS.n) out += 'n';
  }
  for (const c of ['K', 'E', 'm']) if (flags & NOTIFY_BITS[c]) out += c;
  return out;
}

function parseNotifyFlags(raw: string): number {
  const flags = notifyFlagsFromString(raw);
  if (flags === null) throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  return flags;
}

// ---- command line, config file ----------------------------------------------------------

/**
 * Reads `gearsd [config-file] [--name value ...]`. The file's directives come first and
 * flags override them, as with redis-server.
 */
export function configFromArgs(args: string[]): Config {
  const config = new Config();
  let i = 0;
  if (args[0] && !args[0].startsWith('--')) {
    loadConfigFile(config, args[0]);
    config.file = args[0];
    i = 1;
  }
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument '${a}'`);
    const name = a.slice(2);
    const value = args[i + 1];
    if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new ConfigError(`option --${name} needs a value`);
    config.set(name, value);
    i++;
  }
  if (!isLogLevel(config.str('loglevel'))) throw new ConfigError('bad loglevel');
  return config;
}

function directives(file: string): { line: string; words: string[] | null }[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) return { line, words: null };
      return { line, words: splitInlineArgs(Buffer.from(trimmed))?.map(String) ?? [] };
    });
}

function loadConfigFile(config: Config, file: string): void {
  directives(file).forEach(({ line, words }, n) => {
    if (!words) return;
    if (words.length < 2 && words[0]?.toLowerCase() !== 'save') throw new ConfigError(`${file}:${n + 1}: bad directive '${line.trim()}'`);
    try {
      config.set(words[0], words.slice(1).join(' '));
    } catch (e) {
      throw new ConfigError(`${file}:${n + 1}: ${(e as Error).message}`);
    }
  });
}

function quoteValue(v: string): string {
  return v === '' || /[\s"'\\]/.test(v) ? JSON.stringify(v) : v;
}

/**
 * CONFIG REWRITE: the file keeps its comments and order; each option's first directive
 * gets the current value, repeats are dropped, and options changed from their default
 * that the file lacked are appended.
 */
export function rewriteConfigFile(config: Config): void {
  const file = config.file!;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { line, words } of directives(file)) {
    const spec = words && words.length > 0 ? Config.spec(words[0]) : undefined;
    if (!spec) {
      out.push(line);
      continue;
    }
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    out.push(`${spec.name} ${quoteValue(config.format(spec.name))}`);
  }
  const missing = OPTIONS.filter((o) => !seen.has(o.name) && config.get(o.name) !== o.default && o.name !== 'dir');
  if (missing.length > 0) {
    out.push('# Generated by CONFIG REWRITE');
    for (const o of missing) out.push(`${o.name} ${quoteValue(config.format(o.name))}`);
  }
  writeFileSync(file, out.join('\n').replace(/\n*$/, '\n'));
}

function validateGearsOptions(v: string): string | null {
  try {
    GearsConfig.fromLoadArgs(splitWords(v));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
