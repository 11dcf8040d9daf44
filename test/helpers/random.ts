// A small seeded PRNG for randomised tests: the same seed gives the same command
// sequence, so a failure names its seed and can be replayed.

export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** n picks, repeats allowed. */
  some<T>(xs: readonly T[], n: number): T[] {
    return Array.from({ length: n }, () => this.pick(xs));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed of a randomised test: TEST_SEED=n replays (or explores) another sequence. */
export function testSeed(fallback: number): number {
  return Number(process.env.TEST_SEED ?? fallback);
}
