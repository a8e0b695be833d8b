// `continuum dataset`: the data owner's steps before selling access to a dataset: encrypt it (the
// key goes to a password-protected key file), publish the ciphertext to IPFS, register it on-chain;
// then (datasetMarket.ts) push its key to the SMS and publish orders.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import type { Command } from "commander";
import { toHex } from "../../crypto/index.ts";
import { silentLogger } from "../../core/logger.ts";
import { parseAssetId, parseBytes32, parseCidText, parseNonEmptyText } from "../arguments.ts";
import { findEvent, withChain } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { createDatasetKeyFile } from "../datasetKeyFile.ts";
import { encryptDatasetWithProgress, looksEncrypted } from "../datasetEncryption.ts";
import { CliError, UsageError } from "../errors.ts";
import { registerDatasetMarketCommands } from "./datasetMarket.ts";

type EncryptOptions = { in: string; out: string; keyOut?: string };
type RegisterOptions = { name: string; cid: string; checksum: string };

export function registerDatasetCommands(program: Command, kit: CommandKit): void {
  const dataset = withExamples(
    program
      .command("dataset")
      .description("encrypt a dataset, publish it to IPFS, register it and show registered ones"),
    "continuum dataset encrypt --in vitals.csv --out vitals.enc",
    "continuum dataset publish vitals.enc",
    "continuum dataset register --name vitals --cid bafkrei… --checksum 0x…",
    "continuum dataset push-key 1 --dataset-key vitals.enc.key.json",
    "continuum dataset order publish --dataset 1 --price 3 --app 1",
  );

  withExamples(
    dataset
      .command("encrypt")
      .description("encrypt a file with a fresh AES-256-GCM key; the key goes to a password-protected key file")
      .requiredOption("--in <file>", "the plaintext dataset")
      .requiredOption("--out <file>", "where to write the encrypted dataset (replaced if it exists)")
      .option("--key-out <file>", "where to write the dataset key file (default: <out>.key.json; never replaced)"),
    "CONTINUUM_PASSWORD=… continuum dataset encrypt --in vitals.csv --out vitals.enc",
  ).action((options: EncryptOptions, command: Command) => encryptDataset(kit.contextOf(command), options));

  withExamples(
    dataset
      .command("publish")
      .description("add an encrypted dataset to IPFS (embedded node, or IPFS_API_URL) and print its CID")
      .argument("<file>", "the encrypted dataset written by `dataset encrypt`"),
    "continuum dataset publish vitals.enc",
    "IPFS_API_URL=http://127.0.0.1:5001 continuum --json dataset publish vitals.enc",
  ).action((file: string, _options: unknown, command: Command) => publishDataset(kit.contextOf(command), file));

  withExamples(
    dataset
      .command("register")
      .description("register a published dataset on-chain, owned by your account, and print its id")
      .requiredOption("--name <name>", "a human-readable name", parseNonEmptyText)
      .requiredOption("--cid <cid>", "the CID printed by `dataset publish`", parseCidText)
      .requiredOption("--checksum <sha256>", "sha256 of the encrypted file (0x + 64 hex), as printed", parseBytes32),
    "CONTINUUM_PASSWORD=… continuum dataset register --name vitals --cid bafkrei… --checksum 0x3f…",
  ).action((options: RegisterOptions, command: Command) => registerDataset(kit.contextOf(command), options));

  withExamples(
    dataset
      .command("show")
      .description("show a registered dataset: owner, name, CID and checksum")
      .argument("<id>", "dataset id", parseAssetId),
    "continuum dataset show 1",
  ).action((id: bigint, _options: unknown, command: Command) => showDataset(kit.contextOf(command), id));

  registerDatasetMarketCommands(dataset, kit);
}

async function encryptDataset(context: CliContext, options: EncryptOptions): Promise<void> {
  const inPath = context.resolvePath(options.in);
  const outPath = context.resolvePath(options.out);
  const keyPath = context.resolvePath(options.keyOut ?? `${options.out}.key.json`);
  if (inPath === outPath) throw new UsageError("SAME_FILE", "--in and --out must be different files", { path: inPath });
  if (await stat(keyPath).catch(() => undefined)) {
    throw new CliError("KEY_FILE_EXISTS", "A key file already exists there; choose another --key-out or move it", {
      path: keyPath,
    });
  }
  const password = await context.password();
  const report = context.output.progress("encrypting", (await stat(inPath)).size);
  const encrypted = await encryptDatasetWithProgress(inPath, outPath, report);
  try {
    await createDatasetKeyFile(keyPath, password, encrypted.key, encrypted.checksum, context.keyFileOptions());
  } catch (error) {
    // Without its key the ciphertext is useless; do not leave it behind.
    await rm(outPath, { force: true });
    throw error;
  } finally {
    encrypted.key.fill(0);
  }
  const { checksum, size, plaintextSize } = encrypted;
  context.output.result({ encryptedFile: outPath, checksum, size, plaintextSize, keyFile: keyPath }, [
    ["encrypted file", outPath],
    ["checksum", checksum],
    ["size", `${size} bytes`],
    ["key file", keyPath],
  ]);
}

async function publishDataset(context: CliContext, file: string): Promise<void> {
  const path = context.resolvePath(file);
  const size = (await stat(path)).size;
  if (!(await looksEncrypted(path))) {
    throw new CliError(
      "NOT_ENCRYPTED",
      "The file is not an encrypted Continuum dataset; encrypt it with `continuum dataset encrypt` before publishing",
      { path },
    );
  }
  // Loaded here only: the IPFS stack is large and no other command needs it.
  const { openContentStore } = await import("../../storage/index.ts");
  context.output.status("starting the IPFS node ...");
  const store = await openContentStore({
    dataDir: context.dataDir,
    ipfsApiUrl: context.config.ipfs.apiUrl,
    logger: silentLogger(),
  });
  try {
    const hash = createHash("sha256");
    const report = context.output.progress("publishing", size);
    let done = 0;
    const chunks = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        done += chunk.length;
        report(done);
        yield chunk;
      }
    };
    const cid = await store.add(chunks());
    const checksum = toHex(hash.digest());
    const storedBy = store.backend === "helia" ? `embedded IPFS node (${context.dataDir}/ipfs)` : "Kubo node";
    context.output.result({ cid, checksum, size, backend: store.backend, file: path }, [
      ["cid", cid],
      ["checksum", checksum],
      ["size", `${size} bytes`],
      ["stored by", storedBy],
    ]);
  } finally {
    await store.stop();
  }
}

async function registerDataset(context: CliContext, options: RegisterOptions): Promise<void> {
  await withChain(context, { signer: true }, async (chain) => {
    const registry = chain.contracts.datasetRegistry;
    const receipt = await chain.send(`registering dataset "${options.name}"`, () =>
      registry.registerDataset(chain.account, options.name, options.cid, options.checksum),
    );
    const id = String(findEvent(receipt, registry, "DatasetRegistered").dataset);
    context.output.result({ id, owner: chain.account, ...options, transaction: receipt.hash }, [
      ["dataset", id],
      ["owner", chain.account],
      ["name", options.name],
      ["cid", options.cid],
      ["checksum", options.checksum],
      ["transaction", receipt.hash],
    ]);
  });
}

async function showDataset(context: CliContext, id: bigint): Promise<void> {
  await withChain(context, { signer: false }, async (chain) => {
    const registry = chain.contracts.datasetRegistry;
    const exists = (await chain.read(() => registry.exists(id))) as boolean;
    if (!exists) {
      throw new CliError("DATASET_NOT_FOUND", `No dataset with id ${id} is registered`, { id: id.toString() });
    }
    const [owner, [name, cid, checksum]] = await chain.read(() =>
      Promise.all([
        registry.ownerOf(id) as Promise<string>,
        registry.datasetOf(id) as Promise<[string, string, string]>,
      ]),
    );
    context.output.result({ id: id.toString(), owner, name, cid, checksum }, [
      ["dataset", id.toString()],
      ["owner", owner],
      ["name", name],
      ["cid", cid],
      ["checksum", checksum],
    ]);
  });
}
