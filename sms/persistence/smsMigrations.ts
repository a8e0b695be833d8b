// Every migration of the SMS tables, oldest first, for openDataSource.
import { CreateSmsTables1795500000000 } from "./migrations/1795500000000-CreateSmsTables.ts";
import { CreateEnclaveBindings1795500000001 } from "./migrations/1795500000001-CreateEnclaveBindings.ts";
import { CreateCollateralCache1795500000002 } from "./migrations/1795500000002-CreateCollateralCache.ts";
import { CreatePipelines1795500000003 } from "./migrations/1795500000003-CreatePipelines.ts";

export const smsMigrations = [
  CreateSmsTables1795500000000,
  CreateEnclaveBindings1795500000001,
  CreateCollateralCache1795500000002,
  CreatePipelines1795500000003,
];
