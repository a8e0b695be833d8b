// Why a task produced no result, as requesters read it in the market API, the live feed, the CLI
// and the explorer: a stable code per cause the contract settles, and the attempt it failed at.
import { FAILURE_CAUSE, type FailureCause } from "../eip712/types.ts";

/**
 * `REQUESTER_CAUSED`, `DATASET_OWNER_CAUSED`, `APP_OWNER_CAUSED`: settled by `failTask` on the
 * SMS's signed verdict naming that party; `DEADLINE_PASSED`: no result by the deal's deadline,
 * claimed (the workerpool is to blame).
 */
export const TASK_FAILURE_CODES = ["REQUESTER_CAUSED", "DATASET_OWNER_CAUSED", "APP_OWNER_CAUSED", "DEADLINE_PASSED"] as const;
export type TaskFailureCode = (typeof TASK_FAILURE_CODES)[number];

/** A task that failed for good. `attempts`: the attempt the SMS refused (1 for the first); null for a claim. */
export type TaskFailure = { code: TaskFailureCode; attempts: number | null };

const CODE_OF_CAUSE: Record<FailureCause, TaskFailureCode> = {
  [FAILURE_CAUSE.requester]: "REQUESTER_CAUSED",
  [FAILURE_CAUSE.datasetOwner]: "DATASET_OWNER_CAUSED",
  [FAILURE_CAUSE.appOwner]: "APP_OWNER_CAUSED",
};

/** The code of a `TaskFailed` cause (1 requester, 2 dataset owner, 3 app owner); throws on any other number. */
export function failureCodeOfCause(cause: number): TaskFailureCode {
  const code = CODE_OF_CAUSE[cause as FailureCause];
  if (code === undefined) throw new RangeError(`${cause} is not a failure cause (1 requester, 2 dataset owner, 3 app owner)`);
  return code;
}

const EXPLANATION: Record<TaskFailureCode, string> = {
  REQUESTER_CAUSED: "the SMS blamed the requester: a requester secret is missing or the request's inputs are invalid",
  DATASET_OWNER_CAUSED: "the SMS blamed the dataset owner: the dataset key is missing or withheld",
  APP_OWNER_CAUSED: "the SMS blamed the app owner: an app secret is missing or the bundle does not match its registration",
  DEADLINE_PASSED: "no result by the deadline; claimed: the price was refunded and the workerpool's stake paid to the requester",
};

/** "REQUESTER_CAUSED after 3 attempts: the SMS blamed the requester: …", for people. */
export function describeTaskFailure(failure: TaskFailure): string {
  const attempts = failure.attempts === null ? "" : ` after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}`;
  return `${failure.code}${attempts}: ${EXPLANATION[failure.code]}`;
}
