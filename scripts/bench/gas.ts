// Gas benchmark of the protocol on the Hardhat network: prints a table, writes
// bench/results/gas.json, and exits non-zero when a budget is exceeded.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  appOrder,
  datasetOrder,
  failureVerdict,
  loadProtocol,
  loadProtocolWithoutSms,
  matchDeal,
  requestOrder,
  teeResult,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
  by,
} from "../../test/helpers/protocolFixture.ts";
import { FAILURE_CAUSE } from "../../src/wire/eip712/index.ts";
import { stageRequestParams } from "../../src/wire/pipelines/index.ts";

/**
 * endToEndPerTask was budgeted at 260,000 (252,890 measured) before the hardening of issue 14,
 * which adds about 16,500 per task: 8,750 in pushResult (about 5,600 to check the SMS's
 * attestation of the enclave, a 65-byte signature and one ecrecover; 2,100 to read the SMS
 * signer's slot; the rest the new calldata field) and 7,700 in matchOrders (the asset epochs: one
 * more cold slot read in each of the three registries). Both close attacks, an unattested enclave
 * paid and an order revived by its asset coming back, so the budget moved by that much.
 */
/**
 * A pipeline stage's deal is an ordinary deal whose params name the pipeline and the stage (so
 * auditors link a pipeline's deals from DealCreated alone): the longer params cost calldata and the
 * event's data, budgeted at 6,000 over the same deal with the usual short params.
 */
const BUDGETS = { endToEndPerTask: 280_000, batchPerTask: 50_000, pipelineStageMatchOverhead: 6_000 } as const;
/** iExec PoCo, same single TEE task: matchOrders + initialize + contributeAndFinalize, and Boost mode. */
const REFERENCE = { iexecClassicPerTask: 1_630_000, iexecBoostPerTask: 730_000 } as const;

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

async function providerOrders(f: Fixture, volume: bigint): Promise<OrderSet> {
  return {
    app: await appOrder(f, { volume }),
    dataset: await datasetOrder(f, { volume }),
    workerpool: await workerpoolOrder(f, { volume }),
    request: await requestOrder(f),
  };
}

/** One TEE task with a dataset, from match to payout; `attester` null pushes no SMS attestation. */
async function singleTask(f: Fixture, provider: OrderSet, attester?: null, params?: string) {
  const { dealId, deal, receipt } = await matchDeal(f, { ...provider, request: await requestOrder(f, { volume: 1n, ...(params === undefined ? {} : { params }) }) });
  const push = await gasOf(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n, { attester })));
  return { match: Number(receipt!.gasUsed), push };
}

async function main() {
  const f = await loadProtocol();
  const provider = await providerOrders(f, 10_000n);

  // Cold: the first deal ever, every order and every payee's escrow slot written for the first time.
  const cold = await singleTask(f, provider);
  // Steady state: long-lived app, dataset and workerpool orders reused by a new request, payees
  // already holding escrow balances; what each further task of a running marketplace costs.
  const steady = await singleTask(f, provider);
  // The same steady task as a pipeline stage: params {"pipeline": <id>, "stage": "clean-air"} beside the stage's own.
  const stageParams = stageRequestParams(`0x${"5e".repeat(32)}`, {
    id: "clean-air", app: "1", inputs: [{ dataset: "1" }], category: "1", prices: { app: "5", dataset: "3", workerpool: "10" }, params: { window: "24h" },
  });
  const stage = await singleTask(f, provider, undefined, stageParams);

  const failed = await matchDeal(f, { ...provider, request: await requestOrder(f, { volume: 1n }) });
  const verdict = await failureVerdict(f, failed.dealId, 0n, FAILURE_CAUSE.requester);
  const failTask = await gasOf(by(f.continuum, f.poolOwner).failTask(failed.deal, { index: 0n, cause: FAILURE_CAUSE.requester, attempt: 1, smsSignature: verdict }));

  const claimed = await matchDeal(f, { ...provider, request: await requestOrder(f, { volume: 1n }) });
  await f.connection.networkHelpers.time.increaseTo(claimed.deal.deadline + 1n);
  const claim = await gasOf(f.continuum.claim(claimed.deal, [0n]));

  const batchProvider = await providerOrders(f, 10_000n);
  await singleTask(f, batchProvider);
  const big = await matchDeal(f, { ...batchProvider, request: await requestOrder(f, { volume: 100n }) });
  const results = [];
  for (let i = 0n; i < 100n; i++) results.push(await teeResult(f, big.dealId, i));
  const batch1 = await gasOf(f.continuum.pushResultBatch(big.deal, results.slice(0, 50)));
  const batch2 = await gasOf(f.continuum.pushResultBatch(big.deal, results.slice(50)));
  const batchMatch = Number(big.receipt!.gasUsed);

  const failedBatch = await matchDeal(f, { ...batchProvider, request: await requestOrder(f, { volume: 50n }) });
  const reports = [];
  for (let i = 0n; i < 50n; i++) {
    const cause = [FAILURE_CAUSE.requester, FAILURE_CAUSE.datasetOwner, FAILURE_CAUSE.appOwner][Number(i % 3n)]!;
    reports.push({ index: i, cause, attempt: 1, smsSignature: await failureVerdict(f, failedBatch.dealId, i, cause) });
  }
  const failBatch = await gasOf(by(f.continuum, f.poolOwner).failTaskBatch(failedBatch.deal, reports));

  // The same steady push on a deployment without an SMS signer: what the attestation costs.
  const unattested = await loadProtocolWithoutSms();
  const unattestedProvider = await providerOrders(unattested, 10_000n);
  await singleTask(unattested, unattestedProvider, null);
  const withoutSms = await singleTask(unattested, unattestedProvider, null);

  const figures = {
    matchOrders: steady.match,
    pushResult: steady.push,
    pushResultWithoutSmsSigner: withoutSms.push,
    failTask,
    failTaskBatchPerTask: Math.round(failBatch / 50),
    claim,
    endToEndPerTask: steady.match + steady.push,
    batchPerTask: Math.round((batchMatch + batch1 + batch2) / 100),
    matchOrdersPipelineStage: stage.match,
    pushResultPipelineStage: stage.push,
    pipelineStageMatchOverhead: stage.match - steady.match,
    matchOrdersCold: cold.match,
    pushResultCold: cold.push,
    endToEndPerTaskCold: cold.match + cold.push,
    batchMatchVolume100: batchMatch,
    batchPush50: Math.round((batch1 + batch2) / 2),
    budgets: BUDGETS,
    reference: REFERENCE,
  };

  console.log("\nContinuum gas (Hardhat network)\n");
  console.table({
    "matchOrders (TEE, dataset, volume 1)": { steady: figures.matchOrders, cold: figures.matchOrdersCold },
    "pushResult (with the SMS's attestation)": { steady: figures.pushResult, cold: figures.pushResultCold },
    "pushResult, no SMS signer registered": { steady: figures.pushResultWithoutSmsSigner, cold: "" },
    "failTask (one task, requester to blame)": { steady: figures.failTask, cold: "" },
    "failTaskBatch per task (50, mixed causes)": { steady: figures.failTaskBatchPerTask, cold: "" },
    "claim (one task)": { steady: figures.claim, cold: "" },
    "matchOrders, a pipeline stage's params": { steady: figures.matchOrdersPipelineStage, cold: "" },
    "  overhead over the same deal": { steady: figures.pipelineStageMatchOverhead, cold: "" },
    "end to end per task": { steady: figures.endToEndPerTask, cold: figures.endToEndPerTaskCold },
    "batch per task (volume 100, batches of 50)": { steady: figures.batchPerTask, cold: "" },
    "iExec PoCo per task, classic (reference)": { steady: REFERENCE.iexecClassicPerTask, cold: "" },
    "iExec PoCo per task, Boost (reference)": { steady: REFERENCE.iexecBoostPerTask, cold: "" },
  });

  const out = join(process.cwd(), "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "gas.json"), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`wrote ${join(out, "gas.json")}`);

  const over = (Object.keys(BUDGETS) as (keyof typeof BUDGETS)[]).filter((key) => figures[key] > BUDGETS[key]);
  for (const key of over) console.error(`over budget: ${key} = ${figures[key]} > ${BUDGETS[key]}`);
  if (over.length > 0) process.exitCode = 1;
}

await main();
