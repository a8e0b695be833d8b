// The time the chain judges deadlines by, for services that act ahead of it: the latest block's
// timestamp, carried forward by the wall clock between reads. On a chain whose clock runs ahead
// of ours (a devnet after evm_increaseTime, a skewed host) that is chain time; on a chain whose
// latest block is merely old (no block for a while) the wall clock is the better bound, so the
// later of the two is taken: a deadline is never believed further away than it is.
import type { Provider } from "ethers";

export class ChainClock {
  readonly #provider: Pick<Provider, "getBlock">;
  readonly #wall: () => number;
  #anchor: { chainMs: number; wallMs: number } | undefined;

  constructor(provider: Pick<Provider, "getBlock">, wall: () => number = Date.now) {
    this.#provider = provider;
    this.#wall = wall;
  }

  /** Reads the latest block's timestamp; until the first read the clock is the wall clock. */
  async refresh(): Promise<void> {
    const block = await this.#provider.getBlock("latest");
    if (block) this.observe(block.timestamp);
  }

  /** Takes a block timestamp (seconds) as the chain's time now. */
  observe(timestampSeconds: number): void {
    this.#anchor = { chainMs: timestampSeconds * 1000, wallMs: this.#wall() };
  }

  /** Milliseconds since the epoch, as the chain will judge them. */
  now(): number {
    const wall = this.#wall();
    if (!this.#anchor) return wall;
    return Math.max(wall, this.#anchor.chainMs + (wall - this.#anchor.wallMs));
  }
}
