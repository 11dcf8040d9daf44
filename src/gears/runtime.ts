// The Gears side of the server: starts the native engine, owns the execution registry and the
// Gears configuration, and handles what the engine says through its one channel (executions
// finished, log lines, store events to drain, TS-owned commands Python wants run).

import { log } from '../log.js';
import type { Client } from '../client.js';
import type { CommandSpec } from '../commands/spec.js';
import { CALLER_DENY_BLOCKING, CALLER_PYTHON, type EngineEvent, type HookOutcome } from '../native.js';
import * as reply from '../resp/reply.js';
import type { Server } from '../server.js';
import { GearsConfig, splitWords } from './config.js';
import { ExecutionRegistry, type ExecutionEntry } from './registry.js';

/** Caller flags of a command run for Python's execute(). */
const PYTHON_CALLER = CALLER_DENY_BLOCKING | CALLER_PYTHON;

export class Gears {
  readonly registry: ExecutionRegistry;
  readonly config: GearsConfig;

  constructor(readonly server: Server) {
    this.config = GearsConfig.fromLoadArgs(splitWords(server.config.str('gears')));
    const native = server.native;
    native.gearsStart({
      executionThreads: this.config.numbers.ExecutionThreads,
      onEvents: (events) => this.onEvents(events),
      runCommand: (db, argv) => server.runInternal(db, argv, PYTHON_CALLER),
    });
    this.registry = new ExecutionRegistry(
      {
        listed: (seq, yes) => native.listExecution(seq, yes),
        unlistMany: (seqs) => native.unlistExecutions(seqs),
        order: () => native.listedExecutions(),
        reply: (seq) => native.executionReply(seq),
        forget: (seq) => native.forgetExecution(seq),
        takeFinished: () => native.gearsTakeFinished(),
      },
      () => this.config.maxExecutions,
    );
    this.config.onNativeChange = (name, key) => {
      if (name === 'extra') native.gearsConfigure('extra', key!, this.config.extra.get(key!)!);
      else if (name === 'ProfileExecutions' || name === 'MaxExecutionsPerRegistration') native.gearsConfigure(name, this.config.numbers[name]);
      else native.gearsConfigure(name, Number(this.config.python.get(name)));
    };
    server.hooks.onGearsEvents = () => this.takeEvents();
    server.hooks.onIntercept = (_server, client, spec, argv) => this.intercept(client, spec, argv);
    this.config.onNativeChange('ProfileExecutions');
    this.config.onNativeChange('MaxExecutionsPerRegistration');
    this.config.onNativeChange('PythonAttemptTraceback');
    for (const key of this.config.extra.keys()) this.config.onNativeChange('extra', key);
  }

  private onEvents(events: EngineEvent[]): void {
    this.handle(events);
    // Replies of finished executions go out now, not on a later turn of the loop.
    this.server.flush();
  }

  /** Takes the engine's queued events now (called from Server.flush). */
  takeEvents(): void {
    const events = this.server.native.gearsTakeEvents();
    if (events) this.handle(events);
  }

  private handle(events: EngineEvent[]): void {
    for (const e of events) {
      try {
        this.onEvent(e);
      } catch (err) {
        // A bug here must not take the process down from inside a native callback.
        log('warning', `gears: failed handling a native event (${e.t}): ${(err as Error).stack ?? err}`);
      }
    }
  }

  private onEvent(e: EngineEvent): void {
    switch (e.t) {
      case 'created':
        this.registry.add(e.seq, { registered: e.registered, dropOnFinish: e.drop });
        break;
      case 'done':
        this.registry.finish(e.seq, e.status, e.reply);
        break;
      case 'regdone':
        this.registry.finishListed(e.items, e.evicted);
        break;
      case 'log':
        log(e.level, e.text);
        break;
      case 'events':
        this.server.drainNativeEvents();
        break;
      case 'cmd':
        this.server.native.completeTsCommand(e.id, this.server.runInternal(e.db, e.argv, PYTHON_CALLER));
        break;
      case 'cmddone':
        this.hookedCommandDone(e.id, e.reply);
        break;
    }
  }

  /** After registrations were added or removed: forget the removed ones' executions. */
  registrationsChanged(removed: readonly number[]): void {
    for (const reg of removed) this.registry.dropRegistration(reg);
    const { hooks, commands } = this.server.native.interceptedCommands();
    this.hookedCommands = new Set(hooks);
    this.linkedCommands = new Set(commands);
    this.server.intercepted.clear();
    for (const name of [...hooks, ...commands]) this.server.intercepted.add(name);
  }

  /** Commands CommandReader hooks serve, and those KeysReader registrations list in commands=. */
  private hookedCommands = new Set<string>();
  private linkedCommands = new Set<string>();
  private nextWaitId = 1;

  /**
   * A client's command that a hook may serve (GEARS_API.md §5.6) or whose events may fire
   * commands= registrations (§5.1): true when it was taken care of here.
   */
  private intercept(client: Client, spec: CommandSpec, argv: Buffer[]): boolean {
    const native = this.server.native;
    if (this.hookedCommands.has(spec.name)) {
      const out = native.runHook(client.db, argv, true);
      if (out.kind !== 'none') {
        this.answer(client, out);
        return true;
      }
    }
    if (!this.linkedCommands.has(spec.name)) return false;
    // The command runs on a client of its own so that its reply can be held back.
    native.beginHookedCommand(argv, true);
    let own: Buffer | null = null;
    try {
      own = this.server.runInternal(client.db, argv, 0);
    } finally {
      const id = this.nextWaitId++;
      const now = native.endHookedCommand(own ?? Buffer.alloc(0), id);
      this.server.noteGearsEvents();
      if (now) {
        this.server.reply(client, now);
      } else {
        this.waitingCommands.set(id, (r) => this.server.unblock(client, r));
        this.server.block(client, { onCancel: () => this.waitingCommands.delete(id) });
      }
    }
    return true;
  }

  /** A trigger or hook execution's outcome for its client: the reply, or a wait for it. */
  answer(client: Client, out: HookOutcome): void {
    const server = this.server;
    if (out.kind === 'error') return server.reply(client, reply.error(out.error));
    server.noteGearsEvents();
    if (out.kind === 'reply') return server.reply(client, out.reply);
    const entry = this.registry.add(out.seq, { registered: true, dropOnFinish: true });
    waitFor(server, client, entry, (e) => e.reply!);
  }

  /** Clients waiting for the executions their hooked command (commands=) triggered, by wait id. */
  readonly waitingCommands = new Map<number, (reply: Buffer) => void>();

  private hookedCommandDone(id: number, reply: Buffer): void {
    const wake = this.waitingCommands.get(id);
    this.waitingCommands.delete(id);
    wake?.(reply);
  }
}

const runtimes = new WeakMap<Server, Gears>();

/** The server's Gears runtime, started on first use. */
export function gearsOf(server: Server): Gears {
  let g = runtimes.get(server);
  if (!g) {
    g = new Gears(server);
    runtimes.set(server, g);
  }
  return g;
}

/** Blocks the client until an execution finishes, then replies with what `answer` makes of it. */
export function waitFor(server: Server, client: Client, entry: ExecutionEntry, answer: (e: ExecutionEntry) => Buffer): void {
  const waiter = (e: ExecutionEntry) => server.unblock(client, answer(e));
  entry.waiters.add(waiter);
  server.block(client, { onCancel: () => entry.waiters.delete(waiter) });
}
