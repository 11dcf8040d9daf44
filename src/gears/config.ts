// RedisGears configuration (GEARS_API.md §7): the core options, the Python plugin's options
// and the extra dictionary, with RG.CONFIGGET / RG.CONFIGSET's exact replies. The same parser
// reads the load-time options (gearsd's `gears` option, like `loadmodule ... <name> <value>`),
// where any error stops start-up.

import { parseInt64 } from '../int64.js';
import * as reply from '../resp/reply.js';

type CoreValue = number | string[];

interface CoreOption {
  name: string;
  runtime: boolean;
  /** Parses and stores a value; false when it will not parse (the value may be missing). */
  set(config: GearsConfig, value: string | undefined): boolean;
  get(config: GearsConfig): CoreValue;
}

interface PythonOption {
  name: string;
  kind: 'bool' | 'int' | 'str';
  runtime: boolean;
  default: number | string;
  positive?: boolean;
}

/** The `gears` option's value: load-time options as `name value ...`, split on spaces. */
export function splitWords(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

/** RedisModule_StringToLongLong (src/int64.ts), as a number. */
export function parseLongLong(s: string | undefined): number | null {
  const v = s === undefined ? null : parseInt64(s);
  return v === null ? null : Number(v);
}

function longOption(name: string, key: keyof GearsNumbers, runtime: boolean, ok: (n: number) => boolean = () => true): CoreOption {
  return {
    name,
    runtime,
    set(config, value) {
      const n = parseLongLong(value);
      if (n === null || !ok(n)) return false;
      config.numbers[key] = n;
      return true;
    },
    get: (config) => config.numbers[key],
  };
}

interface GearsNumbers {
  MaxExecutions: number;
  MaxExecutionsPerRegistration: number;
  ProfileExecutions: number;
  ExecutionThreads: number;
  ExecutionMaxIdleTime: number;
  SendMsgRetries: number;
}

const CORE: readonly CoreOption[] = [
  longOption('MaxExecutions', 'MaxExecutions', true),
  longOption('MaxExecutionsPerRegistration', 'MaxExecutionsPerRegistration', true),
  longOption('ProfileExecutions', 'ProfileExecutions', true),
  longOption('ExecutionThreads', 'ExecutionThreads', false, (n) => n > 0),
  longOption('ExecutionMaxIdleTime', 'ExecutionMaxIdleTime', true, (n) => n > 0),
  longOption('SendMsgRetries', 'SendMsgRetries', true, (n) => n >= 0),
  {
    name: 'Plugin',
    runtime: false,
    set(config, value) {
      if (value === undefined) return false;
      config.plugins.push(value);
      return true;
    },
    get: (config) => config.plugins,
  },
];

const PYTHON: readonly PythonOption[] = [
  { name: 'CreateVenv', kind: 'bool', runtime: false, default: 0 },
  { name: 'DownloadDeps', kind: 'bool', runtime: false, default: 0 },
  { name: 'ForeceDownloadDepsOnEnterprise', kind: 'bool', runtime: false, default: 0 },
  { name: 'PythonAttemptTraceback', kind: 'bool', runtime: true, default: 1 },
  { name: 'OverridePythonAllocators', kind: 'bool', runtime: false, default: 1 },
  { name: 'PythonInstallReqMaxIdleTime', kind: 'int', runtime: true, default: 30000, positive: true },
  { name: 'DependenciesUrl', kind: 'str', runtime: false, default: '' },
  { name: 'DependenciesSha256', kind: 'str', runtime: false, default: '' },
  { name: 'PythonInstallationDir', kind: 'str', runtime: false, default: '/var/opt/redislabs/modules/rg' },
];

/** Options native reads, pushed to it when they change. */
export type NativeGearsOption = 'ProfileExecutions' | 'PythonAttemptTraceback' | 'MaxExecutionsPerRegistration';

export class GearsConfig {
  readonly numbers: GearsNumbers = {
    MaxExecutions: 1000,
    MaxExecutionsPerRegistration: 100,
    ProfileExecutions: 0,
    ExecutionThreads: 3,
    ExecutionMaxIdleTime: 5000,
    SendMsgRetries: 3,
  };
  readonly plugins: string[] = [];
  readonly python = new Map<string, number | string>(PYTHON.map((o) => [o.name, o.default]));
  readonly extra = new Map<string, string>();
  /** Called after a value native reads has changed, and for every extra-dictionary write. */
  onNativeChange: (name: NativeGearsOption | 'extra', key?: string) => void = () => {};

  get maxExecutions(): number {
    return this.numbers.MaxExecutions;
  }

  /** Load-time options, `name value name value ...`; throws on the first error. */
  static fromLoadArgs(words: string[]): GearsConfig {
    const config = new GearsConfig();
    let first: string | null = null;
    config.setPairs(words, true, (_r, error) => {
      first ??= error;
    });
    if (first !== null) throw new Error(first);
    return config;
  }

  /** RG.CONFIGGET k... */
  get(keys: string[]): Buffer {
    return reply.array(keys.map((k) => this.getOne(k)));
  }

  private getOne(key: string): Buffer {
    const core = CORE.find((o) => o.name === key);
    if (core) {
      const v = core.get(this);
      return Array.isArray(v) ? reply.array(v.map((s) => reply.bulk(s))) : reply.integer(v);
    }
    const py = PYTHON.find((o) => o.name === key);
    if (py) {
      const v = this.python.get(py.name)!;
      return typeof v === 'number' ? reply.integer(v) : reply.bulk(v);
    }
    const extra = this.extra.get(key);
    if (extra !== undefined) return reply.bulk(extra);
    return reply.error(`(error) Unsupported config parameter: ${key}`);
  }

  /** RG.CONFIGSET k v ... */
  set(args: string[]): Buffer {
    const replies: Buffer[] = [];
    this.setPairs(args, false, (r) => replies.push(r));
    return reply.array(replies);
  }

  private setPairs(args: string[], atLoad: boolean, reply1: (r: Buffer, error: string | null) => void): void {
    const out = (r: Buffer) => reply1(r, r[0] === 0x2d ? r.subarray(1, r.length - 2).toString() : null);
    for (let i = 0; i < args.length; ) {
      const name = args[i++];
      const core = CORE.find((o) => o.name.toLowerCase() === name.toLowerCase());
      if (core) {
        if (!core.runtime && !atLoad) {
          i++;  // the value is skipped
          out(reply.error(`(error) Config value ${name} not modifiable at runtime`));
          continue;
        }
        const value = args[i++];
        if (!core.set(this, value)) {
          out(reply.error(`(error) Failed setting config value ${name}`));
          continue;
        }
        if (core.name === 'ProfileExecutions' || core.name === 'MaxExecutionsPerRegistration') this.onNativeChange(core.name);
        out(reply.OK);
        continue;
      }
      const value = args[i++];
      if (value === undefined) {
        out(reply.error(`(error) Value was not given to ${name}`));
        continue;
      }
      const py = PYTHON.find((o) => o.name === name);
      if (py) {
        if (!py.runtime && !atLoad) {
          out(reply.error(`(error) ${name} is not configurable at runtime`));
          continue;
        }
        const parsed = parsePythonValue(py, value);
        if (parsed === null) {
          out(reply.error(`Failed setting config value for key '${name}' with value '${value}'`));
          continue;
        }
        this.python.set(py.name, parsed);
        if (py.name === 'PythonAttemptTraceback') this.onNativeChange('PythonAttemptTraceback');
      }
      // Python options are stored in the extra dictionary too (configGet() sees them).
      this.extra.set(name, value);
      this.onNativeChange('extra', name);
      out(reply.simple('OK - value was saved in extra config dictionary'));
    }
  }
}

/**
 * OverridePythonAllocators from the `gears` option's value: needed before Python starts, so
 * before the Gears runtime exists (the value was checked when the option was parsed).
 */
export function overridesPythonAllocators(gearsOption: string): boolean {
  return GearsConfig.fromLoadArgs(splitWords(gearsOption)).python.get('OverridePythonAllocators') !== 0;
}

function parsePythonValue(o: PythonOption, value: string): number | string | null {
  if (o.kind === 'str') return value;
  const n = parseLongLong(value);
  if (n === null) return null;
  if (o.kind === 'bool') return n !== 0 ? 1 : 0;
  if (o.positive && n <= 0) return null;
  return n;
}
