// Runs the SMS from the validated configuration: refuses to start without a master key or with
// one that did not seal the stored secrets, checks the chain against the deployment, opens the
// database (PGlite under the data dir, or PostgreSQL), and serves HTTP on sms.host:sms.port.
import { availableParallelism } from "node:os";
import { JsonRpcProvider, type Provider } from "ethers";
import type { DataSource } from "typeorm";
import type { RefreshReport } from "../src/attestation/dcap/index.ts";
import { smsAttestation, type SmsAttestation } from "./attestation/smsAttestation.ts";
import { DealReader } from "../src/chain/dealReader.ts";
import { Secp256k1Pool } from "../src/crypto/threads/secp256k1Pool.ts";
import { deploymentOnChain } from "../src/chain/checkChain.ts";
import { readDeploymentFile } from "../src/chain/deploymentFile.ts";
import type { Deployment } from "../src/chain/deployProtocol.ts";
import { databaseTarget, type Config } from "../src/config/index.ts";
import { isContinuumError } from "../src/core/ContinuumError.ts";
import { createHttpServer } from "../src/http/httpServer.ts";
import { listen, stopServer } from "../src/http/listen.ts";
import { createLogger, type Logger } from "../src/core/logger.ts";
import { continuumDomain } from "../src/wire/eip712/types.ts";
import type { TypedDataDomain } from "ethers";
import { smsSignerOf } from "../src/chain/smsSigner.ts";
import { VerdictSigner } from "./verdicts/VerdictSigner.ts";
import { openDataSource } from "../src/persistence/openDataSource.ts";
import { createSmsService, type SmsPolicy } from "./createSmsApp.ts";
import { SecretRepository } from "./persistence/SecretRepository.ts";
import { smsEntities } from "./persistence/smsEntities.ts";
import { smsMigrations } from "./persistence/smsMigrations.ts";
import { MasterKey } from "./secrets/MasterKey.ts";
import type { SessionService } from "./sessions/sessionService.ts";
import { SmsError } from "./SmsError.ts";
import type { Registry } from "prom-client";
import { chainReachable } from "../src/chain/chainReadiness.ts";
import { databaseMigrated } from "../src/persistence/migrationReadiness.ts";

export type StartSmsOptions = {
  config: Config;
  /** How quotes are judged; built from config.sms.attestation unless given. */
  attestation?: SmsAttestation;
  /** The chain; defaults to a JSON-RPC provider on config.chain.rpcUrl. */
  provider?: Provider;
  /** The protocol addresses; defaults to the JSON file at config.chain.deploymentFile. */
  deployment?: Deployment;
  policy?: SmsPolicy;
  logger?: Logger;
  clock?: () => Date;
};

export type RunningSms = {
  /** Base URL, e.g. http://127.0.0.1:8090. */
  readonly url: string;
  readonly port: number;
  readonly dataSource: DataSource;
  /** The session service the HTTP routes call, for in-process use. */
  readonly sessions: SessionService;
  /** The registry GET /metrics serves. */
  readonly metrics: Registry;
  /** The address the SMS signs its verdicts with: the one governance registers (setSmsSigner). */
  readonly signer: string;
  /** Fetches every cached platform's collateral again now (after a PCK revocation, say). */
  refreshCollateral(): Promise<RefreshReport>;
  close(): Promise<void>;
};

export async function startSms(options: StartSmsOptions): Promise<RunningSms> {
  const { config } = options;
  const masterKey = MasterKey.fromConfig(config.sms.masterKey);
  const logger = options.logger ?? createLogger({ name: "sms", level: config.logLevel });
  const deployment = options.deployment ?? (await asSmsError(readDeploymentFile(config.chain.deploymentFile), ["DEPLOYMENT_INVALID"]));
  const ownProvider = options.provider === undefined;
  const provider = options.provider ?? new JsonRpcProvider(config.chain.rpcUrl, undefined, { staticNetwork: true });
  const closers: (() => Promise<void> | void)[] = ownProvider ? [() => provider.destroy()] : [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const chainId = await asSmsError(deploymentOnChain(provider, deployment, config.chain.chainId), ["CHAIN_MISMATCH", "DEPLOYMENT_NOT_ON_CHAIN", "DEPLOYMENT_CODE_MISMATCH"]);
    const dataSource = await openDataSource({ ...databaseTarget(config, "sms"), entities: smsEntities, migrations: smsMigrations, logger });
    closers.push(() => dataSource.destroy());
    await checkMasterKey(dataSource, masterKey);
    // The sessions' secp256k1 work runs beside the event loop, which meanwhile reads the chain and the database.
    const crypto = new Secp256k1Pool({ threads: Math.max(1, availableParallelism() - 1) });
    closers.push(() => crypto.close());
    const attestation = options.attestation ?? (await smsAttestation(config.sms.attestation, dataSource));
    const verdicts = verdictSigner(config.sms.signerKey, masterKey, continuumDomain(chainId, deployment.continuum));
    await reportSignerRegistration(provider, deployment, verdicts.address, logger);
    const { app, sessions, metrics } = createSmsService({
      verdicts,
      crypto,
      dataSource,
      chain: new DealReader(provider, deployment, { confirmations: config.chain.confirmations }),
      domain: continuumDomain(chainId, deployment.continuum),
      attestation,
      masterKey,
      policy: { maxAttemptsPerTask: config.sms.attestation.maxAttemptsPerTask, ...options.policy },
      logger,
      clock: options.clock,
      rateLimitPerMinute: config.sms.rateLimitPerMinute,
      readiness: [chainReachable(provider), databaseMigrated(dataSource)],
    });
    const server = createHttpServer(app, { limits: config.http, logger });
    const { host, port } = config.sms;
    const address = await listen(
      server,
      host,
      port,
      (cause) => new SmsError("SMS_LISTEN_FAILED", `the SMS cannot listen on ${host}:${port}: ${cause.message}`, { host, port }, { cause }),
    );
    closers.push(() => stopServer(server));
    logger.info({ url: address.url, chainId: chainId.toString(), continuum: deployment.continuum, masterKeyId: masterKey.id }, "sms listening");
    let closing: Promise<void> | undefined;
    return {
      ...address,
      dataSource,
      sessions,
      metrics,
      signer: verdicts.address,
      refreshCollateral: () => attestation.collateral.refreshAll(),
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The verdict signer: sms.signerKey when configured, else the key derived from the master key. */
export function verdictSigner(signerKey: string | undefined, masterKey: MasterKey, domain: TypedDataDomain): VerdictSigner {
  try {
    return new VerdictSigner(signerKey === undefined ? masterKey.signerKey() : `0x${signerKey}`, domain);
  } catch (error) {
    throw new SmsError("SIGNER_KEY_INVALID", "sms.signerKey is not a secp256k1 private key (a scalar between 1 and the curve order).", undefined, { cause: error });
  }
}

/**
 * Verdicts count on-chain only when the contract's smsSigner is this SMS's address. A mismatch is
 * not fatal (governance may register the address after the SMS is up) but is said loudly.
 */
async function reportSignerRegistration(provider: Provider, deployment: Deployment, signer: string, logger: Logger): Promise<void> {
  try {
    const registered = await smsSignerOf(provider, deployment);
    if (registered.toLowerCase() === signer.toLowerCase()) {
      logger.info({ signer }, "the contract accepts this SMS's verdicts");
    } else {
      logger.warn(
        { signer, registered },
        "the contract's smsSigner is not this SMS's signer: results attested by it and failures it blames will not settle until governance calls setSmsSigner",
      );
    }
  } catch (error) {
    logger.warn({ err: error }, "could not read the contract's smsSigner");
  }
}

/** A chain module's refusal with `code`, raised again as the SMS's own configuration error. */
type StartupCode = "DEPLOYMENT_INVALID" | "CHAIN_MISMATCH" | "DEPLOYMENT_NOT_ON_CHAIN" | "DEPLOYMENT_CODE_MISMATCH";

async function asSmsError<T>(work: Promise<T>, codes: readonly StartupCode[]): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isContinuumError(error) && (codes as readonly string[]).includes(error.code)) {
      throw new SmsError(error.code as StartupCode, error.message, error.details, { cause: error });
    }
    throw error;
  }
}

/** Secrets sealed under another master key could never be released: refuse to run rather than fail later. */
async function checkMasterKey(dataSource: DataSource, masterKey: MasterKey): Promise<void> {
  const ids = await new SecretRepository(dataSource).masterKeyIds();
  const foreign = ids.filter((id) => id !== masterKey.id);
  if (foreign.length > 0) {
    throw new SmsError(
      "MASTER_KEY_MISMATCH",
      `the stored secrets were sealed under another master key (id ${foreign.join(", ")}); this key has id ` +
        `${masterKey.id}. Start the SMS with the master key it was first run with.`,
      { stored: foreign, configured: masterKey.id },
    );
  }
}
