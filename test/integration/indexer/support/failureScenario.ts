// A protocol history in which tasks fail for good: TaskFailed for each cause the SMS can name
// (one by one and in a batch, on the fixture SMS's signed verdicts), next to a completed task, a
// pending one and a claim after the deadline. Loaded as a Hardhat fixture (snapshot, then revert).
import { FAILURE_CAUSE, type FailureCause } from "../../../../src/wire/eip712/index.ts";
import { by, connection, failureVerdict, loadFixtureAfresh,
  loadProtocol, plainResult, teeResult, type Fixture } from "../../../helpers/protocolFixture.ts";
import { match, plainOrders, teeOrders, wait, type MatchedDeal } from "./scenario.ts";

export type FailureScenario = {
  f: Fixture;
  /** TEE deal with dataset, volume 3: task 0 completed, task 1 failed (requester, attempt 3), task 2 pending. */
  running: MatchedDeal;
  /** TEE deal with dataset, volume 1: failed, the app owner to blame, at attempt 2. */
  failedOne: MatchedDeal;
  /** TEE deal with dataset, volume 2, failed in one batch: task 0 the dataset owner (attempt 1), task 1 the requester (attempt 2). */
  batch: MatchedDeal;
  /** Plain deal, volume 2: task 0 completed, task 1 claimed after the deadline. */
  claimed: MatchedDeal;
};

export function loadFailureScenario(): Promise<FailureScenario> {
  return loadFixtureAfresh(failureScenario);
}

async function failureScenario(): Promise<FailureScenario> {
  const f = await loadProtocol();
  const running = await match(f, await teeOrders(f, 3n));
  await wait(by(f.continuum, f.worker).pushResult(running.deal, await teeResult(f, running.dealId, 0n)));
  await failTask(f, running, 1n, FAILURE_CAUSE.requester, 3);

  const failedOne = await match(f, await teeOrders(f, 1n));
  await failTask(f, failedOne, 0n, FAILURE_CAUSE.appOwner, 2);

  const batch = await match(f, await teeOrders(f, 2n));
  const reports = [
    { index: 0n, cause: FAILURE_CAUSE.datasetOwner, attempt: 1 },
    { index: 1n, cause: FAILURE_CAUSE.requester, attempt: 2 },
  ];
  await wait(
    by(f.continuum, f.poolOwner).failTaskBatch(
      batch.deal,
      await Promise.all(
        reports.map(async (report) => ({
          ...report,
          smsSignature: await failureVerdict(f, batch.dealId, report.index, report.cause, f.sms, report.attempt),
        })),
      ),
    ),
  );

  const claimed = await match(f, await plainOrders(f, 2n));
  await wait(by(f.continuum, f.worker).pushResult(claimed.deal, await plainResult(f, claimed.dealId, 0n)));
  await connection.networkHelpers.time.increaseTo(claimed.deal.deadline + 1n);
  await wait(by(f.continuum, f.requester).claim(claimed.deal, [1n]));
  return { f, running, failedOne, batch, claimed };
}

/** The pool owner settles task `index` as failed on the fixture SMS's verdict blaming `cause` at `attempt`. */
export async function failTask(f: Fixture, deal: MatchedDeal, index: bigint, cause: FailureCause, attempt: number) {
  const smsSignature = await failureVerdict(f, deal.dealId, index, cause, f.sms, attempt);
  return wait(by(f.continuum, f.poolOwner).failTask(deal.deal, { index, cause, attempt, smsSignature }));
}
