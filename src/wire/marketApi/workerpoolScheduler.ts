// A workerpool's scheduler as the market knows it: the URL its owner announced (a signed
// `PUT /v1/workerpools/{id}/scheduler?url=…`) and what the scheduler's GET /v1/info last said about
// the runtimes its live workers offer. GET /v1/workerpools/{id} serves it.

/** reachable: the last read answered; unreachable: it did not (runtimes unknown); pending: not read yet; mismatch: it serves another workerpool. */
export type SchedulerCheckStatus = "pending" | "reachable" | "unreachable" | "mismatch";

/** One runtime the scheduler's live workers offer, summarised from its profile. */
export type OfferedRuntimeJson = {
  runtime: string;
  /** The runtime profile's digest apps are measured under; null for a runtime with one profile (node). */
  profile: string | null;
  /** The interpreter, e.g. "CPython 3.11.2"; null when the profile names none. */
  interpreter: string | null;
  /** Native packages the workers declare (python), name and version. */
  packages: { name: string; version: string }[];
};

export type WorkerpoolSchedulerJson = {
  url: string;
  /** Lowercase account that announced it: the workerpool's owner at the time. */
  announcedBy: string;
  announcedAt: string;
  status: SchedulerCheckStatus;
  /** When the scheduler was last read; null before the first read. */
  checkedAt: string | null;
  /** What the live workers offer; null unless the last read answered (unknown). */
  runtimes: OfferedRuntimeJson[] | null;
  /** Why the last read failed, or null. */
  problem: string | null;
};

export type WorkerpoolJson = {
  workerpool: string;
  /** The registration the market indexed; null while it has not. */
  owner: string | null;
  description: string | null;
  /** Null until the owner announces a scheduler. */
  scheduler: WorkerpoolSchedulerJson | null;
};

/** The path (with its query) an owner signs and PUTs to announce `url` as `workerpool`'s scheduler. */
export function schedulerAnnouncementPath(workerpool: bigint | string, url: string): string {
  return `/v1/workerpools/${workerpool}/scheduler?url=${encodeURIComponent(url)}`;
}
