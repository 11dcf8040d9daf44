// The one module that loads the addon (build/Release/gearsd_native.node), with its types.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bits of the value exec() returns; mirrors ExecStatus in native/addon/addon.cc. */
export const EXEC_WOULD_BLOCK = 1 << 0;
export const EXEC_EVENTS_PENDING = 1 << 1;
/** With EXEC_WOULD_BLOCK: takeRetryArgv() has the argv to re-run on wake-up. */
export const EXEC_RETRY_ARGV = 1 << 2;
/** The command ran sync registrations: gearsTakeEvents() has what they did. */
export const EXEC_GEARS_EVENTS = 1 << 3;

export const execStatus = (ret: number): number => ret % 16;
export const execArenaBytes = (ret: number): number => Math.floor(ret / 16);
export const batchRan = (ret: number): number => Math.floor(ret / 16) % 65536;
export const batchArenaBytes = (ret: number): number => Math.floor(ret / 1048576);

/** Caller flags passed to exec(); mirrors CallerFlags in native/store/command.h. */
export const CALLER_DENY_BLOCKING = 1 << 0;
export const CALLER_PYTHON = 1 << 1;

/** The re-run of a blocked command whose key was signalled ready (src/blocking-keys.ts). */
export const CALLER_WAKE_UP = 1 << 2;
/** The client speaks RESP3 (HELLO 3): native replies in RESP3. */
export const CALLER_RESP3 = 1 << 3;

export interface NativeEvents {
  /** channel, message, channel, message... */
  pubsub: Buffer[];
  /** db, key, db, key... */
  ready: (number | Buffer)[];
}

export interface NativeStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  commandsProcessed: number;
  dirty: number;
}

/** A Gears execution as native reports it (native/engine/host.h ExecutionReport). */
export interface ExecutionReport {
  seq: number;
  status: 'created' | 'running' | 'done' | 'aborted';
  finished: boolean;
  registered: boolean;
  /** Finished: the number of results; -1 before. */
  results: number;
  totalMs: number;
  readMs: number;
  errors: string[];
  /** [type, name, arg, durationMs], last step first. */
  steps: [string, string, string, number][];
}

/** What the Gears engine tells TS, in order, through its one channel. */
export type EngineEvent =
  | { t: 'created'; seq: number; registered: boolean; drop: boolean }
  /**
   * Finished; its report stays native (describeExecution, executionReply) until TS unlists or
   * forgets it.
   */
  | { t: 'done'; seq: number; status: 'done' | 'aborted'; /** a blocking RG.PYEXECUTE's */ reply?: Buffer }
  | RegistrationsDone
  | { t: 'log'; level: 'debug' | 'verbose' | 'notice' | 'warning'; text: string }
  | { t: 'events' }
  | { t: 'cmd'; id: number; db: number; argv: Buffer[] }
  /** A hooked command (commands=) whose executions have all finished: the client's reply. */
  | { t: 'cmddone'; id: number; reply: Buffer };

/**
 * Registrations' executions that finished, which TS hears of only now, packed as (seq,
 * registration seq, aborted 0/1) triples: the engine has listed them already, and unlisted
 * `evicted` (each registration keeps its newest MaxExecutionsPerRegistration). They are not
 * urgent: they ride with the next batch, and TS takes them (gearsTakeFinished) before it reads
 * its registry.
 */
export interface RegistrationsDone {
  t: 'regdone';
  items: Float64Array;
  evicted: Float64Array;
}

/** A bare number: run() started that execution. */
export type ScriptOutcome =
  | number
  | { kind: 'ok' }
  | { kind: 'error'; error: string }
  /** Registrations were applied; `unregistered`: the replaced session's; `alsoRan`: a run() it made too. */
  | { kind: 'registered'; unregistered: number[]; alsoRan?: number };

/** A trigger or hook execution: its reply now (sync), or the execution to wait for. */
export type HookOutcome =
  | { kind: 'reply'; reply: Buffer }
  | { kind: 'wait'; seq: number }
  | { kind: 'error'; error: string };

/** RG.PYEXECUTE's session options. */
export interface ScriptOptions {
  id?: string;
  description?: string;
  upgrade: boolean;
  replaceWith?: string;
}

export interface NativeAddon {
  /** Starts the store and Python; overridePythonAllocators (default true) is the Gears option of that name. */
  init(opts: { databases: number; overridePythonAllocators?: boolean }): { python: string } | undefined;
  bindCommand(name: string, arity: number, flags: number, firstKey: number, lastKey: number, step: number): { id: number; native: boolean };
  unboundHandlers(): string[];
  /**
   * Runs a native command; the reply goes to the output arena. Returns the status bits
   * (low 4 bits, EXEC_*) plus 16 × the arena's size in bytes: see execStatus/execArenaBytes.
   */
  exec(id: number, db: number, argv: Buffer[], caller: number): number;
  /**
   * Runs up to `count` native commands described in desc from descPos (see NativeBatch)
   * under one lock acquisition; stops early after one that would block or queued events.
   * Returns status bits + 16 × commands run + 2^20 × arena bytes: see batchRan etc.
   */
  execBatch(buf: Buffer, desc: Int32Array, descPos: number, count: number, db: number, caller: number): number;
  /** Moves the arena's bytes into dst (sized from exec's return); returns the count. */
  copyOutput(dst: Buffer): number;
  takeOutput(): Buffer;
  takeRetryArgv(): Buffer[];
  outputSize(): number;
  /** (The same frozen object whenever nothing was queued.) */
  drainEvents(): NativeEvents;
  cron(expireBudgetMicros: number): number;
  keyspaceInfo(): [number, number, number][];
  stats(): NativeStats;
  /** Bytes malloc has handed out; walks malloc's arenas, so not for hot paths. */
  heapUsed(): number;
  setNotifyFlags(flags: number): void;
  /** Sets a native tuning option (native/store/tuning.h); false if native has none by that name. */
  setTuning(name: string, value: number): boolean;
  /** One more blocked client on each key (Db::blocked): pushes to them are reported as ready. */
  blockKeys(db: number, keys: Buffer[]): void;
  /** One fewer blocked client on each key. */
  unblockKeys(db: number, keys: Buffer[]): void;
  /** The type name of a live key ("list", "zset", "stream"...), or null; no side effects. */
  keyType(db: number, key: Buffer): string | null;

  // ---- the Gears engine (native/addon/gears_entry.cc) ----
  gearsStart(opts: {
    executionThreads: number;
    onEvents: (events: EngineEvent[]) => void;
    /** Runs a TS-owned command for Python's execute() on the main thread; reply bytes or null. */
    runCommand: (db: number, argv: Buffer[]) => Buffer | null;
  }): void;
  /** `blocking`: the execution's reply comes with its 'done' event (which forgets it natively). */
  pyExecute(script: Buffer, db: number, blocking: boolean, opts?: ScriptOptions): ScriptOutcome;
  abortExecution(seq: number): boolean;
  /** A live execution's report, or a finished one's that is still listed (or not yet forgotten). */
  describeExecution(seq: number): ExecutionReport | null;
  executionStatus(seq: number): ExecutionReport['status'] | null;
  /** A finished execution's [[results...], [errors...]] (or trigger/hook reply) RESP bytes, until forgotten. */
  executionReply(seq: number): Buffer | null;
  /** TS will not ask about this finished execution again (unlisting forgets it too). */
  forgetExecution(seq: number): void;
  consumeExecutionId(): number;
  /** Mirrors the registry's listing (listed true/false) in RedisGears' executions dict. */
  listExecution(seq: number, listed: boolean): void;
  /** listExecution(seq, false) for each. */
  unlistExecutions(seqs: Float64Array): void;
  /** The listed executions in RedisGears' dict order (RG.DUMPEXECUTIONS). */
  listedExecutions(): number[];
  completeTsCommand(id: number, reply: Buffer | null): void;
  /** The engine's queued events now, in order (what the channel would deliver next). */
  gearsTakeEvents(): EngineEvent[] | null;
  /** Only the registrations' finished executions waiting for TS. */
  gearsTakeFinished(): RegistrationsDone | null;
  /** [total, peak, current] bytes the interpreter allocated. */
  pyStats(): [number, number, number];
  gearsConfigure(name: 'ProfileExecutions' | 'PythonAttemptTraceback' | 'MaxExecutionsPerRegistration', value: number): void;
  gearsConfigure(name: 'extra', key: string, value: string): void;

  // ---- registrations (native/addon/registrations_entry.cc) ----
  /** RG.DUMPREGISTRATIONS' reply bytes. */
  dumpRegistrations(): Buffer;
  /** False when there is no such registration. */
  unregister(seq: number, abortPending: boolean): boolean;
  clearRegistrationsStats(): void;
  /** RG.TRIGGER / RG.TRIGGERONKEY (argv[1] the trigger) and a hooked client command. */
  trigger(db: number, argv: Buffer[], mayBlock: boolean): HookOutcome;
  runHook(db: number, argv: Buffer[], mayBlock: boolean): HookOutcome | { kind: 'none' };
  /** Lower-case names of the commands the engine sees first: hooked ones, and those of commands=. */
  interceptedCommands(): { hooks: string[]; commands: string[] };
  /** commands=: around a client's command; end gives the reply now, or null (wait for cmddone under waitId). */
  beginHookedCommand(argv: Buffer[], mayBlock: boolean): void;
  endHookedCommand(reply: Buffer, waitId: number): Buffer | null;
  /** null: no such registration; '': done; otherwise the name of its reader, which cannot pause. */
  pauseRegistration(seq: number, pause: boolean): string | null;
  /** RG.PYDUMPSESSIONS' reply bytes: the linked sessions, the dead ones, or those named. */
  pyDumpSessions(verbose: boolean, dead: boolean, names: string[] | null): Buffer;

  /** WATCH bookkeeping (native/store/watch.h). */
  watch(clientId: number, db: number, keys: Buffer[]): void;
  unwatch(clientId: number): void;
  watchFailed(clientId: number): boolean;
  /** Holds the (re-entrant) server lock across several exec() calls: EXEC. */
  lockServer(): void;
  unlockServer(): void;
  /** Redis's glob rules (native/store/glob.h); nocase for CONFIG GET and COMMAND LIST patterns. */
  globMatch(pattern: Buffer, subject: Buffer, nocase?: boolean): boolean;
}

/** Where the addon file lives (MODULE LIST shows it as the rg module's path). */
export function addonPath(): string {
  // dist/src/native.js -> <root>/build/Release
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', 'build', 'Release', 'gearsd_native.node');
}

let loaded: NativeAddon | undefined;

export function loadNative(): NativeAddon {
  if (!loaded) loaded = createRequire(import.meta.url)(addonPath()) as NativeAddon;
  return loaded;
}
