// What every command receives: the parsed global options, the validated configuration (loaded once,
// on first use), the deployment, key file locations, the password, and where output goes.
import { join, resolve } from "node:path";
import type { KeyFileOptions } from "../crypto/index.ts";
import { loadConfig, type Config, type ConfigInput, type Environment } from "../config/index.ts";
import { readDeployment, type CliDeployment } from "./deployment.ts";
import { UsageError } from "./errors.ts";
import { CliOutput, type CliIo } from "./output.ts";
import { PASSWORD_VARIABLE, readPassword } from "./password.ts";

export const KEY_FILE_VARIABLE = "CONTINUUM_KEY_FILE";
export const MARKET_URL_VARIABLE = "CONTINUUM_MARKET_URL";
export const SMS_URL_VARIABLE = "CONTINUUM_SMS_URL";
/** Variables the CLI reads itself; they are not configuration keys, so loadConfig never sees them. */
const CLI_VARIABLES = new Set([PASSWORD_VARIABLE, KEY_FILE_VARIABLE, MARKET_URL_VARIABLE, SMS_URL_VARIABLE]);

export type GlobalOptions = {
  json?: boolean;
  config?: string;
  dataDir?: string;
  rpcUrl?: string;
  keyFile?: string;
  passwordFile?: string;
  marketUrl?: string;
  smsUrl?: string;
  /** log2 of scrypt's N for key files this run creates; lowered only by tests. */
  scryptLogN?: number;
};

export type ContextInputs = { io: CliIo; env: Environment; cwd: string };

export class CliContext {
  readonly output: CliOutput;
  readonly #options: GlobalOptions;
  readonly #env: Environment;
  readonly #cwd: string;
  #config: Config | undefined;

  constructor(options: GlobalOptions, inputs: ContextInputs) {
    this.#options = options;
    this.#env = inputs.env;
    this.#cwd = inputs.cwd;
    this.output = new CliOutput(inputs.io, options.json === true);
  }

  /** The validated configuration: defaults, `--config` file, environment, then flags. */
  get config(): Config {
    this.#config ??= this.#load({});
    return this.#config;
  }

  /** The configuration with a command's own flags on top: each flag overrides its configuration key. */
  configWith(commandOverrides: ConfigInput): Config {
    return this.#load(commandOverrides);
  }

  #load(commandOverrides: ConfigInput): Config {
    return loadConfig({
      env: Object.fromEntries(Object.entries(this.#env).filter(([name]) => !CLI_VARIABLES.has(name))),
      file: this.#options.config,
      cwd: this.#cwd,
      overrides: {
        ...commandOverrides,
        ...(this.#options.dataDir !== undefined ? { dataDir: this.#options.dataDir } : {}),
        ...(this.#options.rpcUrl !== undefined ? { chain: { ...commandOverrides.chain, rpcUrl: this.#options.rpcUrl } } : {}),
      },
    });
  }

  get dataDir(): string {
    return this.config.dataDir;
  }

  deployment(): CliDeployment {
    return readDeployment(this.config.chain.deploymentFile);
  }

  /** `--rpc-url` or CONTINUUM_RPC_URL, else the node `npm start` recorded, else config `chain.rpcUrl`. */
  rpcUrl(deployment: CliDeployment): string {
    const explicit = this.#options.rpcUrl !== undefined || (this.#env.CONTINUUM_RPC_URL ?? "").trim() !== "";
    return explicit ? this.config.chain.rpcUrl : (deployment.rpcUrl ?? this.config.chain.rpcUrl);
  }

  /** The market API's base URL (without /v1): `--market-url`, CONTINUUM_MARKET_URL, else config market.host:port. */
  marketUrl(): string {
    const named = this.#options.marketUrl ?? nonEmpty(this.#env[MARKET_URL_VARIABLE]);
    return serviceUrl(named ?? `http://${this.config.market.host}:${this.config.market.port}`, "market", MARKET_URL_VARIABLE);
  }

  /** The SMS's base URL (without /v1): `--sms-url`, CONTINUUM_SMS_URL (its first URL), else config sms.host:port. */
  smsUrl(): string {
    return this.smsUrls()[0]!;
  }

  /**
   * The SMS replicas' base URLs, in order of preference: `--sms-url` or CONTINUUM_SMS_URL as a
   * comma-separated list, else config sms.host:port. Enclaves fail over along the list.
   */
  smsUrls(): string[] {
    const named = this.#options.smsUrl ?? nonEmpty(this.#env[SMS_URL_VARIABLE]);
    const urls = (named ?? `http://${this.config.sms.host}:${this.config.sms.port}`).split(",").map((url) => url.trim());
    return urls.map((url) => serviceUrl(url, "SMS", SMS_URL_VARIABLE));
  }

  /** The account's key file: `--key-file`, CONTINUUM_KEY_FILE, or `<dataDir>/keys/wallet.json`. */
  walletKeyFile(): string {
    const named = this.#options.keyFile ?? nonEmpty(this.#env[KEY_FILE_VARIABLE]);
    return named !== undefined ? this.resolvePath(named) : join(this.dataDir, "keys", "wallet.json");
  }

  /** A result key file given on the command line, or `<dataDir>/keys/result-key.json`. */
  resultKeyFile(named: string | undefined): string {
    return named !== undefined ? this.resolvePath(named) : join(this.dataDir, "keys", "result-key.json");
  }

  /**
   * The global options a child `continuum` process needs to see what this one sees: the data
   * directory, the configuration file and the SMS URLs (key file and password are the child's own).
   */
  forwardedGlobalArgs(): string[] {
    return [
      "--data-dir",
      this.dataDir,
      ...(this.#options.config === undefined ? [] : ["--config", this.resolvePath(this.#options.config)]),
      "--sms-url",
      this.smsUrls().join(","),
    ];
  }

  password(): Promise<string> {
    return readPassword({
      passwordFile: this.#options.passwordFile === undefined ? undefined : this.resolvePath(this.#options.passwordFile),
      environmentPassword: this.#env[PASSWORD_VARIABLE],
    });
  }

  keyFileOptions(): KeyFileOptions {
    const logN = this.#options.scryptLogN;
    return logN === undefined ? {} : { scryptCost: { N: 2 ** logN, r: 8, p: 1 } };
  }

  resolvePath(path: string): string {
    return resolve(this.#cwd, path);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** A service's base URL, checked to be http(s), without a trailing slash or `/v1`. */
function serviceUrl(url: string, service: string, variable: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new UsageError("INVALID_URL", `The ${service} URL "${url}" is not an http(s) URL (check the option or ${variable})`, {
      url,
    });
  }
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}
