// The environment variables Continuum reads, each mapped to one configuration key, and the
// conversion of an environment into a partial config layer (empty variables count as unset).

type Variable = { key: string; kind: "string" | "integer" };

/** Names the JSON config file; read by loadConfig, not itself a configuration key. */
export const CONFIG_FILE_VARIABLE = "CONTINUUM_CONFIG";

export const ENVIRONMENT_VARIABLES: Readonly<Record<string, Variable>> = Object.freeze({
  CONTINUUM_DATA_DIR: { key: "dataDir", kind: "string" },
  CONTINUUM_LOG_LEVEL: { key: "logLevel", kind: "string" },
  CONTINUUM_RPC_URL: { key: "chain.rpcUrl", kind: "string" },
  CONTINUUM_CHAIN_ID: { key: "chain.chainId", kind: "integer" },
  CONTINUUM_CONFIRMATIONS: { key: "chain.confirmations", kind: "integer" },
  CONTINUUM_MAX_INDEXER_LAG_BLOCKS: { key: "chain.maxIndexerLagBlocks", kind: "integer" },
  CONTINUUM_DEPLOYMENT_FILE: { key: "chain.deploymentFile", kind: "string" },
  DATABASE_URL: { key: "database.url", kind: "string" },
  IPFS_API_URL: { key: "ipfs.apiUrl", kind: "string" },
  CONTINUUM_HTTP_HEADERS_TIMEOUT_MS: { key: "http.headersTimeoutMs", kind: "integer" },
  CONTINUUM_HTTP_REQUEST_TIMEOUT_MS: { key: "http.requestTimeoutMs", kind: "integer" },
  CONTINUUM_HTTP_MAX_HEADER_BYTES: { key: "http.maxHeaderBytes", kind: "integer" },
  CONTINUUM_MARKET_HOST: { key: "market.host", kind: "string" },
  CONTINUUM_MARKET_PORT: { key: "market.port", kind: "integer" },
  CONTINUUM_MARKET_BODY_LIMIT_BYTES: { key: "market.bodyLimitBytes", kind: "integer" },
  CONTINUUM_MARKET_RATE_LIMIT_PER_MINUTE: { key: "market.rateLimitPerMinute", kind: "integer" },
  CONTINUUM_MARKET_ACCOUNT_RATE_LIMIT_PER_MINUTE: { key: "market.accountRateLimitPerMinute", kind: "integer" },
  CONTINUUM_MATCHER_KEY: { key: "market.matcherKey", kind: "string" },
  CONTINUUM_MATCH_INTERVAL_MS: { key: "market.matchIntervalMs", kind: "integer" },
  CONTINUUM_SCHEDULER_CHECK_INTERVAL_MS: { key: "market.schedulerCheckIntervalMs", kind: "integer" },
  CONTINUUM_INDEX_INTERVAL_MS: { key: "market.indexIntervalMs", kind: "integer" },
  CONTINUUM_MARKET_LEASE_INTERVAL_MS: { key: "market.leaseIntervalMs", kind: "integer" },
  CONTINUUM_MARKET_RECONCILE_INTERVAL_MS: { key: "market.reconcileIntervalMs", kind: "integer" },
  CONTINUUM_MARKET_GATEWAY_URL: { key: "market.gatewayUrl", kind: "string" },
  CONTINUUM_SMS_HOST: { key: "sms.host", kind: "string" },
  CONTINUUM_SMS_PORT: { key: "sms.port", kind: "integer" },
  CONTINUUM_SMS_RATE_LIMIT_PER_MINUTE: { key: "sms.rateLimitPerMinute", kind: "integer" },
  CONTINUUM_SMS_MASTER_KEY: { key: "sms.masterKey", kind: "string" },
  CONTINUUM_SMS_SIGNER_KEY: { key: "sms.signerKey", kind: "string" },
  CONTINUUM_SMS_TRUSTED_ROOT_FILE: { key: "sms.attestation.trustedRootFile", kind: "string" },
  CONTINUUM_SMS_COLLATERAL_URL: { key: "sms.attestation.collateralUrl", kind: "string" },
  CONTINUUM_SMS_COLLATERAL_BUNDLE: { key: "sms.attestation.collateralBundle", kind: "string" },
  CONTINUUM_SMS_MIN_ISV_SVN: { key: "sms.attestation.minIsvSvn", kind: "integer" },
  CONTINUUM_SCHEDULER_HOST: { key: "scheduler.host", kind: "string" },
  CONTINUUM_SCHEDULER_PORT: { key: "scheduler.port", kind: "integer" },
  CONTINUUM_SCHEDULER_BATCH_SIZE: { key: "scheduler.batchSize", kind: "integer" },
  CONTINUUM_SCHEDULER_BATCH_DELAY_MS: { key: "scheduler.batchDelayMs", kind: "integer" },
  CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: { key: "scheduler.heartbeatIntervalMs", kind: "integer" },
  CONTINUUM_SCHEDULER_MISSED_HEARTBEATS: { key: "scheduler.missedHeartbeats", kind: "integer" },
  CONTINUUM_SCHEDULER_MAX_ATTEMPTS: { key: "scheduler.maxAttempts", kind: "integer" },
  CONTINUUM_SCHEDULER_DEADLINE_MARGIN_SECONDS: { key: "scheduler.deadlineMarginSeconds", kind: "integer" },
  CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS: { key: "scheduler.indexIntervalMs", kind: "integer" },
  CONTINUUM_SCHEDULER_MAX_POLL_WAIT_MS: { key: "scheduler.maxPollWaitMs", kind: "integer" },
  CONTINUUM_SCHEDULER_URGENT_MIN_WORKERPOOL_PRICE: { key: "scheduler.urgentMinWorkerpoolPrice", kind: "string" },
  CONTINUUM_WORKER_MAX_MEMORY_MB: { key: "worker.maxMemoryMb", kind: "integer" },
  CONTINUUM_WORKER_DEFAULT_MEMORY_MB: { key: "worker.defaultMemoryMb", kind: "integer" },
  CONTINUUM_WORKER_MAX_OUTPUT_BYTES: { key: "worker.maxOutputBytes", kind: "integer" },
  CONTINUUM_WORKER_MAX_OUTPUT_FILES: { key: "worker.maxOutputFiles", kind: "integer" },
  CONTINUUM_WORKER_MAX_BUNDLE_BYTES: { key: "worker.maxBundleBytes", kind: "integer" },
  CONTINUUM_WORKER_MAX_DATASET_BYTES: { key: "worker.maxDatasetBytes", kind: "integer" },
  CONTINUUM_WORKER_TIME_LIMIT_MS: { key: "worker.timeLimitMs", kind: "integer" },
  CONTINUUM_WORKER_FETCH_TIMEOUT_MS: { key: "worker.fetchTimeoutMs", kind: "integer" },
  CONTINUUM_WORKER_REQUEST_TIMEOUT_MS: { key: "worker.requestTimeoutMs", kind: "integer" },
  CONTINUUM_WORKER_MAX_PROCESSES: { key: "worker.maxProcesses", kind: "integer" },
  CONTINUUM_WORKER_METRICS_HOST: { key: "workerMetrics.host", kind: "string" },
  CONTINUUM_WORKER_METRICS_PORT: { key: "workerMetrics.port", kind: "integer" },
  CONTINUUM_GATEWAY_HOST: { key: "gateway.host", kind: "string" },
  CONTINUUM_GATEWAY_PORT: { key: "gateway.port", kind: "integer" },
  CONTINUUM_GATEWAY_NETWORK_FETCH_MS: { key: "gateway.networkFetchMs", kind: "integer" },
  CONTINUUM_PYTHON: { key: "runtimes.python.interpreter", kind: "string" },
});

export type Environment = Readonly<Record<string, string | undefined>>;

/** One value read from the environment, keyed by its dotted config key. */
export type EnvironmentEntry = { key: string; variable: string; value: string | number };

/**
 * Reads the known variables. Integers are converted when they look like integers; anything else
 * is passed through so validation reports it. Unknown `CONTINUUM_*` names are returned as typos.
 */
export function readEnvironment(env: Environment): { entries: EnvironmentEntry[]; unknown: string[] } {
  const entries: EnvironmentEntry[] = [];
  for (const [variable, { key, kind }] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === "") continue;
    const value = kind === "integer" && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    entries.push({ key, variable, value });
  }
  const unknown = Object.keys(env).filter(
    (name) => name.startsWith("CONTINUUM_") && name !== CONFIG_FILE_VARIABLE && !(name in ENVIRONMENT_VARIABLES),
  );
  return { entries, unknown };
}
