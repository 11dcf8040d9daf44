// The command table: every family's entries, looked up by name, bound to the addon.

import type { NativeAddon } from '../native.js';
import type { CommandFlag, CommandSpec } from './spec.js';

// Mirrors CommandFlags in native/store/command.h.
const NATIVE_FLAG_BITS: Partial<Record<CommandFlag, number>> = {
  write: 1 << 0,
  readonly: 1 << 1,
  noscript: 1 << 2,
  blocking: 1 << 3,
  movablekeys: 1 << 4,
};

// OR-ing 0x20 lower-cases ASCII letters (and leaves '-' alone), so for names made of
// letters and '-' a folded byte equals the name's byte exactly when they match
// case-insensitively. Names with '_' (sort_ro...) never match here and take the string
// lookup instead.
function shapeKey(len: number, first: number, second: number, last: number): number {
  return (len << 24) | ((first | 0x20) << 16) | ((second | 0x20) << 8) | (last | 0x20);
}

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly byShape = new Map<number, CommandSpec[]>();
  readonly all: CommandSpec[];

  constructor(families: CommandSpec[][]) {
    this.all = families.flat();
    for (const spec of this.all) {
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} is declared twice`);
      this.byName.set(spec.name, spec);
      // Clients usually send upper case; a second entry saves a toLowerCase per request.
      this.byName.set(spec.name.toUpperCase(), spec);
      const n = spec.name;
      const key = shapeKey(n.length, n.charCodeAt(0), n.charCodeAt(n.length > 1 ? 1 : 0), n.charCodeAt(n.length - 1));
      this.byShape.set(key, [...(this.byShape.get(key) ?? []), spec]);
    }
  }

  /**
   * Looks a command up by the bytes of its name, without making a string: the common case
   * of a pipelined request. Candidates share the name's length and its first, second and
   * last letters (case-folded); the rest is compared byte by byte.
   */
  lookupBytes(buf: Buffer, start: number, len: number): CommandSpec | undefined {
    if (len === 0 || len > 40) return undefined;
    const candidates = this.byShape.get(shapeKey(len, buf[start], buf[start + (len > 1 ? 1 : 0)], buf[start + len - 1]));
    if (candidates === undefined) return undefined;
    outer: for (const spec of candidates) {
      const name = spec.name;
      for (let i = 0; i < len; i++) if ((buf[start + i] | 0x20) !== name.charCodeAt(i)) continue outer;
      return spec;
    }
    return undefined;
  }

  get size(): number {
    return this.all.length;
  }

  lookup(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** The subcommand named by argv[1] of a container command, if any. */
  static subcommand(spec: CommandSpec, sub: string): CommandSpec | undefined {
    const wanted = `${spec.name}|${sub.toLowerCase()}`;
    return spec.subcommands?.find((s) => s.name === wanted);
  }

  /**
   * Tells the addon about every command (so Python's execute() can check arity and route
   * TS commands back here) and learns which ones it implements. A native entry without a
   * handler, or a handler without an entry, is a programming error and stops start-up.
   */
  bind(native: NativeAddon): void {
    for (const spec of this.all) {
      const bits = spec.flags.reduce((b, f) => b | (NATIVE_FLAG_BITS[f] ?? 0), 0);
      const { id, native: isNative } = native.bindCommand(spec.name, spec.arity, bits, ...spec.keys);
      spec.nativeId = id;
      spec.isNative = isNative;
      if (!isNative && !spec.run) throw new Error(`command ${spec.name} has neither a TS nor a native implementation`);
      if (isNative && spec.run) throw new Error(`command ${spec.name} is implemented twice (TS and native)`);
    }
    const unbound = native.unboundHandlers();
    if (unbound.length > 0) throw new Error(`native commands missing from the table: ${unbound.join(', ')}`);
  }
}
