// Workerpool schedulers announced to the market, and the market's reads of their runtimes.
export { CreateWorkerpoolSchedulers1796600000000 } from "./migrations/1796600000000-CreateWorkerpoolSchedulers.ts";
export { readSchedulerRuntimes } from "./readSchedulerRuntimes.ts";
export { SchedulerDirectory, type SchedulerCheck } from "./SchedulerDirectory.ts";
export { SchedulerWatcher, type SchedulerWatcherOptions } from "./SchedulerWatcher.ts";

import { CreateWorkerpoolSchedulers1796600000000 } from "./migrations/1796600000000-CreateWorkerpoolSchedulers.ts";

export const schedulerDirectoryMigrations = [CreateWorkerpoolSchedulers1796600000000];
