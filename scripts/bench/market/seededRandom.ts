// A small seeded generator (mulberry32) so a benchmark's order mix is the same on every run and
// two runs compare the code, not the luck of the draw.
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform bigint in [min, max] (small ranges). */
  bigint(min: number, max: number): bigint {
    return BigInt(this.int(min, max));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from no items");
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** 32 random bytes as 0x hex (order salts). */
  bytes32(): string {
    let hex = "0x";
    for (let i = 0; i < 8; i++) hex += Math.floor(this.next() * 4_294_967_296).toString(16).padStart(8, "0");
    return hex;
  }
}
