// A Map and a Set that keep at most `capacity` entries, forgetting the oldest insertion when a
// new key would go beyond it: memories of things seen (verified certificates, parsed keys, sent
// matches, read deals) whose size an attacker or a long run must not grow without bound.

function checkedCapacity(capacity: number): number {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
  return capacity;
}

export class BoundedMap<K, V> extends Map<K, V> {
  readonly #capacity: number;

  constructor(capacity: number) {
    super();
    this.#capacity = checkedCapacity(capacity);
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.#capacity) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

export class BoundedSet<T> extends Set<T> {
  readonly #capacity: number;

  constructor(capacity: number) {
    super();
    this.#capacity = checkedCapacity(capacity);
  }

  override add(value: T): this {
    if (!this.has(value) && this.size >= this.#capacity) this.delete(this.values().next().value!);
    return super.add(value);
  }
}
