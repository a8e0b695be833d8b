// Turns the deals of this scheduler's workerpool, as its chain indexer wrote them into the ledger,
// into task rows: one per task index, idempotently, so a deal seen twice or after a restart
// creates nothing new. Deals whose assets are not indexed yet are retried on the next pass.
import { getAddress } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger, type Logger } from "../../src/core/logger.ts";
import { TAG_TEE, taskIdOf, type Deal } from "../../src/wire/eip712/index.ts";
import { Ledger, type DealRecord, type EventCursor } from "../../src/persistence/ledger/index.ts";
import { TaskRepository } from "../persistence/index.ts";
import { dealToJson } from "../../src/wire/workerApi/assignment.ts";
import { LedgerTerms } from "./LedgerTerms.ts";
import { honouredPriority } from "./honouredPriority.ts";

const PAGE = 100;

export class DealIntake {
  readonly #db: DataSource;
  readonly #workerpool: bigint;
  readonly #logger: Logger;
  readonly #urgentMinPrice: bigint;

  constructor(options: {
    db: DataSource;
    workerpool: bigint;
    /** The least workerpool price per task of a deal whose urgent class is honoured (default 0: every deal's). */
    urgentMinWorkerpoolPrice?: bigint;
    logger?: Logger;
  }) {
    this.#db = options.db;
    this.#workerpool = options.workerpool;
    this.#urgentMinPrice = options.urgentMinWorkerpoolPrice ?? 0n;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "deal-intake" });
  }

  /** Creates the tasks of every open deal of the workerpool not yet known; returns how many tasks were created. */
  async intake(): Promise<number> {
    const ledger = new Ledger(this.#db);
    const tasks = new TaskRepository(this.#db);
    let created = 0;
    let after: EventCursor | null = null;
    for (;;) {
      const page = await ledger.deals({ workerpool: this.#workerpool.toString() }, { limit: PAGE, after, order: "asc" });
      for (const record of page.items) {
        if (record.status !== "open" || (await tasks.hasDeal(record.dealId))) continue;
        created += await this.#intakeDeal(record, tasks);
      }
      if (page.items.length < PAGE) return created;
      const last = page.items[page.items.length - 1]!;
      after = [last.blockNumber, last.logIndex];
    }
  }

  async #intakeDeal(record: DealRecord, tasks: TaskRepository): Promise<number> {
    const logger = this.#logger.child({ dealId: record.dealId });
    const assets = await new LedgerTerms(this.#db).assetsOf(record.app, record.dataset, record.category);
    if (!assets.app || assets.maxRunTimeSeconds === undefined || (record.dataset !== "0" && !assets.dataset)) {
      logger.warn({ assets }, "deal assets not indexed yet; will retry");
      return 0;
    }
    const deal = dealOfRecord(record);
    const volume = Number(deal.volume);
    const priority = honouredPriority(record.params, deal.workerpoolPrice, this.#urgentMinPrice);
    if (priority.demoted) logger.warn({ asked: "urgent", price: deal.workerpoolPrice.toString() }, "urgent deal pays less than the urgent price; queued as normal");
    const created = await tasks.addDeal({
      dealId: record.dealId,
      workerpool: deal.workerpool,
      deal: dealToJson(deal),
      params: record.params,
      appCid: assets.app.bundleCid,
      appMeasurement: assets.app.measurement,
      appChecksum: assets.app.checksum,
      datasetCid: assets.dataset?.cid ?? null,
      datasetChecksum: assets.dataset?.checksum ?? null,
      maxRunTime: assets.maxRunTimeSeconds,
      tee: (BigInt(deal.tag) & TAG_TEE) !== 0n,
      deadline: Number(deal.deadline),
      dealBlock: record.blockNumber,
      priority: priority.priority,
      requester: deal.requester,
      taskIds: Array.from({ length: volume }, (_, index) => taskIdOf(record.dealId, BigInt(index))),
    });
    logger.info({ volume, created, priority: priority.priority }, "deal taken in");
    return created;
  }
}

export function dealOfRecord(record: DealRecord): Deal {
  return {
    app: BigInt(record.app),
    dataset: BigInt(record.dataset),
    workerpool: BigInt(record.workerpool),
    appOwner: getAddress(record.appOwner),
    datasetOwner: getAddress(record.datasetOwner),
    workerpoolOwner: getAddress(record.workerpoolOwner),
    appPrice: BigInt(record.appPrice),
    datasetPrice: BigInt(record.datasetPrice),
    workerpoolPrice: BigInt(record.workerpoolPrice),
    requester: getAddress(record.requester),
    beneficiary: getAddress(record.beneficiary),
    category: BigInt(record.category),
    tag: record.tag,
    volume: BigInt(record.volume),
    stakePerTask: BigInt(record.stakePerTask),
    startTime: BigInt(record.startTime),
    deadline: BigInt(record.deadline),
    resultPublicKey: record.resultPublicKey,
    paramsHash: record.paramsHash,
    requestHash: record.requestHash,
    requestOffset: BigInt(record.requestOffset),
  };
}
