// A list kept sorted by rank (cheapest first, then earliest published, then hash), so the best
// candidate of an index is its first element and a scan can stop at the first price too high.

/** What ranks an order in the book: price, then time priority, then its hash as a tiebreak. */
export type Ranked = { readonly price: bigint; readonly publishedAt: number; readonly hash: string };

export function compareRank(a: Ranked, b: Ranked): number {
  if (a.price !== b.price) return a.price < b.price ? -1 : 1;
  return compareTime(a, b);
}

/** Time priority alone: earlier published first, then hash. */
export function compareTime(a: Ranked, b: Ranked): number {
  if (a.publishedAt !== b.publishedAt) return a.publishedAt < b.publishedAt ? -1 : 1;
  if (a.hash === b.hash) return 0;
  return a.hash < b.hash ? -1 : 1;
}

/**
 * Insert and remove cost O(log n) comparisons plus an array splice (a memmove of at most n
 * pointers, microseconds for the bucket sizes of a 100,000-order book); iteration is in rank order.
 */
export class RankedList<E extends Ranked> implements Iterable<E> {
  readonly #items: E[] = [];

  get length(): number {
    return this.#items.length;
  }

  insert(entry: E): void {
    this.#items.splice(this.#lowerBound(entry), 0, entry);
  }

  /** Removes `entry` (the same object that was inserted); false when it is not in the list. */
  remove(entry: E): boolean {
    const index = this.#lowerBound(entry);
    if (this.#items[index] !== entry) return false;
    this.#items.splice(index, 1);
    return true;
  }

  [Symbol.iterator](): Iterator<E> {
    return this.#items[Symbol.iterator]();
  }

  #lowerBound(entry: E): number {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareRank(this.#items[middle]!, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
