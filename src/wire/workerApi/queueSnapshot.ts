// GET /v1/queue as both sides read it: what waits in a scheduler's queue and what runs, the signal
// the workerpool's autoscaler scales on (and what a metrics exporter can publish as gauges).
import { z } from "zod";

const count = z.number().int().min(0);
const seconds = z.number().int().nullable();

export const queueSnapshotSchema = z.strictObject({
  /** Tasks waiting for a worker, in all. */
  waiting: count,
  /** Waiting tasks per category id (decimal). */
  waitingByCategory: z.record(z.string().regex(/^\d+$|^unknown$/), count),
  /** Waiting tasks per priority class. */
  waitingByPriority: z.strictObject({ urgent: count, normal: count, batch: count }),
  /** Tasks assigned to or running on a worker. */
  running: count,
  /** Workers whose heartbeat is recent. */
  liveWorkers: count,
  /** Deadline slack (deadline − the category's run time − now, chain time) of the task waiting longest; null when none waits. */
  oldestWaitingSlackSeconds: seconds,
  /** The least deadline slack of any waiting task; null when none waits. */
  leastWaitingSlackSeconds: seconds,
});

export type QueueSnapshotMessage = z.infer<typeof queueSnapshotSchema>;
