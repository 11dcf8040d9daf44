// The execution registry (DESIGN.md: TS owns it): ids, statuses, retention under
// MaxExecutions (GEARS_API.md §6.5), finished results kept as encoded reply bytes, and who
// waits for what.
//
// Native runs executions and says once, when one finishes, that it did. Until then an entry is
// `running` here (RG.GETEXECUTION asks native for the live view). Its final report (reply
// bytes, errors, steps) stays native while the entry is listed and is read from there when a
// client asks (most are never asked about: a registration's, a blocking RG.PYEXECUTE's);
// unlisting an entry forgets it there too. An entry evicted by MaxExecutions while running is
// unlisted but kept until it finishes, so that whoever waits for it (a blocking RG.PYEXECUTE)
// still gets its reply.
//
// A registration's executions are kept once finished, but only its latest
// MaxExecutionsPerRegistration (§6.5); when the registration goes, so do they. Native does
// that part, on the thread the execution finished on (Registration::keepFinished): it lists
// them and unlists the oldest, and this registry mirrors both in bulk (finishListed). Native
// does not hurry to tell it: before any read or add, the registry takes what waits (catchUp).

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
  /** The seq of the registration that started it, or null. */
  readonly registration: number | null;
  /** Forgotten once finished (blocking RG.PYEXECUTE, run() from a step). */
  readonly dropOnFinish: boolean;
  status: ExecutionStatus;
  /** The reply bytes, fetched when it finished if anyone was waiting for it. */
  reply?: Buffer;
  /** Called once when it finishes. */
  waiters: Set<(e: ExecutionEntry) => void>;
}

/**
 * Native's side of the registry: where the listing order comes from (RedisGears lists
 * executions in its dict's order) and where finished executions' reports are kept.
 */
export interface ListingOrder {
  /** Unlisting also forgets the report. */
  listed(seq: number, yes: boolean): void;
  /** listed(seq, false) for each, in one call. */
  unlistMany(seqs: Float64Array): void;
  order(): number[];
  /** A finished execution's reply bytes, until it is unlisted or forgotten. */
  reply(seq: number): Buffer | null;
  forget(seq: number): void;
  /** Registrations' finished executions native has listed and TS not yet heard of. */
  takeFinished(): { items: Float64Array; evicted: Float64Array } | null;
}

/**
 * A registration's finished execution nobody has asked about yet, kept as one number
 * (registration seq × 2 + 1 if aborted) instead of an entry: a registration on a busy key
 * finishes one per write, and most are only ever evicted. get() makes the entry when asked.
 */
type Unopened = number;

export class ExecutionRegistry {
  constructor(
    private readonly listing: ListingOrder,
    /** MaxExecutions, read whenever an entry is added (≤ 0: unlimited). */
    private readonly maxExecutions: () => number = () => 0,
  ) {}

  /** Listed entries, oldest first. */
  private readonly listed = new Map<number, ExecutionEntry | Unopened>();
  /** Running entries that MaxExecutions unlisted. */
  private readonly unlisted = new Map<number, ExecutionEntry>();
  /** Registrations that are gone: native has unlisted their executions. */
  private readonly gone = new Set<number>();

  add(seq: number, opts: { registered: boolean; dropOnFinish: boolean }): ExecutionEntry {
    this.catchUp();
    this.makeRoom();
    const entry = newEntry(seq, opts.registered, null, opts.dropOnFinish, 'running');
    this.listed.set(seq, entry);
    this.listing.listed(seq, true);
    return entry;
  }

  /**
   * Registrations' executions that finished: (seq, registration, aborted) triples native has
   * listed, and `unlisted`, those it has unlisted since (a registration's oldest). What
   * MaxExecutions evicts to make room is unlisted natively in one call.
   */
  finishListed(items: Float64Array, unlisted: Float64Array): void {
    const unlistedNow = unlisted.length > 0 ? new Set(unlisted) : null;
    if (unlistedNow) for (const seq of unlistedNow) this.listed.delete(seq);
    const evicted: number[] = [];
    for (let i = 0; i + 2 < items.length; i += 3) {
      const seq = items[i];
      const registration = items[i + 1];
      if (unlistedNow?.has(seq) || this.gone.has(registration)) continue;
      this.makeRoom(evicted);
      this.listed.set(seq, registration * 2 + items[i + 2]);
    }
    if (evicted.length > 0) this.listing.unlistMany(Float64Array.from(evicted));
  }

  /** Mirrors what native listed and unlisted for registrations since it last told. */
  private catchUp(): void {
    const waiting = this.listing.takeFinished();
    if (waiting) this.finishListed(waiting.items, waiting.evicted);
  }

  /** A listed entry. */
  get(seq: number | null): ExecutionEntry | undefined {
    if (seq === null) return undefined;
    this.catchUp();
    const v = this.listed.get(seq);
    if (typeof v !== 'number') return v;
    const entry = opened(seq, v);
    this.listed.set(seq, entry); // keeps its place in the order
    return entry;
  }

  /** The listed entries, in RedisGears' listing order (unopened ones as passing copies). */
  list(): ExecutionEntry[] {
    this.catchUp();
    return this.listing.order().flatMap((seq) => {
      const v = this.listed.get(seq);
      if (v === undefined) return [];
      return typeof v === 'number' ? opened(seq, v) : v;
    });
  }

  /**
   * Native says it finished: wakes the waiters, then forgets what is not to be kept. `reply`:
   * sent along when native keeps nothing of it (a blocking RG.PYEXECUTE's).
   */
  finish(seq: number, status: 'done' | 'aborted', reply?: Buffer): void {
    // Never an unopened one: those are finished before TS hears of them.
    const entry = (this.listed.get(seq) as ExecutionEntry | undefined) ?? this.unlisted.get(seq);
    if (!entry) return this.listing.forget(seq);
    entry.status = status;
    const wasUnlisted = this.unlisted.delete(seq);
    if (reply) entry.reply = reply;
    else if (entry.waiters.size > 0) entry.reply = this.listing.reply(seq) ?? undefined;
    if (entry.dropOnFinish) this.unlist(seq);
    if (wasUnlisted) this.listing.forget(seq);
    const waiters = [...entry.waiters];
    entry.waiters.clear();
    for (const w of waiters) w(entry);
  }

  /** A finished entry's reply bytes (those fetched for its waiters, or native's while listed). */
  reply(entry: ExecutionEntry): Buffer | null {
    return entry.reply ?? this.listing.reply(entry.seq);
  }

  drop(seq: number): void {
    this.unlist(seq);
  }

  /** A registration was unregistered (or replaced): native has unlisted its executions. */
  dropRegistration(registration: number): void {
    this.gone.add(registration);
    for (const [seq, v] of this.listed) {
      if ((typeof v === 'number' ? Math.floor(v / 2) : v.registration) === registration) this.listed.delete(seq);
    }
  }

  /** Evicts the oldest entries while MaxExecutions (when > 0) are listed. */
  private makeRoom(evicted?: number[]): void {
    const maxExecutions = this.maxExecutions();
    if (maxExecutions <= 0) return;
    while (this.listed.size >= maxExecutions) {
      const [seq, oldest] = this.listed.entries().next().value as [number, ExecutionEntry | Unopened];
      this.unlist(seq, evicted);
      if (typeof oldest !== 'number' && !isFinished(oldest)) this.unlisted.set(seq, oldest);
    }
  }

  /** Unlists natively now, or adds it to `evicted` for the caller to unlist in bulk. */
  private unlist(seq: number, evicted?: number[]): void {
    if (!this.listed.delete(seq)) return;
    if (evicted) evicted.push(seq);
    else this.listing.listed(seq, false);
  }
}

function newEntry(
  seq: number,
  registered: boolean,
  registration: number | null,
  dropOnFinish: boolean,
  status: ExecutionStatus,
): ExecutionEntry {
  return { seq, id: executionId(seq), registered, registration, dropOnFinish, status, waiters: new Set() };
}

/** The entry an unopened registration execution stands for. */
function opened(seq: number, v: Unopened): ExecutionEntry {
  return newEntry(seq, true, Math.floor(v / 2), false, v % 2 === 1 ? 'aborted' : 'done');
}

export function isFinished(e: ExecutionEntry): boolean {
  return e.status === 'done' || e.status === 'aborted';
}
