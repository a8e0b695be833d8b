// The configuration module's public API: build the validated config once with loadConfig and
// pass the object on; nothing else reads the environment.
export { loadConfig, type LoadConfigOptions } from "./loadConfig.ts";
export { ConfigError, type ConfigIssue } from "./ConfigError.ts";
export { LOG_LEVELS, WORKER_LIMIT_DEFAULTS, type Config, type ConfigInput, type LogLevel } from "./configSchema.ts";
export { CONFIG_FILE_VARIABLE, ENVIRONMENT_VARIABLES, type Environment } from "./environmentVariables.ts";
export { databaseTarget, type DatabaseTarget } from "./databaseTarget.ts";
