// The scheduler's persistence: its tables, the migration creating them and the repositories.
import { indexerEntities, indexerMigrations } from "../../src/persistence/indexer/index.ts";
import { ledgerEntities, ledgerMigrations } from "../../src/persistence/ledger/index.ts";
import { CreateSchedulerTables1795400000000 } from "./migrations/1795400000000-CreateSchedulerTables.ts";
import { SchedulerRuntimes1795400000001 } from "./migrations/1795400000001-SchedulerRuntimes.ts";
import { AddDealBlock1795400000002 } from "./migrations/1795400000002-AddDealBlock.ts";
import { SchedulerVerdicts1795400000003 } from "./migrations/1795400000003-SchedulerVerdicts.ts";
import { SchedulerPriority1795400000004 } from "./migrations/1795400000004-SchedulerPriority.ts";
import { schedulerEntities } from "./schedulerEntities.ts";

export * from "./schedulerEntities.ts";
export { TaskRepository, type NewDeal, type QueueSnapshot, type TaskPatch, type TaskWithDeal } from "./TaskRepository.ts";
export { WorkerRepository } from "./WorkerRepository.ts";
export { CreateSchedulerTables1795400000000, SchedulerRuntimes1795400000001 };

export const schedulerMigrations = [CreateSchedulerTables1795400000000, SchedulerRuntimes1795400000001, AddDealBlock1795400000002, SchedulerVerdicts1795400000003, SchedulerPriority1795400000004];

/** Everything a scheduler database holds: its own chain index and ledger, then its task tables. */
export const schedulerDatabase = {
  entities: [...indexerEntities, ...ledgerEntities, ...schedulerEntities],
  migrations: [...indexerMigrations, ...ledgerMigrations, ...schedulerMigrations],
};
