// The Gears side of the server: starts the native engine, owns the execution registry and the
// Gears configuration, and handles what the engine says through its one channel (executions
// finished, log lines, store events to drain, TS-owned commands Python wants run).

import { log } from '../log.js';
import { CALLER_DENY_BLOCKING, CALLER_PYTHON, type EngineEvent } from '../native.js';
import type { Server } from '../server.js';
import { GearsConfig, splitWords } from './config.js';
import { ExecutionRegistry } from './registry.js';

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
    this.registry = new ExecutionRegistry({
      listed: (seq, yes) => native.listExecution(seq, yes),
      order: () => native.listedExecutions(),
    });
    this.config.onNativeChange = (name, key) => {
      if (name === 'extra') native.gearsConfigure('extra', key!, this.config.extra.get(key!)!);
      else if (name === 'ProfileExecutions') native.gearsConfigure(name, this.config.numbers.ProfileExecutions);
      else native.gearsConfigure(name, Number(this.config.python.get(name)));
    };
    this.config.onNativeChange('ProfileExecutions');
    this.config.onNativeChange('PythonAttemptTraceback');
    for (const key of this.config.extra.keys()) this.config.onNativeChange('extra', key);
  }

  private onEvents(events: EngineEvent[]): void {
    for (const e of events) {
      try {
        this.onEvent(e);
      } catch (err) {
        // A bug here must not take the process down from inside a native callback.
        log('warning', `gears: failed handling a native event (${e.t}): ${(err as Error).stack ?? err}`);
      }
    }
    // Replies of finished executions go out now, not on a later turn of the loop.
    this.server.flush();
  }

  private onEvent(e: EngineEvent): void {
    switch (e.t) {
      case 'created':
        this.registry.add(e.seq, { registered: e.registered, dropOnFinish: e.drop }, this.config.maxExecutions);
        break;
      case 'done':
        this.registry.finish(e.seq, e.report);
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
    }
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
