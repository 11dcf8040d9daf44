// Server configuration: one declarative list of options, read from a redis.conf-style
// file and/or `--name value` flags, and changed at run time by CONFIG SET.

import { readFileSync } from 'node:fs';
import { splitInlineArgs } from './resp/request-parser.js';
import { isLogLevel } from './log.js';
import { GearsConfig, splitWords } from './gears/config.js';

export type OptionValue = string | number;

export interface OptionSpec {
  name: string;
  kind: 'int' | 'string' | 'enum' | 'memory';
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
}

const MB = 1024 * 1024;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', kind: 'int', default: 6379, mutable: false, min: 0, max: 65535 },
  { name: 'bind', kind: 'string', default: '127.0.0.1', mutable: false },
  { name: 'requirepass', kind: 'string', default: '', mutable: true },
  { name: 'databases', kind: 'int', default: 16, mutable: false, min: 1, max: 1 << 20 },
  { name: 'loglevel', kind: 'enum', default: 'notice', mutable: true, values: ['debug', 'verbose', 'notice', 'warning', 'nothing'] },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'proto-max-bulk-len', kind: 'memory', default: 512 * MB, mutable: true, native: true, min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER },
  { name: 'max-multibulk-len', kind: 'int', default: 1024 * 1024, mutable: true, min: 1, max: 2 ** 31 - 1 },
  { name: 'notify-keyspace-events', kind: 'string', default: '', mutable: true, validate: (v) => (notifyFlagsFromString(v) === null ? 'Invalid event class character. Use \'Ag$shlzxeKEtmdn\'.' : null) },
  { name: 'maxclients', kind: 'int', default: 10000, mutable: true, min: 1, max: 2 ** 31 - 1 },
  { name: 'timeout', kind: 'int', default: 0, mutable: true, min: 0, max: 2 ** 31 - 1 },
  { name: 'hz', kind: 'int', default: 10, mutable: true, min: 1, max: 500 },
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
  // RedisGears' load-time options, `name value ...` as after `loadmodule redisgears.so`
  // (RG.CONFIGSET changes them at run time; src/gears/config.ts).
  { name: 'gears', kind: 'string', default: '', mutable: false, validate: validateGearsOptions },
];

export class ConfigError extends Error {}

export class Config {
  private readonly values = new Map<string, OptionValue>();

  constructor() {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
  }

  static spec(name: string): OptionSpec | undefined {
    const n = name.toLowerCase();
    return OPTIONS.find((o) => o.name === n || o.alias === n);
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
    this.values.set(spec.name, parseOption(spec, raw));
  }

  /** The value as CONFIG GET prints it. */
  format(name: string): string {
    return String(this.values.get(name));
  }
}

export function parseOption(spec: OptionSpec, raw: string): OptionValue {
  switch (spec.kind) {
    case 'int':
    case 'memory': {
      const v = spec.kind === 'memory' ? parseMemory(raw) : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(v)) throw new ConfigError(`argument couldn't be parsed into an integer`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        throw new ConfigError(`argument must be between ${spec.min} and ${spec.max} inclusive`);
      }
      return v;
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!spec.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${spec.values!.join(', ')}`);
      return v;
    }
    case 'string': {
      const problem = spec.validate?.(raw);
      if (problem) throw new ConfigError(problem);
      return raw;
    }
  }
}

/** "512mb", "1gb", "100k", "4096" -> bytes (Redis's memtoull). */
export function parseMemory(s: string): number {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return NaN;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  return Number(m[1]) * mult[unit];
}

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

/** The canonical letters for a flag set, as CONFIG GET shows them. */
export function notifyFlagsToString(flags: number): string {
  let out = '';
  const all = [...NOTIFY_ALL].reduce((b, c) => b | NOTIFY_BITS[c], 0);
  if ((flags & all) === all) out += 'A';
  else for (const c of NOTIFY_ALL) if (flags & NOTIFY_BITS[c]) out += c;
  for (const c of ['m', 'n', 'K', 'E']) if (flags & NOTIFY_BITS[c]) out += c;
  return out;
}

/**
 * Reads `gearsd [config-file] [--name value ...]`. The file's directives come first and
 * flags override them, as with redis-server.
 */
export function configFromArgs(args: string[]): Config {
  const config = new Config();
  let i = 0;
  if (args[0] && !args[0].startsWith('--')) {
    loadConfigFile(config, args[0]);
    i = 1;
  }
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument '${a}'`);
    const name = a.slice(2);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`option --${name} needs a value`);
    config.set(name, value);
    i++;
  }
  if (!isLogLevel(config.str('loglevel'))) throw new ConfigError('bad loglevel');
  return config;
}

function loadConfigFile(config: Config, file: string): void {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, n) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const words = splitInlineArgs(Buffer.from(trimmed));
    if (!words || words.length < 2) throw new ConfigError(`${file}:${n + 1}: bad directive '${trimmed}'`);
    try {
      config.set(words[0].toString(), words.slice(1).map(String).join(' '));
    } catch (e) {
      throw new ConfigError(`${file}:${n + 1}: ${(e as Error).message}`);
    }
  });
}

function validateGearsOptions(v: string): string | null {
  try {
    GearsConfig.fromLoadArgs(splitWords(v));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
