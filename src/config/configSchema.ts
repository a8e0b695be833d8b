// The shape, defaults and validation rules of Continuum's configuration, and the types derived
// from them. Paths arrive here already absolute; loadConfig resolves them first.
import { join } from "node:path";
import { z } from "zod";
import { filePath, hexKey32, host, integer, port, urlWithProtocols } from "./configFields.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const LOOPBACK = "127.0.0.1";

const chainSchema = z.strictObject({
  rpcUrl: urlWithProtocols(["http", "https", "ws", "wss"]).default("http://127.0.0.1:8545"),
  /** When set, services refuse to run against a node reporting another chain id. */
  chainId: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  /** Blocks to wait on top of a block before its events are trusted. */
  confirmations: integer(0, 10_000).default(0),
  /** Defaults to `<dataDir>/deployment.json`. */
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
  /** Private key of the wallet that sends matchOrders; without it the API serves but nothing is matched. */
  matcherKey: hexKey32().optional(),
  /** Pause between matching rounds, in milliseconds. */
  matchIntervalMs: integer(10, 3_600_000).default(1_000),
  /** Pause between polls of the chain once the indexer has caught up, in milliseconds. */
  indexIntervalMs: integer(10, 3_600_000).default(1_000),
});

const smsSchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8090),
  /** Optional here because only the SMS needs it; the SMS refuses to start without it. */
  masterKey: hexKey32().optional(),
});

const schedulerSchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8070),
  batchSize: integer(1, 1_000).default(10),
  batchDelayMs: integer(0, 3_600_000).default(2_000),
  heartbeatMs: integer(100, 3_600_000).default(5_000),
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

const gatewaySchema = z.strictObject({
  host: host().default(LOOPBACK),
  port: port().default(8088),
});

export const configSchema = z
  .strictObject({
    dataDir: filePath(),
    logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    chain: chainSchema.prefault({}),
    database: databaseSchema.prefault({}),
    ipfs: ipfsSchema.prefault({}),
    market: marketSchema.prefault({}),
    sms: smsSchema.prefault({}),
    scheduler: schedulerSchema.prefault({}),
    gateway: gatewaySchema.prefault({}),
    runtimes: runtimesSchema.prefault({}),
  })
  .transform((config) => ({
    ...config,
    chain: { ...config.chain, deploymentFile: config.chain.deploymentFile ?? join(config.dataDir, "deployment.json") },
  }));

type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The validated, frozen configuration every component receives. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;

/** What a config file or programmatic overrides may contain: any subset of the input shape. */
export type ConfigInput = DeepPartial<z.input<typeof configSchema>>;

export type LogLevel = (typeof LOG_LEVELS)[number];
