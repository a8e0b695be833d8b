// Ranked lists grouped under a key (an asset id, a restriction value): the building block of
// every index of the matching book. Empty lists are dropped so a long-running book does not grow.
import { RankedList, type Ranked } from "./rankedList.ts";

export class RankedIndex<Key, E extends Ranked> {
  readonly #lists = new Map<Key, RankedList<E>>();

  get size(): number {
    return this.#lists.size;
  }

  keys(): Iterable<Key> {
    return this.#lists.keys();
  }

  get(key: Key): RankedList<E> | undefined {
    return this.#lists.get(key);
  }

  insert(key: Key, entry: E): void {
    let list = this.#lists.get(key);
    if (!list) {
      list = new RankedList<E>();
      this.#lists.set(key, list);
    }
    list.insert(entry);
  }

  remove(key: Key, entry: E): void {
    const list = this.#lists.get(key);
    if (!list) return;
    list.remove(entry);
    if (list.length === 0) this.#lists.delete(key);
  }
}
