// The shape, defaults and validation rules of Continuum's configuration, and the types derived
// from them. Paths arrive here already absolute; loadConfig resolves them first.
import { join } from "node:path";
import { z } from "zod";
import { MIN_MEMORY_MB } from "../apps/manifest.ts";
import { DEFAULT_HTTP_LIMITS } from "../http/serverLimits.ts";
import { filePath, hexKey32, host, integer, port, urlWithProtocols } from "./configFields.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const LOOPBACK = "127.0.0.1";

const chainSchema = z.strictObject({
  rpcUrl: urlWithProtocols(["http", "https", "ws", "wss"]).default("http://127.0.0.1:8545"),
  /** When set, services refuse to run against a node reporting another chain id. */
  chainId: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  /** Blocks to wait on top of a block before its events are trusted. */
  confirmations: integer(0, 10_000).default(0),
  /** A service is ready (GET /readyz) only while its indexer is at most this many blocks behind the confirmed head. */
  maxIndexerLagBlocks: integer(0, 1_000_000).default(20),
  /**
   * Defaults to `<dataDir>/deployments/<chainId>.json` when `chainId` is set (where
   * `continuum protocol deploy` records each chain's deployment), else `<dataDir>/deployment.json`.
   */
  deploymentFile: filePath().optional(),
});

const databaseSchema = z.strictObject({
  /** A PostgreSQL server; when absent each service uses PGlite under `<dataDir>/db/<service>`. */
  url: urlWithProtocols(["postgres", "postgresql"]).optional(),
});

const ipfsSchema = z.strictObject({
  /** A Kubo RPC API; when absent the in-process Helia node is used. */
  apiUrl: urlWithProtocols(["http", "https"]).optional(),
});

const marketSchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8080),
  bodyLimitBytes: integer(1_024, 100 * 1_048_576).default(1_048_576),
  rateLimitPerMinute: integer(1, 1_000_000).default(600),
  /** Sustained requests a minute per account, for requests signed by one (x-continuum-account); instead of the IP's limit. */
  accountRateLimitPerMinute: integer(1, 1_000_000).default(3_000),
  /** Private key of the wallet that sends matchOrders; without it the API serves but nothing is matched. */
  matcherKey: hexKey32().optional(),
  /** Pause between matching rounds, in milliseconds. */
  matchIntervalMs: integer(10, 3_600_000).default(1_000),
  /** Pause between polls of the chain once the indexer has caught up, in milliseconds. */
  indexIntervalMs: integer(10, 3_600_000).default(1_000),
  /** Replicas on one PostgreSQL database: how often a follower asks for the leader lease, and the leader checks it still holds it. */
  leaseIntervalMs: integer(100, 60_000).default(1_000),
  /** Replicas: how often the matcher's memory is compared with the database's open orders and set right. */
  reconcileIntervalMs: integer(1_000, 3_600_000).default(30_000),
  /** The IPFS HTTP gateway the market reads results' attestation bundles through; the configured gateway (gateway.host:port) when absent. */
  gatewayUrl: urlWithProtocols(["http", "https"]).optional(),
  /** Pause between reads of each announced workerpool scheduler's GET /v1/info (its runtimes), in milliseconds. */
  schedulerCheckIntervalMs: integer(100, 86_400_000).default(30_000),
  /** How long one read of a scheduler's /v1/info may take before it counts as unreachable, in milliseconds. */
  schedulerCheckTimeoutMs: integer(100, 60_000).default(3_000),
});

/** TCB statuses an operator may accept; Revoked never is. */
export const ACCEPTABLE_TCB_STATUSES = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
] as const;

const smsAttestationSchema = z
  .strictObject({
    /** PEM file of the trusted attestation root (the devnet's); Intel's SGX Root CA when absent. */
    trustedRootFile: filePath().optional(),
    /** A PCCS, or Intel's PCS (https://api.trustedservices.intel.com), serving the platforms' collateral. */
    collateralUrl: urlWithProtocols(["http", "https"]).optional(),
    /** An offline collateral bundle: a file or directory in the format of Intel's recorded collateral. */
    collateralBundle: filePath().optional(),
    /** Cached collateral older than this is fetched again, so a revoked platform is refused within it. */
    collateralMaxAgeSeconds: integer(1, 30 * 86_400).default(3_600),
    acceptedTcbStatuses: z
      .array(z.enum(ACCEPTABLE_TCB_STATUSES, { error: `must be TCB statuses among ${ACCEPTABLE_TCB_STATUSES.join(", ")}` }))
      .min(1)
      .default(["UpToDate", "SWHardeningNeeded"]),
    /** Advisory IDs a quote may carry; "*" accepts any advisory of an accepted status. */
    allowedAdvisoryIds: z.array(z.string().regex(/^(\*|[A-Z0-9-]{1,64})$/, { error: 'must be advisory IDs such as INTEL-SA-00615, or "*"' })).default(["*"]),
    /** Lowest ISV SVN of any SGX enclave served; an app's measurement document may ask for more. */
    minIsvSvn: integer(0, 65_535).default(1),
    /** Attempts of one task the SMS serves, each with its own enclave. */
    maxAttemptsPerTask: integer(1, 1_000).default(5),
  })
  .refine((attestation) => attestation.collateralUrl === undefined || attestation.collateralBundle === undefined, {
    error: "give collateralUrl or collateralBundle, not both",
  });

const smsSchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8090),
  rateLimitPerMinute: integer(1, 1_000_000).default(1_200),
  /** Optional here because only the SMS needs it; the SMS refuses to start without it. */
  masterKey: hexKey32().optional(),
  /**
   * The secp256k1 key the SMS signs its verdicts with (EnclaveAttested, TaskFailure); the address
   * governance registers with setSmsSigner. Derived from the master key when absent.
   */
  signerKey: hexKey32().optional(),
  attestation: smsAttestationSchema.prefault({}),
});

const schedulerSchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8070),
  /** Most results pushed in one transaction. */
  batchSize: integer(1, 1_000).default(10),
  /** Longest a ready result waits for a fuller batch before it is pushed, in milliseconds. */
  batchDelayMs: integer(0, 3_600_000).default(2_000),
  /** Heartbeat interval the scheduler asks of its workers, in milliseconds. */
  heartbeatIntervalMs: integer(100, 3_600_000).default(5_000),
  /** Heartbeats a worker may miss before its task is given to another worker. */
  missedHeartbeats: integer(1, 1_000).default(3),
  /** Attempts per task before it is failed for good. */
  maxAttempts: integer(1, 100).default(3),
  /** A task is (re)assigned only while its on-chain deadline is at least this far away, in seconds. */
  deadlineMarginSeconds: integer(0, 86_400).default(20),
  /** Pause between polls of the chain once the scheduler's indexer has caught up, in milliseconds. */
  indexIntervalMs: integer(10, 3_600_000).default(1_000),
  /** Longest a worker's next-task request is held open while no task is ready, in milliseconds. */
  maxPollWaitMs: integer(0, 600_000).default(20_000),
  /**
   * The least workerpool price per task (token base units, decimal) of a deal whose `urgent` class is
   * honoured; an urgent deal paying less is queued as normal. "0" honours the class for every deal.
   */
  urgentMinWorkerpoolPrice: z.string().regex(/^\d{1,78}$/, { error: "must be a whole number of token base units, in decimal" }).default("0"),
});

const MIB = 1_048_576;

/** What one task may use on a worker; an app's manifest and the category's run time can only narrow it. */
const workerSchema = z
  .strictObject({
    /** Most memory (resident set and V8 heap) an app may ask for, in MiB. */
    maxMemoryMb: integer(MIN_MEMORY_MB, MIB).default(2_048),
    /** Memory given to an app whose manifest names none, in MiB. */
    defaultMemoryMb: integer(MIN_MEMORY_MB, MIB).default(512),
    /** Largest output directory, in bytes (a manifest's outputMb may lower it). */
    maxOutputBytes: integer(1, Number.MAX_SAFE_INTEGER).default(64 * MIB),
    /** Most files in the output directory. */
    maxOutputFiles: integer(1, 10_000_000).default(10_000),
    /** Processes (and threads) one app may run at once: a fork bomb stops there. */
    maxProcesses: integer(1, 4_096).default(32),
    /** Largest app bundle fetched, in bytes. */
    maxBundleBytes: integer(1, Number.MAX_SAFE_INTEGER).default(64 * MIB),
    /** Largest encrypted dataset fetched, in bytes. */
    maxDatasetBytes: integer(1, Number.MAX_SAFE_INTEGER).default(4_096 * MIB),
    /** Lowers the category's run time when set (never raises it), in milliseconds. */
    timeLimitMs: integer(1, 86_400_000).optional(),
    /** Deadline of each storage transfer (bundle, dataset, result), in milliseconds. */
    fetchTimeoutMs: integer(1, 86_400_000).default(600_000),
    /** Deadline of the scheduler's authorization and of the SMS session, in milliseconds. */
    requestTimeoutMs: integer(1, 3_600_000).default(30_000),
  })
  .refine((worker) => worker.defaultMemoryMb <= worker.maxMemoryMb, {
    error: "must not exceed worker.maxMemoryMb, or apps without a memory limit are refused",
    path: ["defaultMemoryMb"],
    // Compared only once both values are valid, so a bad one is reported once.
    when: (payload) => payload.issues.length === 0,
  });

const PACKAGE_PIN = /^[A-Za-z0-9][A-Za-z0-9._-]*==[0-9A-Za-z][0-9A-Za-z.+!_-]*$/;

/** What a worker offers to run apps with, besides Node.js. */
const runtimesSchema = z.strictObject({
  python: z
    .strictObject({
      /** The Python 3 interpreter python apps run with; its version and hashes go into their measurement. */
      interpreter: filePath().default("/usr/bin/python3"),
      /** The declared native package set, exact pins such as "numpy==1.24.2": all visible to python apps, all measured. */
      packages: z.array(z.string().regex(PACKAGE_PIN, { error: 'must be an exact pin such as "numpy==1.24.2"' })).default([]),
    })
    .prefault({}),
});

/** The worker's own small HTTP listener for /metrics, /healthz and /readyz; off unless a port is given. */
const workerMetricsSchema = z.strictObject({
  host: host().default(LOOPBACK),
  /** 0 picks a free port; absent, the worker serves no HTTP at all. */
  port: port().optional(),
});

const gatewaySchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8088),
  /**
   * How long a request may spend fetching content the gateway's node does not store from its IPFS
   * peers (such as workers on other machines that connected to it with --ipfs-peer, holding the
   * results they uploaded); 0 serves stored content only.
   */
  networkFetchMs: integer(0, 600_000).default(0),
});

/** Limits every service's HTTP server applies before its routes (see src/http/serverLimits.ts). */
const httpSchema = z
  .strictObject({
    headersTimeoutMs: integer(100, 600_000).default(DEFAULT_HTTP_LIMITS.headersTimeoutMs),
    requestTimeoutMs: integer(100, 3_600_000).default(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
    maxHeaderBytes: integer(1_024, 1_048_576).default(DEFAULT_HTTP_LIMITS.maxHeaderBytes),
  })
  .refine((http) => http.headersTimeoutMs <= http.requestTimeoutMs, {
    path: ["headersTimeoutMs"],
    error: "must not exceed requestTimeoutMs: the headers are part of the request",
  });

export const configSchema = z
  .strictObject({
    dataDir: filePath(),
    logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    chain: chainSchema.prefault({}),
    database: databaseSchema.prefault({}),
    ipfs: ipfsSchema.prefault({}),
    http: httpSchema.prefault({}),
    market: marketSchema.prefault({}),
    sms: smsSchema.prefault({}),
    scheduler: schedulerSchema.prefault({}),
    worker: workerSchema.prefault({}),
    workerMetrics: workerMetricsSchema.prefault({}),
    gateway: gatewaySchema.prefault({}),
    runtimes: runtimesSchema.prefault({}),
  })
  .transform((config) => ({
    ...config,
    chain: { ...config.chain, deploymentFile: config.chain.deploymentFile ?? defaultDeploymentFile(config.dataDir, config.chain.chainId) },
  }));

function defaultDeploymentFile(dataDir: string, chainId: number | undefined): string {
  return chainId === undefined ? join(dataDir, "deployment.json") : join(dataDir, "deployments", `${chainId}.json`);
}

type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The validated, frozen configuration every component receives. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;

/** What a config file or programmatic overrides may contain: any subset of the input shape. */
export type ConfigInput = DeepPartial<z.input<typeof configSchema>>;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The worker limits a worker applies when its configuration says nothing else. */
export const WORKER_LIMIT_DEFAULTS: Config["worker"] = Object.freeze(workerSchema.parse({}));
