// Loads compiled contract artifacts (ABI and bytecode) produced by `hardhat build`, the single
// source of ABIs for every off-chain component.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ContinuumError } from "../core/ContinuumError.ts";

export type ContractName =
  | "Continuum"
  | "AppRegistry"
  | "DatasetRegistry"
  | "WorkerpoolRegistry"
  | "DevnetToken";

const SOURCE_OF: Record<ContractName, string> = {
  Continuum: "protocol/Continuum.sol",
  AppRegistry: "registries/AppRegistry.sol",
  DatasetRegistry: "registries/DatasetRegistry.sol",
  WorkerpoolRegistry: "registries/WorkerpoolRegistry.sol",
  DevnetToken: "token/DevnetToken.sol",
};

export type Artifact = { contractName: string; abi: unknown[]; bytecode: string };

const ARTIFACTS_DIR = join(fileURLToPath(new URL("../..", import.meta.url)), "artifacts", "contracts");
const cache = new Map<ContractName, Artifact>();

export function loadArtifact(name: ContractName): Artifact {
  const cached = cache.get(name);
  if (cached) return cached;
  const path = join(ARTIFACTS_DIR, SOURCE_OF[name], `${name}.json`);
  let artifact: Artifact;
  try {
    artifact = JSON.parse(readFileSync(path, "utf8")) as Artifact;
  } catch (cause) {
    throw new ContinuumError(
      "ARTIFACT_MISSING",
      `Compiled contract ${name} not found at ${path}; run \`npx hardhat build\` first.`,
      { name, path },
      { cause },
    );
  }
  cache.set(name, artifact);
  return artifact;
}
