// The data owner's commands after registration: push the dataset key to the SMS (signed by the
// owner, EIP-712 SecretPush) and publish / unpublish / cancel dataset orders with restrictions.
import { hexlify } from "ethers";
import { InvalidArgumentError, type Command } from "commander";
import { ZERO_ADDRESS, type DatasetOrder } from "../../wire/eip712/index.ts";
import { parseAddress, parseAmountText, parseAssetId } from "../arguments.ts";
import { withChain } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { loadDatasetKeyFile } from "../datasetKeyFile.ts";
import { CliError } from "../errors.ts";
import { publishOrder, registerOrderRemoval } from "../orderLifecycle.ts";
import { describeRestriction, formatTag } from "../orderRows.ts";
import { domainOf, freshSalt, withCommonTerms } from "../orderTerms.ts";
import { ServiceClient } from "../serviceClient.ts";

/** How long the signed push stays valid: long enough to arrive, too short to be replayed later. */
const PUSH_LIFETIME_SECONDS = 600;

type PushKeyOptions = { datasetKey: string; secretVersion: number };
type OrderOptions = {
  dataset: bigint;
  price?: string;
  volume: bigint;
  tag: string;
  expiresIn: bigint;
  app?: bigint;
  workerpool?: bigint;
  requester?: string;
};

export function registerDatasetMarketCommands(dataset: Command, kit: CommandKit): void {
  withExamples(
    dataset
      .command("push-key")
      .description("push a dataset's key to the SMS, signed by you as the dataset's owner; only attested enclaves get it")
      .argument("<datasetId>", "the registered dataset's id", parseAssetId)
      .requiredOption("--dataset-key <file>", "the dataset key file written by `dataset encrypt` (<out>.key.json)")
      .option("--secret-version <n>", "1 for the first push; the current version + 1 to replace the key", parseSecretVersion, 1),
    "CONTINUUM_PASSWORD=… continuum dataset push-key 1 --dataset-key vitals.enc.key.json",
    "continuum --sms-url http://127.0.0.1:8090 dataset push-key 1 --dataset-key vitals.enc.key.json --secret-version 2",
  ).action((id: bigint, options: PushKeyOptions, command: Command) => pushDatasetKey(kit.contextOf(command), id, options));

  const order = withExamples(
    dataset.command("order").description("publish, unpublish and cancel your dataset's orders"),
    "continuum dataset order publish --dataset 1 --price 3 --app 1",
    "continuum dataset order cancel 0x5d…",
  );
  withExamples(
    withCommonTerms(
      order
        .command("publish")
        .description("sign an offer of your dataset and post it to the market, restricted as you choose")
        .requiredOption("--dataset <id>", "your dataset's id", parseAssetId)
        .option("--price <tokens>", "price per task, in tokens (default 0)", parseAmountText),
    )
      .option("--app <id>", "allow only this app (e.g. an approved analytics app)", parseAssetId)
      .option("--workerpool <id>", "allow only this workerpool", parseAssetId)
      .option("--requester <address>", "allow only this requester", parseAddress),
    "CONTINUUM_PASSWORD=… continuum dataset order publish --dataset 1 --price 3 --app 1 --volume 50",
  ).action((options: OrderOptions, command: Command) =>
    publishOrder(
      kit.contextOf(command),
      "dataset",
      async (chain, now): Promise<DatasetOrder> => ({
        dataset: options.dataset,
        price: options.price === undefined ? 0n : await chain.parseAmount(options.price),
        volume: options.volume,
        tag: options.tag,
        appRestrict: options.app ?? 0n,
        workerpoolRestrict: options.workerpool ?? 0n,
        requesterRestrict: options.requester ?? ZERO_ADDRESS,
        assetEpoch: await chain.assetEpoch("dataset", options.dataset),
        salt: freshSalt(),
        expiry: now + options.expiresIn,
      }),
      (signed, chain) => [
        ["dataset", signed.dataset.toString()],
        ["price", chain.formatAmount(signed.price)],
        ["tag", formatTag(signed.tag)],
        ["apps", describeRestriction(signed.appRestrict, "app")],
        ["workerpools", describeRestriction(signed.workerpoolRestrict, "workerpool")],
        ["requesters", signed.requesterRestrict === ZERO_ADDRESS ? "any" : signed.requesterRestrict],
      ],
    ),
  );
  registerOrderRemoval(order, "dataset", kit, "dataset order");
}

function parseSecretVersion(value: string): number {
  const version = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidArgumentError("must be a whole number from 1");
  }
  return version;
}

async function pushDatasetKey(context: CliContext, id: bigint, options: PushKeyOptions): Promise<void> {
  const sms = new ServiceClient("SMS", context.smsUrl());
  const keyPath = context.resolvePath(options.datasetKey);
  await withChain(context, { signer: true }, async (chain) => {
    const registry = chain.contracts.datasetRegistry;
    if (!((await chain.read(() => registry.exists(id))) as boolean)) {
      throw new CliError("DATASET_NOT_FOUND", `No dataset with id ${id} is registered`, { id: id.toString() });
    }
    const [owner, [, , checksum]] = await chain.read(() =>
      Promise.all([registry.ownerOf(id) as Promise<string>, registry.datasetOf(id) as Promise<[string, string, string]>]),
    );
    if (owner !== chain.account) {
      throw new CliError("NOT_DATASET_OWNER", `Dataset ${id} is owned by ${owner}; only its owner may push its key (you are ${chain.account})`, {
        owner,
        account: chain.account,
      });
    }
    const { key, checksum: keyChecksum } = await loadDatasetKeyFile(keyPath, await context.password());
    try {
      if (keyChecksum !== checksum.toLowerCase()) {
        throw new CliError(
          "KEY_DATASET_MISMATCH",
          `The key file is for the ciphertext with checksum ${keyChecksum}, but dataset ${id} is registered with ${checksum}`,
          { path: keyPath, keyChecksum, datasetChecksum: checksum },
        );
      }
      const { SECRET_KIND_NUMBER } = await import("../../wire/smsApi/secretKinds.ts");
      const { secretHashOf, signSecretPush } = await import("../../wire/eip712/smsMessages.ts");
      const expiry = BigInt(Math.floor(Date.now() / 1000) + PUSH_LIFETIME_SECONDS);
      const push = { kind: "dataset", asset: id.toString(), owner: chain.account, name: "", version: options.secretVersion, expiry: expiry.toString() };
      const signature = await signSecretPush(chain.signer, domainOf(chain), {
        kind: SECRET_KIND_NUMBER.dataset,
        asset: id,
        owner: chain.account,
        name: "",
        secretHash: secretHashOf(key),
        version: BigInt(options.secretVersion),
        expiry,
      });
      context.output.status(`pushing the key of dataset ${id} to the SMS at ${sms.baseUrl} ...`);
      const answer = await sms.post<{ secret: Record<string, unknown> }>("/secrets", { push, value: hexlify(key), signature });
      context.output.result({ dataset: id.toString(), owner: chain.account, version: options.secretVersion, secret: answer.secret }, [
        ["dataset", id.toString()],
        ["key stored", `version ${options.secretVersion} in the SMS at ${sms.baseUrl}`],
        ["owner", chain.account],
      ]);
    } finally {
      key.fill(0);
    }
  });
}
