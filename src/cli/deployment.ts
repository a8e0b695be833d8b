// Reads the deployment a CLI command talks to (contract addresses, chain id and, from `npm start`,
// the node's RPC URL) from `deployment.json`, refusing a missing or malformed file with a fix.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { codeHashesSchema } from "../chain/deploymentFile.ts";
import { CliError } from "./errors.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, { error: "must be a 0x-prefixed 20-byte address" });

const deploymentSchema = z.object({
  rpcUrl: z.string().optional(),
  chainId: z.string().regex(/^\d+$/, { error: "must be a decimal chain id" }),
  deployBlock: z.number().int().nonnegative().optional(),
  token: address,
  continuum: address,
  appRegistry: address,
  datasetRegistry: address,
  workerpoolRegistry: address,
  codeHashes: codeHashesSchema,
});

export type CliDeployment = z.infer<typeof deploymentSchema>;

export function readDeployment(path: string): CliDeployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new CliError(
      missing ? "DEPLOYMENT_NOT_FOUND" : "DEPLOYMENT_UNREADABLE",
      missing
        ? `No deployment file at ${path}: start the devnet with \`npm start\` (it writes one there), ` +
            `or point --data-dir or --config at an existing deployment`
        : `Cannot read the deployment file ${path}`,
      { path },
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliError("DEPLOYMENT_INVALID", `The deployment file ${path} is not valid JSON`, { path }, { cause });
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`);
    throw new CliError("DEPLOYMENT_INVALID", `The deployment file ${path} is malformed: ${fields.join("; ")}`, {
      path,
      fields,
    });
  }
  return parsed.data;
}
