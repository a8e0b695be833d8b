// Gas benchmark of the protocol on the Hardhat network: prints a table, writes
// bench/results/gas.json, and exits non-zero when a budget is exceeded.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  MAX_RUN_TIME,
  appOrder,
  datasetOrder,
  loadProtocol,
  matchDeal,
  requestOrder,
  teeResult,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
} from "../../test/helpers/protocolFixture.ts";

const BUDGETS = { endToEndPerTask: 260_000, batchPerTask: 50_000 } as const;
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

/** One TEE task with a dataset, from match to payout. */
async function singleTask(f: Fixture, provider: OrderSet) {
  const { dealId, deal, receipt } = await matchDeal(f, { ...provider, request: await requestOrder(f, { volume: 1n }) });
  const push = await gasOf(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n)));
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

  const claimed = await matchDeal(f, { ...provider, request: await requestOrder(f, { volume: 1n }) });
  await f.connection.networkHelpers.time.increase(MAX_RUN_TIME * 10n + 1n);
  const claim = await gasOf(f.continuum.claim(claimed.deal, [0n]));

  const batchProvider = await providerOrders(f, 10_000n);
  await singleTask(f, batchProvider);
  const big = await matchDeal(f, { ...batchProvider, request: await requestOrder(f, { volume: 100n }) });
  const results = [];
  for (let i = 0n; i < 100n; i++) results.push(await teeResult(f, big.dealId, i));
  const batch1 = await gasOf(f.continuum.pushResultBatch(big.deal, results.slice(0, 50)));
  const batch2 = await gasOf(f.continuum.pushResultBatch(big.deal, results.slice(50)));
  const batchMatch = Number(big.receipt!.gasUsed);

  const figures = {
    matchOrders: steady.match,
    pushResult: steady.push,
    claim,
    endToEndPerTask: steady.match + steady.push,
    batchPerTask: Math.round((batchMatch + batch1 + batch2) / 100),
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
    "pushResult": { steady: figures.pushResult, cold: figures.pushResultCold },
    "claim (one task)": { steady: figures.claim, cold: "" },
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
