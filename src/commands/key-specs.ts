// Key specifications: the ones an entry declares or the one derived from its legacy key
// positions, and finding a request's keys with them (COMMAND GETKEYS), the way Redis 7's
// getKeysUsingKeySpecs does.

import type { CommandSpec, KeySpec } from './spec.js';

const derived = new WeakMap<CommandSpec, readonly KeySpec[]>();

/** The entry's key specs: declared, or one range spec made from `keys`. */
export function keySpecsOf(spec: CommandSpec): readonly KeySpec[] {
  if (spec.keySpecs) return spec.keySpecs;
  let specs = derived.get(spec);
  if (!specs) {
    const [first, last, step] = spec.keys;
    specs =
      first === 0
        ? []
        : [
            {
              flags: spec.flags.includes('write') ? 'RW UPDATE' : 'RO ACCESS',
              begin: { index: first },
              find: { lastkey: last < 0 ? last : last - first, keystep: step, limit: 0 },
            },
          ];
    derived.set(spec, specs);
  }
  return specs;
}

/** Does the command take keys at all (a key spec that is not NOT_KEY)? */
export function hasKeys(spec: CommandSpec): boolean {
  return keySpecsOf(spec).some((k) => !hasFlag(k, 'NOT_KEY'));
}

function hasFlag(k: KeySpec, flag: string): boolean {
  return k.flags.split(' ').includes(flag);
}

export interface FoundKey {
  pos: number;
  flags: string;
}

/**
 * The positions of the keys in argv (argv[0] is the command name), or null when the
 * arguments do not fit a spec (Redis's "invalid spec": the caller reports no keys).
 * As Redis's getKeysFromCommandWithSpecs: the specs first, unless one has VARIABLE_FLAGS;
 * the command's own getKeys when they fail.
 */
export function findKeys(spec: CommandSpec, argv: Buffer[]): FoundKey[] | null {
  if (spec.getKeys && keySpecsOf(spec).some((k) => hasFlag(k, 'VARIABLE_FLAGS'))) return spec.getKeys(argv);
  return findKeysBySpecs(spec, argv) ?? spec.getKeys?.(argv) ?? null;
}

function findKeysBySpecs(spec: CommandSpec, argv: Buffer[]): FoundKey[] | null {
  const argc = argv.length;
  const found: FoundKey[] = [];
  for (const ks of keySpecsOf(spec)) {
    if (hasFlag(ks, 'NOT_KEY')) continue;
    let first = 0;
    if (ks.begin === 'unknown') return null;
    if ('index' in ks.begin) {
      first = ks.begin.index;
    } else {
      const { keyword, startfrom } = ks.begin;
      const from = startfrom > 0 ? startfrom : argc + startfrom;
      // The last argument (or, searching backwards, argv[1]) is never the keyword.
      const to = startfrom > 0 ? argc - 1 : 1;
      const wanted = keyword.toLowerCase();
      for (let i = from; i !== to; i = from <= to ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toString('latin1').toLowerCase() === wanted) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    if (ks.find === 'unknown') return null;
    if ('lastkey' in ks.find) {
      const { lastkey, keystep, limit } = ks.find;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.floor((argc - first) / limit) + lastkey);
      step = keystep;
    } else {
      const { keynumidx, firstkey, keystep } = ks.find;
      if (keynumidx >= argc || first + keynumidx >= argc) return null;
      const text = argv[first + keynumidx].toString('latin1');
      const numkeys = /^(0|-?[1-9]\d*)$/.test(text) ? Number(text) : NaN;
      if (!(numkeys >= 0)) return null;
      first += firstkey;
      last = first + numkeys - 1;
      step = keystep;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc) continue;
      found.push({ pos: i, flags: ks.flags });
    }
    if (hasFlag(ks, 'INCOMPLETE')) return null;
  }
  return found;
}
