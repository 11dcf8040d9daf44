// Where every blocking command keeps the keys it waits on and its timeout, and how to
// re-run it for the one key that got data. One table for all families (lists, sorted
// sets, streams): the blocking manager (blocking-keys.ts) reads nothing else about them.
//
// The argv given here has already been accepted by the native command (it answered "would
// block"), so it is well formed; for XREAD it is native's rewrite with `$` resolved.
//
// Re-running for a single key is what makes a client blocked on several keys be served by
// the key that got data first, with a reply naming that key only, as Redis 7.0 does.

export type BlockedOnType = 'list' | 'zset' | 'stream';

export interface BlockingCommand {
  /** The value type that can serve it; keys of another type leave it waiting. */
  type: BlockedOnType;
  /** Indexes in argv of the keys it waits on (may repeat a key). */
  keys(argv: Buffer[]): number[];
  /** Milliseconds to wait; 0 is forever. */
  timeoutMs(argv: Buffer[]): number;
  /** The command to run when the key at argv[keyIndex] is ready. */
  forKey(argv: Buffer[], keyIndex: number): Buffer[];
  /**
   * Set for XREADGROUP: when its key is deleted or stops being a stream, the client is
   * woken with this error instead of waiting for a stream that can no longer serve it.
   */
  errorWhenKeyGone?: string;
}

const ONE = Buffer.from('1');

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** Seconds as a float, rounded up to whole milliseconds (native has validated it). */
function seconds(arg: Buffer): number {
  const ms = Math.ceil(Number(arg.toString('latin1')) * 1000);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function milliseconds(arg: Buffer): number {
  const ms = Number(arg.toString('latin1'));
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** CMD key [key ...] timeout: BLPOP, BRPOP, BZPOPMIN, BZPOPMAX. */
const keysThenTimeout = (type: BlockedOnType): BlockingCommand => ({
  type,
  keys: (argv) => range(1, argv.length - 1),
  timeoutMs: (argv) => seconds(argv[argv.length - 1]),
  forKey: (argv, k) => [argv[0], argv[k], argv[argv.length - 1]],
});

/** CMD source destination ... timeout-at-index: BLMOVE, BRPOPLPUSH (one key already). */
const sourceKey = (timeoutIndex: number): BlockingCommand => ({
  type: 'list',
  keys: () => [1],
  timeoutMs: (argv) => seconds(argv[timeoutIndex]),
  forKey: (argv) => argv,
});

/** CMD timeout numkeys key [key ...] rest...: BLMPOP, BZMPOP. */
const timeoutThenNumkeys = (type: BlockedOnType): BlockingCommand => {
  const numkeys = (argv: Buffer[]) => Number(argv[2].toString('latin1'));
  return {
    type,
    keys: (argv) => range(3, 3 + numkeys(argv)),
    timeoutMs: (argv) => seconds(argv[1]),
    forKey: (argv, k) => [argv[0], argv[1], ONE, argv[k], ...argv.slice(3 + numkeys(argv))],
  };
};

/**
 * XREAD [COUNT n] [BLOCK ms] STREAMS key... id... and XREADGROUP with GROUP g c and NOACK
 * among its options: options are read the way Redis reads them (in any order, each with
 * its values), so a COUNT whose value is "streams" is not taken for the STREAMS keyword.
 */
function streamsLayout(argv: Buffer[]): { block: number; streams: number } {
  let block = -1;
  for (let i = 1; i < argv.length; i++) {
    const opt = argv[i].toString('latin1').toLowerCase();
    if (opt === 'streams') return { block, streams: i + 1 };
    if (opt === 'block') block = i + 1;
    if (opt === 'count' || opt === 'block') i++;
    else if (opt === 'group') i += 2;
  }
  return { block, streams: argv.length };
}

const streamRead = (errorWhenKeyGone?: string): BlockingCommand => ({
  type: 'stream',
  keys: (argv) => {
    const { streams } = streamsLayout(argv);
    return range(streams, streams + (argv.length - streams) / 2);
  },
  timeoutMs: (argv) => {
    const { block } = streamsLayout(argv);
    return block < 0 ? 0 : milliseconds(argv[block]);
  },
  forKey: (argv, k) => {
    const { streams } = streamsLayout(argv);
    const half = (argv.length - streams) / 2;
    return [...argv.slice(0, streams), argv[k], argv[k + half]];
  },
  errorWhenKeyGone,
});

export const BLOCKING_COMMANDS: ReadonlyMap<string, BlockingCommand> = new Map([
  ['blpop', keysThenTimeout('list')],
  ['brpop', keysThenTimeout('list')],
  ['blmove', sourceKey(5)],
  ['brpoplpush', sourceKey(3)],
  ['blmpop', timeoutThenNumkeys('list')],
  ['bzpopmin', keysThenTimeout('zset')],
  ['bzpopmax', keysThenTimeout('zset')],
  ['bzmpop', timeoutThenNumkeys('zset')],
  ['xread', streamRead()],
  ['xreadgroup', streamRead('UNBLOCKED the stream key no longer exists')],
]);
