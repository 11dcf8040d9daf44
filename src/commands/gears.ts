// RedisGears commands (GEARS_API.md §3): running scripts, the executions they start, and the
// Gears configuration. Replies and error texts are RedisGears 1.2's, word for word; errors
// carry no "ERR" code unless RedisGears' text has one.

import { gearsOf, waitFor, type Gears } from '../gears/runtime.js';
import { isFinished, parseExecutionId, SHARD_ID, type ExecutionEntry } from '../gears/registry.js';
import { CALLER_DENY_BLOCKING, type ExecutionReport } from '../native.js';
import * as reply from '../resp/reply.js';
import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';

const NO_EXECUTION = 'execution plan does not exist';

function send(call: CommandCall, r: Buffer): void {
  call.server.reply(call.client, r);
}

function results(gears: Gears, e: ExecutionEntry): Buffer {
  // Native keeps a listed finished execution's reply; null would be a registry bug.
  return gears.registry.reply(e) ?? reply.error(NO_EXECUTION);
}

// ---- RG.PYEXECUTE ---------------------------------------------------------------------------

interface PyExecuteOptions {
  blocking: boolean;
  id?: string;
  description?: string;
  upgrade: boolean;
  replaceWith?: string;
  requirements?: string[];
}

/** Parses the options after the script; an error reply on bad input. */
function parsePyExecuteOptions(argv: Buffer[]): PyExecuteOptions | Buffer {
  const o: PyExecuteOptions = { blocking: true, upgrade: false };
  let i = 2;
  for (; i < argv.length; i++) {
    const word = argv[i].toString().toUpperCase();
    if (word === 'UNBLOCKING') o.blocking = false;
    else if (word === 'UPGRADE') o.upgrade = true;
    else if (word === 'FORCE_REINSTALL_REQUIREMENTS') continue;
    else if (word === 'REPLACE_WITH') {
      if (++i >= argv.length) return reply.error('REPLACE_WITH is missing');
      o.replaceWith = argv[i].toString();
    } else if (word === 'ID') {
      if (++i >= argv.length) return reply.error('ID is missing');
      o.id = argv[i].toString();
      if (!/^[A-Za-z0-9_-]*$/.test(o.id)) return reply.error("ID must be compose of: ['A'-'Z' | 'a'-'z' | '0' - '9' | '-' | '_']");
    } else if (word === 'DESCRIPTION') {
      if (++i >= argv.length) return reply.error('DESCRIPTION is missing');
      o.description = argv[i].toString();
    } else break;
  }
  if (i < argv.length) {
    const word = argv[i].toString();
    if (word.toUpperCase() !== 'REQUIREMENTS') return reply.error(`Unknown arguments were given: ${word}`);
    o.requirements = argv.slice(i + 1).map(String);
  }
  return o;
}

function pyexecute(call: CommandCall): void {
  const { server, client, argv } = call;
  if ((call.caller ?? 0) & CALLER_DENY_BLOCKING) {
    return send(call, reply.error('Can not run gears inside a multi exec, lua, or when blocking is not allowed'));
  }
  const opts = parsePyExecuteOptions(argv);
  if (Buffer.isBuffer(opts)) return send(call, opts);
  if (opts.requirements !== undefined) {
    return send(call, reply.error('REQUIREMENTS are not supported by this gearsd build: install packages into its Python instead'));
  }
  const gears = gearsOf(server);
  const { id, description, upgrade, replaceWith } = opts;
  const options = id !== undefined || description !== undefined || upgrade || replaceWith !== undefined;
  const out = server.native.pyExecute(argv[1], client.db, opts.blocking, options ? { id, description, upgrade, replaceWith } : undefined);
  server.drainNativeEvents();  // the script body's writes
  server.noteGearsEvents();  // and the sync registrations they ran
  if (typeof out === 'number') {
    const entry = gears.registry.add(out, { registered: false, dropOnFinish: opts.blocking });
    if (!opts.blocking) return send(call, reply.bulk(entry.id));
    return waitFor(server, client, entry, (e) => results(gears, e));
  }
  if (out.kind === 'error') return send(call, reply.error(out.error));
  if (out.kind === 'ok') return send(call, reply.OK);
  if (out.kind === 'registered') {
    gears.registrationsChanged(out.unregistered);
    if (out.alsoRan !== undefined) gears.registry.add(out.alsoRan, { registered: false, dropOnFinish: false });
    return send(call, reply.OK);
  }
}

// ---- results and executions -----------------------------------------------------------------

function lookup(gears: Gears, idArg: Buffer): ExecutionEntry | undefined {
  return gears.registry.get(parseExecutionId(idArg.toString()));
}

function getresults(call: CommandCall): void {
  const gears = gearsOf(call.server);
  const entry = lookup(gears, call.argv[1]);
  if (!entry) return send(call, reply.error(NO_EXECUTION));
  if (!isFinished(entry)) return send(call, reply.error('execution is still running'));
  send(call, results(gears, entry));
}

function getresultsblocking(call: CommandCall): void {
  const gears = gearsOf(call.server);
  const entry = lookup(gears, call.argv[1]);
  if (!entry) return send(call, reply.error(NO_EXECUTION));
  if (isFinished(entry)) return send(call, results(gears, entry));
  waitFor(call.server, call.client, entry, (e) => results(gears, e));
}

function dumpexecutions(call: CommandCall): void {
  const rows: Buffer[] = [];
  for (const e of gearsOf(call.server).registry.list()) {
    const status = liveStatus(e, call.server.native.executionStatus(e.seq));
    rows.push(reply.encode(['executionId', e.id, 'status', status, 'registered', e.registered ? 1 : 0]));
  }
  send(call, reply.array(rows));
}

/**
 * What to show for an entry: until native's final report has arrived here the execution is
 * running, except that native knows when it is still queued ('created').
 */
function liveStatus(entry: ExecutionEntry, native: ExecutionReport['status'] | null): ExecutionReport['status'] {
  return !isFinished(entry) && native === 'created' ? 'created' : entry.status;
}

/** `r`: native's report, live or final (null when there is none). */
function planReply(entry: ExecutionEntry, r: ExecutionReport | null): Buffer {
  const finished = isFinished(entry);
  // Until TS has heard that it finished it shows as running, with no durations yet.
  if (!finished && r?.finished) r = null;
  const status = liveStatus(entry, finished ? null : r?.status ?? null);
  const steps = (r?.steps ?? []).map(([type, name, arg, ms]) =>
    reply.encode(['type', type, 'duration', ms, 'name', name, 'arg', arg]),
  );
  const plan = reply.array([
    reply.bulk('status'), reply.bulk(status),
    reply.bulk('shards_received'), reply.integer(0),
    reply.bulk('shards_completed'), reply.integer(0),
    reply.bulk('results'), reply.integer(finished ? r?.results ?? 0 : -1),
    reply.bulk('errors'), reply.array(finished ? (r?.errors ?? []).map((t) => reply.bulk(t)) : []),
    reply.bulk('total_duration'), reply.integer(r?.totalMs ?? 0),
    reply.bulk('read_duration'), reply.integer(r?.readMs ?? 0),
    reply.bulk('steps'), reply.array(steps),
  ]);
  return reply.array([reply.array([reply.bulk('shard_id'), reply.bulk(SHARD_ID), reply.bulk('execution_plan'), plan])]);
}

function getexecution(call: CommandCall): void {
  const { server, argv } = call;
  if (argv.length > 3) return send(call, reply.error("ERR wrong number of arguments for 'rg.getexecution' command"));
  const gears = gearsOf(server);
  const entry = lookup(gears, argv[1]);
  if (!entry) return send(call, reply.error(NO_EXECUTION));
  if (argv.length === 3) {
    const sub = argv[2].toString().toLowerCase();
    if (sub === 'cluster') return send(call, reply.error('no cluster detected - use `RG.GETEXECUTION <id> [SHARD]` instead'));
    if (sub !== 'shard') return send(call, reply.error('unknown subcommand'));
  }
  send(call, planReply(entry, server.native.describeExecution(entry.seq)));
}

function dropexecution(call: CommandCall): void {
  const gears = gearsOf(call.server);
  const entry = lookup(gears, call.argv[1]);
  if (!entry) return send(call, reply.error(NO_EXECUTION));
  if (!isFinished(entry)) return send(call, reply.error('can not drop a not yet finished execution, abort it first.'));
  gears.registry.drop(entry.seq);
  send(call, reply.OK);
}

function abortexecution(call: CommandCall): void {
  const { server } = call;
  const gears = gearsOf(server);
  // RedisGears aborts through an internal execution of its own, which uses up an id.
  server.native.consumeExecutionId();
  const entry = lookup(gears, call.argv[1]);
  if (!entry) return send(call, reply.error('execution does not exist'));
  if (!isFinished(entry)) server.native.abortExecution(entry.seq);
  send(call, reply.OK);
}

// ---- configuration and information ----------------------------------------------------------

function configget(call: CommandCall): void {
  send(call, gearsOf(call.server).config.get(call.argv.slice(1).map(String)));
}

function configset(call: CommandCall): void {
  send(call, gearsOf(call.server).config.set(call.argv.slice(1).map(String)));
}

function pystats(call: CommandCall): void {
  const [total, peak, current] = call.server.native.pyStats();
  send(call, reply.encode(['TotalAllocated', total, 'PeakAllocated', peak, 'CurrAllocated', current]));
}

// Requirements are not supported (RG.PYEXECUTE ... REQUIREMENTS is refused), so none are listed.
function pydumpreqs(call: CommandCall): void {
  send(call, reply.EMPTY_ARRAY);
}

function infocluster(call: CommandCall): void {
  send(call, reply.bulk('no cluster mode'));
}

function refreshcluster(call: CommandCall): void {
  send(call, reply.OK);
}

function dumpplugins(call: CommandCall): void {
  send(call, reply.encode([['GearsPythonPlugin', 10000]]));
}

export const gearsCommands = family('module', [
  tsCommand('rg.pyexecute', -2, 'readonly', NO_KEYS,
    doc('1.0.0', 'script [UNBLOCKING] [ID id] [DESCRIPTION text] [UPGRADE] [REPLACE_WITH id] [REQUIREMENTS requirement [requirement ...]]',
      'Runs a Python script of the Gears API; with run() waits for its execution unless UNBLOCKING.'), pyexecute),
  tsCommand('rg.getresults', -2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id', 'Returns the results and errors of a finished execution.'), getresults),
  tsCommand('rg.getresultsblocking', 2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id', 'Waits for an execution to finish and returns its results and errors.'), getresultsblocking),
  tsCommand('rg.dumpexecutions', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Lists the executions with their status.'), dumpexecutions),
  tsCommand('rg.getexecution', -2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id [SHARD | CLUSTER]', 'Returns the plan of an execution: status, durations and steps.'), getexecution),
  tsCommand('rg.dropexecution', 2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id', 'Forgets a finished execution and its results.'), dropexecution),
  tsCommand('rg.abortexecution', 2, 'readonly', NO_KEYS,
    doc('1.0.0', 'id', 'Stops a running execution.'), abortexecution),
  tsCommand('rg.configget', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '[key ...]', 'Returns values of the Gears configuration.'), configget),
  tsCommand('rg.configset', -1, 'readonly', NO_KEYS,
    doc('1.0.0', 'key value [key value ...]', 'Changes values of the Gears configuration.'), configset),
  tsCommand('rg.pystats', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Returns how much memory the Python interpreter allocated.'), pystats),
  tsCommand('rg.pydumpreqs', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Lists the Python requirements installed for scripts.'), pydumpreqs),
  tsCommand('rg.infocluster', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Describes the cluster the shard belongs to.'), infocluster),
  tsCommand('rg.refreshcluster', -1, 'readonly', NO_KEYS,
    doc('1.0.0', '', 'Refreshes the shard\'s view of the cluster.'), refreshcluster),
  tsCommand('rg.dumpplugins', -1, 'readonly', NO_KEYS,
    doc('1.2.0', '', 'Lists the loaded Gears plugins and their versions.'), dumpplugins),
]);
