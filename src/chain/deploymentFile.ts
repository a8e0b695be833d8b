// Reads the protocol deployment a service works against (written by `npm start` or a deploy
// script) and checks its shape before any address in it is trusted.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ContinuumError } from "../core/ContinuumError.ts";
import type { Deployment } from "./deployProtocol.ts";
import { DEPLOYED_CONTRACTS, type DeployedContract } from "./deploymentCode.ts";

const contractAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, { error: "must be an address" });
const codeHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, { error: "must be a 32-byte hash" });

/** The runtime code hash of every contract, as `continuum protocol deploy` and the devnet record them. */
export const codeHashesSchema = z.object(
  Object.fromEntries(DEPLOYED_CONTRACTS.map((name) => [name, codeHash])) as Record<DeployedContract, typeof codeHash>,
  { error: "is missing: redeploy with `continuum protocol deploy` (or restart the devnet), which records the contracts' code hashes" },
);

const deploymentSchema = z.looseObject({
  chainId: z.union([z.string().regex(/^[1-9][0-9]*$/), z.number().int().positive()]).transform(String),
  deployBlock: z.number().int().min(0),
  token: contractAddress,
  continuum: contractAddress,
  appRegistry: contractAddress,
  datasetRegistry: contractAddress,
  workerpoolRegistry: contractAddress,
  codeHashes: codeHashesSchema,
});

/** Fails with code DEPLOYMENT_INVALID when the file is missing, not JSON or misshapen. */
export async function readDeploymentFile(path: string): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw invalid(`cannot read the deployment file ${path}; start the devnet or deploy first`, path, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`the deployment file ${path} is not JSON`, path, error);
  }
  const result = deploymentSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw invalid(`the deployment file ${path} is invalid: ${problems}`, path);
  }
  const { chainId, deployBlock, token, continuum, appRegistry, datasetRegistry, workerpoolRegistry, codeHashes } = result.data;
  return { chainId, deployBlock, token, continuum, appRegistry, datasetRegistry, workerpoolRegistry, codeHashes };
}

function invalid(message: string, path: string, cause?: unknown): ContinuumError {
  return new ContinuumError("DEPLOYMENT_INVALID", message, { path }, cause === undefined ? undefined : { cause });
}
