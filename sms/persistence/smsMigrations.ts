// Every migration of the SMS tables, oldest first, for openDataSource.
import { CreateSmsTables1795500000000 } from "./migrations/1795500000000-CreateSmsTables.ts";
import { CreateEnclaveBindings1795500000001 } from "./migrations/1795500000001-CreateEnclaveBindings.ts";

export const smsMigrations = [CreateSmsTables1795500000000, CreateEnclaveBindings1795500000001];
