// Workerpool orders indexed for the matcher: per category, one group per tag value, and in each
// group the orders split by their first restriction, so a lookup visits only orders the request
// may use (open ones and those restricted to its app, dataset or requester), cheapest first.
// A second index per (category, workerpool) serves lookups pinned to one workerpool.
import type { BookEntry } from "./bookEntry.ts";
import { RankedIndex } from "./rankedIndex.ts";
import { RankedList } from "./rankedList.ts";

type WorkerpoolEntry = BookEntry<"workerpool">;

/** Orders of one category whose tag is exactly `tag`. */
export type TagGroup = {
  readonly tag: bigint;
  /** No app, dataset or requester restriction. */
  readonly open: RankedList<WorkerpoolEntry>;
  /** Restricted to an app (other restrictions are checked while scanning). */
  readonly byApp: RankedIndex<bigint, WorkerpoolEntry>;
  /** Not restricted to an app; restricted to a dataset. */
  readonly byDataset: RankedIndex<bigint, WorkerpoolEntry>;
  /** Restricted to a requester only. */
  readonly byRequester: RankedIndex<string, WorkerpoolEntry>;
  size: number;
};

type CategoryIndex = {
  readonly tagGroups: Map<bigint, TagGroup>;
  readonly byWorkerpool: RankedIndex<bigint, WorkerpoolEntry>;
};

export class WorkerpoolIndex {
  readonly #categories = new Map<bigint, CategoryIndex>();

  insert(entry: WorkerpoolEntry): void {
    const category = this.#categoryOf(entry.signed.order.category, true)!;
    let group = category.tagGroups.get(entry.tag);
    if (!group) {
      group = {
        tag: entry.tag, open: new RankedList(), byApp: new RankedIndex(), byDataset: new RankedIndex(),
        byRequester: new RankedIndex(), size: 0,
      };
      category.tagGroups.set(entry.tag, group);
    }
    placeIn(group, entry, "insert");
    group.size += 1;
    category.byWorkerpool.insert(entry.signed.order.workerpool, entry);
  }

  remove(entry: WorkerpoolEntry): void {
    const categoryId = entry.signed.order.category;
    const category = this.#categoryOf(categoryId, false);
    const group = category?.tagGroups.get(entry.tag);
    if (!category || !group) return;
    placeIn(group, entry, "remove");
    group.size -= 1;
    if (group.size === 0) category.tagGroups.delete(entry.tag);
    category.byWorkerpool.remove(entry.signed.order.workerpool, entry);
    if (category.tagGroups.size === 0) this.#categories.delete(categoryId);
  }

  /** Every tag group of a category (a handful in practice: tags are few distinct bit sets). */
  tagGroups(category: bigint): Iterable<TagGroup> {
    return this.#categories.get(category)?.tagGroups.values() ?? [];
  }

  /** The orders of one workerpool in one category, cheapest first. */
  ofWorkerpool(category: bigint, workerpool: bigint): RankedList<WorkerpoolEntry> | undefined {
    return this.#categories.get(category)?.byWorkerpool.get(workerpool);
  }

  /** Workerpools with at least one order in the category. */
  workerpoolsIn(category: bigint): bigint[] {
    const index = this.#categories.get(category);
    return index ? Array.from(index.byWorkerpool.keys()) : [];
  }

  #categoryOf(category: bigint, create: boolean): CategoryIndex | undefined {
    let index = this.#categories.get(category);
    if (!index && create) {
      index = { tagGroups: new Map(), byWorkerpool: new RankedIndex() };
      this.#categories.set(category, index);
    }
    return index;
  }
}

function placeIn(group: TagGroup, entry: WorkerpoolEntry, operation: "insert" | "remove"): void {
  const order = entry.signed.order;
  if (order.appRestrict !== 0n) group.byApp[operation](order.appRestrict, entry);
  else if (order.datasetRestrict !== 0n) group.byDataset[operation](order.datasetRestrict, entry);
  else if (entry.requesterRestrict !== null) group.byRequester[operation](entry.requesterRestrict, entry);
  else group.open[operation](entry);
}
