// RedisGears' registration commands (GEARS_API.md §3): listing, removing, pausing and
// triggering registrations, and the sessions that own them. Native keeps the registrations
// (native/engine/registrations.h) and encodes the listings; these handlers parse arguments
// and keep TS's execution registry in step.

import { gearsOf } from '../gears/runtime.js';
import { parseExecutionId, SHARD_ID } from '../gears/registry.js';
import { CALLER_DENY_BLOCKING } from '../native.js';
import * as reply from '../resp/reply.js';
import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';

function send(call: CommandCall, r: Buffer): void {
  call.server.reply(call.client, r);
}

function dumpregistrations(call: CommandCall): void {
  gearsOf(call.server);
  send(call, call.server.native.dumpRegistrations());
}

function unregister(call: CommandCall): void {
  const { server, argv } = call;
  if (argv.length > 3) return send(call, reply.error("ERR wrong number of arguments for 'rg.unregister' command"));
  const gears = gearsOf(server);
  const seq = parseExecutionId(argv[1].toString());
  const abortPending = argv.length === 3 && argv[2].toString().toLowerCase() === 'abortpending';
  if (seq === null || !server.native.unregister(seq, abortPending)) {
    return send(call, reply.error('execution is not registered'));
  }
  gears.registrationsChanged([seq]);
  send(call, reply.OK);
}

/** RG.PAUSEREGISTRATIONS / RG.UNPAUSEREGISTRATIONS id: exactly one id (RedisGears 1.2's source). */
function pauseOrUnpause(call: CommandCall, pause: boolean): void {
  const { server, argv } = call;
  gearsOf(server);
  const given = argv[1].toString();
  if (pause && given.toUpperCase() === 'ABORTPENDING') return send(call, reply.error('ERR no registration to pause'));
  const seq = parseExecutionId(given);
  const r = seq === null ? null : server.native.pauseRegistration(seq, pause);
  if (r === null) return send(call, reply.error(`Execution ${given} does not exists on shard ${SHARD_ID}`));
  if (r !== '') return send(call, reply.error(`Reader ${r} does not support ${pause ? 'pause' : 'unpause'}`));
  server.drainNativeEvents();
  server.noteGearsEvents();
  send(call, reply.OK);
}

/** RG.TRIGGER trigger [arg...] and RG.TRIGGERONKEY trigger key [arg...]: the record is argv[1..]. */
function trigger(call: CommandCall): void {
  const { server, client, argv } = call;
  const gears = gearsOf(server);
  const mayBlock = !((call.caller ?? 0) & CALLER_DENY_BLOCKING);
  gears.answer(client, server.native.trigger(client.db, argv, mayBlock));
}

function clearregistrationsstats(call: CommandCall): void {
  if (call.argv.length !== 1) {
    return send(call, reply.error("ERR wrong number of arguments for 'rg.clearregistrationsstats' command"));
  }
  gearsOf(call.server);
  call.server.native.clearRegistrationsStats();
  send(call, reply.OK);
}

function pydumpsessions(call: CommandCall): void {
  const { server, argv } = call;
  gearsOf(server);
  let verbose = false;
  let dead = false;
  let names: string[] | null = null;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i].toString();
    const upper = word.toUpperCase();
    if (upper === 'VERBOSE') verbose = true;
    else if (upper === 'DEAD') dead = true;
    else if (upper === 'SESSIONS') {
      names = argv.slice(i + 1).map(String);
      break;
    } else return send(call, reply.error(`Unknown option ${word}`));
  }
  send(call, server.native.pyDumpSessions(verbose, dead, names));
}

export const gearsRegistrationCommands = family('module', [
  tsCommand('rg.dumpregistrations', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Lists the registrations with their arguments and statistics.'), dumpregistrations),
  tsCommand('rg.unregister', -2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id [ABORTPENDING]', 'Removes a registration, optionally aborting its pending executions.'), unregister),
  tsCommand('rg.pauseregistrations', 2, 'readonly', NO_KEYS,
    doc('1.2.0', 'id', 'Pauses a StreamReader registration.'), (call) => pauseOrUnpause(call, true)),
  tsCommand('rg.unpauseregistrations', 2, 'readonly', NO_KEYS,
    doc('1.2.0', 'id', 'Resumes a paused StreamReader registration; unacknowledged entries are read again.'),
    (call) => pauseOrUnpause(call, false)),
  tsCommand('rg.trigger', -2, 'readonly', NO_KEYS,
    doc('1.0.0', 'trigger [arg ...]', 'Runs the CommandReader registration of that trigger with the arguments.'), trigger),
  tsCommand('rg.triggeronkey', -2, 'readonly', [2, 2, 1],
    doc('1.2.0', 'trigger key [arg ...]', 'As RG.TRIGGER, declaring its first argument as a key.'), trigger),
  tsCommand('rg.clearregistrationsstats', -1, 'readonly', NO_KEYS,
    doc('1.2.0', '', 'Resets the statistics of every registration.'), clearregistrationsstats),
  tsCommand('rg.pydumpsessions', -1, 'readonly', NO_KEYS,
    doc('1.2.0', '[VERBOSE] [DEAD] [SESSIONS session...]', 'Lists the Python sessions and what they registered.'), pydumpsessions),
]);
