// INFO: the sections Redis 7.0 prints, in its order and format, with gearsd's real figures.
// Fields that describe features gearsd does not have (snapshots, replicas) state their
// fixed values, so tools that poll them (loading:0, role:master) keep working; fields of
// our own are prefixed gearsd_ / used_memory_native / used_memory_js_heap
// (docs/compatibility.md says which is which).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { effectiveHz } from './config.js';
import type { NativeStats } from './native.js';
import type { Server } from './server.js';

/** What clients see as the server version (they gate features on it); ours is gearsd_version. */
export const REDIS_VERSION = '7.0.15';

/** RedisGears 1.2.13 as a module version number (major*10000 + minor*100 + patch). */
export const RG_MODULE_VERSION = 10213;

type Line = [string, string | number];

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'cluster', 'keyspace'];

// ---- rates and peaks --------------------------------------------------------------------

const SAMPLES = 16;

/** Sampled every 100 ms by the server, like Redis's trackInstantaneousMetric. */
export class StatsSampler {
  private last: { at: number; commands: number; input: number; output: number } | null = null;
  private readonly ops: number[] = [];
  private readonly inKbps: number[] = [];
  private readonly outKbps: number[] = [];
  peakMemory = 0;
  private tick = 0;
  /** Native counters at the last CONFIG RESETSTAT (native keeps counting from start). */
  nativeBase = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 };

  sample(server: Server): void {
    const now = Date.now();
    const { totalCommands, netInputBytes, netOutputBytes } = server.info;
    if (this.last && now > this.last.at) {
      const secs = (now - this.last.at) / 1000;
      push(this.ops, (totalCommands - this.last.commands) / secs);
      push(this.inKbps, (netInputBytes - this.last.input) / 1024 / secs);
      push(this.outKbps, (netOutputBytes - this.last.output) / 1024 / secs);
    }
    this.last = { at: now, commands: totalCommands, input: netInputBytes, output: netOutputBytes };
    // Peak memory every 10 s: reading malloc's total walks its arenas (see heapUsed), and
    // INFO memory samples it too whenever it is asked.
    if (++this.tick % 100 === 0) usedMemory(server, this);
  }

  get opsPerSec(): number {
    return Math.round(mean(this.ops));
  }
  get inputKbps(): string {
    return mean(this.inKbps).toFixed(2);
  }
  get outputKbps(): string {
    return mean(this.outKbps).toFixed(2);
  }

  reset(native: NativeStats): void {
    this.ops.length = this.inKbps.length = this.outKbps.length = 0;
    this.peakMemory = 0;
    this.last = null;
    this.nativeBase = { keyspaceHits: native.keyspaceHits, keyspaceMisses: native.keyspaceMisses, expiredKeys: native.expiredKeys };
  }
}

function push(a: number[], v: number): void {
  a.push(Math.max(0, v));
  if (a.length > SAMPLES) a.shift();
}

function mean(a: number[]): number {
  return a.length === 0 ? 0 : a.reduce((x, y) => x + y, 0) / a.length;
}

// ---- helpers ------------------------------------------------------------------------------

/** Redis's bytesToHuman: 100B, 2.00K, 1.50M... */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

let gearsdVersion: string | undefined;
function ownVersion(): string {
  if (gearsdVersion === undefined) {
    try {
      const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
      gearsdVersion = String((JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '');
    } catch {
      gearsdVersion = '';
    }
  }
  return gearsdVersion;
}

// Made on first use, not at start-up; fixed for the life of the process as in Redis.
let runId: string | undefined;
let replId: string | undefined;
const once = (v: string | undefined) => v ?? randomBytes(20).toString('hex');

interface Memory {
  used: number;
  native: number;
  jsHeap: number;
  rss: number;
}

function usedMemory(server: Server, sampler: StatsSampler): Memory {
  const mu = process.memoryUsage();
  const native = server.native.heapUsed();
  // malloc'd memory (the keyspace, Python, Node's buffers) plus V8's own heap.
  const used = native + mu.heapUsed;
  if (used > sampler.peakMemory) sampler.peakMemory = used;
  return { used, native, jsHeap: mu.heapUsed, rss: mu.rss };
}

/** Bytes of replies waiting for slow readers, and the largest single backlog. */
function outputBuffers(server: Server): { total: number; max: number } {
  let total = 0;
  let max = 0;
  for (const c of server.clients.values()) {
    const pending = c.outBytes + c.socket.writableLength;
    total += pending;
    if (pending > max) max = pending;
  }
  return { total, max };
}

// ---- sections -----------------------------------------------------------------------------

function serverSection(server: Server): Line[] {
  const now = Date.now();
  const uptime = Math.floor((now - server.info.startedAt) / 1000);
  runId = once(runId);
  const hz = effectiveHz(server.config);
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', 'standalone'],
    ['gearsd_version', ownVersion()],
    ['node_version', process.versions.node],
    ['python_version', server.info.python.split(' ')[0]],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', process.arch.endsWith('64') ? 64 : 32],
    ['multiplexing_api', process.platform === 'linux' ? 'epoll' : 'kqueue'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', runId],
    ['tcp_port', server.port],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', server.config.int('hz')],
    ['executable', process.argv[1] ?? ''],
    ['config_file', server.config.file ? path.resolve(server.config.file) : ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(server: Server): Line[] {
  let blocked = 0;
  let inTimeoutTable = 0;
  for (const c of server.clients.values()) {
    if (!c.blocked) continue;
    blocked++;
    if (c.blocked.timer) inTimeoutTable++;
  }
  return [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.int('maxclients')],
    ['client_recent_max_output_buffer', outputBuffers(server).max],
    ['blocked_clients', blocked],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', inTimeoutTable],
  ];
}

function memorySection(server: Server): Line[] {
  const m = usedMemory(server, server.sampler);
  const peak = server.sampler.peakMemory;
  const total = os.totalmem();
  const maxmemory = server.config.int('maxmemory');
  return [
    ['used_memory', m.used],
    ['used_memory_human', bytesToHuman(m.used)],
    ['used_memory_rss', m.rss],
    ['used_memory_rss_human', bytesToHuman(m.rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${peak ? ((m.used / peak) * 100).toFixed(2) : '100.00'}%`],
    ['used_memory_native', m.native],
    ['used_memory_js_heap', m.jsHeap],
    ['total_system_memory', total],
    ['total_system_memory_human', bytesToHuman(total)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.str('maxmemory-policy')],
    ['mem_fragmentation_ratio', m.used ? (m.rss / m.used).toFixed(2) : '0.00'],
    ['mem_clients_normal', outputBuffers(server).total],
    ['mem_allocator', 'libc'],
  ];
}

function persistenceSection(server: Server): Line[] {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', server.native.stats().dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(server.info.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_saves', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_last_write_status', 'ok'],
  ];
}

function statsSection(server: Server): Line[] {
  const n = server.native.stats();
  const i = server.info;
  const s = server.sampler;
  return [
    ['total_connections_received', i.totalConnections],
    ['total_commands_processed', i.totalCommands],
    ['instantaneous_ops_per_sec', s.opsPerSec],
    ['total_net_input_bytes', i.netInputBytes],
    ['total_net_output_bytes', i.netOutputBytes],
    ['instantaneous_input_kbps', s.inputKbps],
    ['instantaneous_output_kbps', s.outputKbps],
    ['rejected_connections', i.rejectedConnections],
    ['expired_keys', n.expiredKeys - s.nativeBase.expiredKeys],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['keyspace_hits', n.keyspaceHits - s.nativeBase.keyspaceHits],
    ['keyspace_misses', n.keyspaceMisses - s.nativeBase.keyspaceMisses],
    ['pubsub_channels', server.pubsub.activeChannels('channel').length],
    ['pubsub_patterns', server.pubsub.patternCount()],
    ['pubsubshard_channels', server.pubsub.activeChannels('shard').length],
    ['total_reads_processed', i.readsProcessed],
    ['total_writes_processed', i.writesProcessed],
    ['client_output_buffer_limit_disconnections', i.outputLimitDisconnections],
  ];
}

function replicationSection(): Line[] {
  replId = once(replId);
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', replId],
    ['master_replid2', '0'.repeat(40)],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Line[] {
  const cpu = process.cpuUsage();
  return [
    ['used_cpu_sys', (cpu.system / 1e6).toFixed(6)],
    ['used_cpu_user', (cpu.user / 1e6).toFixed(6)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
  ];
}

function modulesSection(): Line[] {
  return [['module', `name=rg,ver=${RG_MODULE_VERSION},api=1,filters=0,usedby=[],using=[],options=[]`]];
}

function keyspaceSection(server: Server): Line[] {
  // avg_ttl: Redis's running estimate from active expiry; gearsd does not keep one (0, as Redis shows before it has sampled).
  return server.native.keyspaceInfo().map(([db, keys, expires]) => [`db${db}`, `keys=${keys},expires=${expires},avg_ttl=0`]);
}

const SECTIONS: Record<string, { title: string; lines: (server: Server) => Line[] }> = {
  server: { title: 'Server', lines: serverSection },
  clients: { title: 'Clients', lines: clientsSection },
  memory: { title: 'Memory', lines: memorySection },
  persistence: { title: 'Persistence', lines: persistenceSection },
  stats: { title: 'Stats', lines: statsSection },
  replication: { title: 'Replication', lines: replicationSection },
  cpu: { title: 'CPU', lines: cpuSection },
  modules: { title: 'Modules', lines: modulesSection },
  cluster: { title: 'Cluster', lines: () => [['cluster_enabled', 0]] },
  keyspace: { title: 'Keyspace', lines: keyspaceSection },
};

/**
 * The INFO text for the requested section names (none: "default"; also "all",
 * "everything", and Redis's "module_list" for "modules"). Unknown names add nothing.
 */
export function infoText(server: Server, args: string[]): string {
  const wanted = new Set<string>();
  let all = false;
  for (const raw of args.length === 0 ? ['default'] : args) {
    const a = raw.toLowerCase();
    if (a === 'default') DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
    else if (a === 'all' || a === 'everything') all = true;
    else wanted.add(a === 'module_list' ? 'modules' : a);
  }
  const parts: string[] = [];
  for (const name of DEFAULT_SECTIONS) {
    if (!all && !wanted.has(name)) continue;
    const lines = [...SECTIONS[name].lines(server), ...(server.hooks.onInfo?.(server, name) ?? [])];
    parts.push(`# ${SECTIONS[name].title}\r\n${lines.map(([k, v]) => `${k}:${v}\r\n`).join('')}`);
  }
  // Sections that other families add (e.g. a Gears section) come after Redis's own.
  for (const name of wanted) {
    if (SECTIONS[name]) continue;
    const lines = server.hooks.onInfo?.(server, name) ?? [];
    if (lines.length > 0) parts.push(`# ${name}\r\n${lines.map(([k, v]) => `${k}:${v}\r\n`).join('')}`);
  }
  return parts.join('\r\n');
}
