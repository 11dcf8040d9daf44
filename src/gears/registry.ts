// The execution registry (DESIGN.md: TS owns it): ids, statuses, retention under
// MaxExecutions (GEARS_API.md §6.5), finished results kept as encoded reply bytes, and who
// waits for what.
//
// Native runs executions and reports each one once, when it finishes. Until then an entry is
// `running` here (RG.GETEXECUTION asks native for the live view). An entry evicted by
// MaxExecutions while running is unlisted but kept until it finishes, so that whoever waits for
// it (a blocking RG.PYEXECUTE) still gets its reply.

import type { ExecutionReport } from '../native.js';

export const SHARD_ID = '0'.repeat(40);

export function executionId(seq: number): string {
  return `${SHARD_ID}-${seq}`;
}

/** The sequence number of a well-formed id of this shard; null otherwise (unknown, like RedisGears). */
export function parseExecutionId(id: string): number | null {
  const m = /^0{40}-(0|[1-9][0-9]{0,15})$/.exec(id);
  return m ? Number(m[1]) : null;
}

export type ExecutionStatus = 'created' | 'running' | 'done' | 'aborted';

export interface ExecutionEntry {
  readonly seq: number;
  readonly id: string;
  readonly registered: boolean;
  /** Forgotten once finished (blocking RG.PYEXECUTE, run() from a step). */
  readonly dropOnFinish: boolean;
  status: ExecutionStatus;
  /** Set when finished. */
  report?: ExecutionReport;
  /** Called once when it finishes. */
  waiters: Set<(e: ExecutionEntry) => void>;
}

/** Where the listing order comes from: RedisGears lists executions in its dict's order. */
export interface ListingOrder {
  listed(seq: number, yes: boolean): void;
  order(): number[];
}

export class ExecutionRegistry {
  constructor(private readonly listing: ListingOrder) {}

  /** Listed entries, oldest first. */
  private readonly listed = new Map<number, ExecutionEntry>();
  /** Running entries that MaxExecutions unlisted. */
  private readonly unlisted = new Map<number, ExecutionEntry>();

  add(seq: number, opts: { registered: boolean; dropOnFinish: boolean }, maxExecutions: number): ExecutionEntry {
    if (maxExecutions > 0) {
      while (this.listed.size >= maxExecutions) {
        const oldest = this.listed.values().next().value as ExecutionEntry;
        this.unlist(oldest.seq);
        if (!isFinished(oldest)) this.unlisted.set(oldest.seq, oldest);
      }
    }
    const entry: ExecutionEntry = {
      seq,
      id: executionId(seq),
      registered: opts.registered,
      dropOnFinish: opts.dropOnFinish,
      status: 'running',
      waiters: new Set(),
    };
    this.listed.set(seq, entry);
    this.listing.listed(seq, true);
    return entry;
  }

  /** A listed entry. */
  get(seq: number | null): ExecutionEntry | undefined {
    return seq === null ? undefined : this.listed.get(seq);
  }

  /** The listed entries, in RedisGears' listing order. */
  list(): ExecutionEntry[] {
    return this.listing.order().flatMap((seq) => this.listed.get(seq) ?? []);
  }

  /** Native's final report: wakes the waiters, then forgets what is not to be kept. */
  finish(seq: number, report: ExecutionReport): void {
    const entry = this.listed.get(seq) ?? this.unlisted.get(seq);
    if (!entry) return;
    entry.status = report.status;
    entry.report = report;
    this.unlisted.delete(seq);
    if (entry.dropOnFinish) this.unlist(seq);
    const waiters = [...entry.waiters];
    entry.waiters.clear();
    for (const w of waiters) w(entry);
  }

  drop(seq: number): void {
    this.unlist(seq);
  }

  private unlist(seq: number): void {
    if (this.listed.delete(seq)) this.listing.listed(seq, false);
  }
}

export function isFinished(e: ExecutionEntry): boolean {
  return e.status === 'done' || e.status === 'aborted';
}
