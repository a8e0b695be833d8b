// `continuum app`: the app developer's steps: pack a directory into a canonical bundle (checksum
// and enclave measurement), publish it to IPFS, register it on-chain, or all three with `deploy`;
// show a registered app; publish, unpublish and cancel app orders.
import { readFile, stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { PackedBundle } from "../../apps/index.ts";
import { ZERO_ADDRESS, type AppOrder } from "../../wire/eip712/index.ts";
import { parseAddress, parseAmountText, parseAssetId, parseBytes32, parseCidText, parseNonEmptyText } from "../arguments.ts";
import { findEvent, withChain } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { storedByLabel, withContentStore } from "../contentAccess.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { publishOrder, registerOrderRemoval } from "../orderLifecycle.ts";
import { describeRestriction, formatTag } from "../orderRows.ts";
import { freshSalt, withCommonTerms } from "../orderTerms.ts";
import type { ResultRow } from "../output.ts";
import { profileForApp } from "../apps/appProfile.ts";
import { registerAppDevelopCommands } from "./appDevelop.ts";

type PackOptions = { runtimeProfile?: string; vendorFrom?: string[] };

const VENDOR_HELP =
  "first fill vendor/ from requirements.txt (name==version --hash=sha256:…) with the wheels or sdists in these folders; no network, hashes verified";
const PROFILE_HELP =
  "measure for a workerpool's runtime: a JSON file holding its scheduler's GET /v1/info answer or a runtime profile (default: this machine's configured runtime)";

type RegisterOptions = { name: string; cid: string; checksum: string; measurement: string };
type Registered = { id: string; owner: string; transaction: string };
type OrderOptions = {
  app: bigint;
  price?: string;
  volume: bigint;
  tag: string;
  expiresIn: bigint;
  dataset?: bigint;
  workerpool?: bigint;
  requester?: string;
};

export function registerAppCommands(program: Command, kit: CommandKit): void {
  const app = withExamples(
    program.command("app").description("bundle, publish, register and sell an app (as its developer)"),
    "continuum app deploy examples/apps/ward-stats",
    "continuum app bundle examples/apps/ward-stats -o ward-stats.bundle",
    "continuum app order publish --app 1 --price 1 --volume 100",
    "continuum app init my-analysis --runtime python",
    "continuum app run examples/apps/ward-stats --input data --output out",
  );

  withExamples(
    app
      .command("bundle")
      .description("pack an app directory (with continuum.json) into its canonical bundle; print checksum and measurement")
      .argument("<dir>", "the app directory")
      .option("-o, --out <file>", "where to write the bundle (default: <name>.bundle in the current directory)")
      .option("--runtime-profile <file>", PROFILE_HELP)
      .option("--vendor-from <dirs...>", VENDOR_HELP),
    "continuum app bundle examples/apps/ward-stats -o ward-stats.bundle",
    "continuum app bundle examples/apps/ward-stats --runtime-profile pool-runtimes.json",
    "continuum app bundle my-analysis --vendor-from ~/wheelhouse",
  ).action(async (dir: string, options: PackOptions & { out?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const bundle = await packApp(context, dir, options);
    const out = context.resolvePath(options.out ?? `${bundle.manifest.name}.bundle`);
    await writeFile(out, bundle.bytes);
    context.output.result({ ...bundleSummary(bundle), file: out }, [...bundleRows(bundle), ["file", out]]);
  });

  withExamples(
    app
      .command("publish")
      .description("add an app bundle to IPFS (embedded node, or IPFS_API_URL) and print its CID")
      .argument("<dir|bundle>", "an app directory (packed first) or a bundle written by `app bundle`")
      .option("--runtime-profile <file>", PROFILE_HELP),
    "continuum app publish examples/apps/ward-stats",
    "continuum --json app publish ward-stats.bundle",
  ).action(async (source: string, options: { runtimeProfile?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const bundle = await loadBundle(context, source, { runtimeProfile: options.runtimeProfile });
    const { cid, storedBy } = await publishBundle(context, bundle);
    context.output.result({ cid, ...bundleSummary(bundle) }, [["cid", cid], ...bundleRows(bundle), ["stored by", storedBy]]);
  });

  withExamples(
    app
      .command("register")
      .description("register a published app on-chain (CID, checksum, measurement), owned by your account")
      .requiredOption("--name <name>", "a human-readable name", parseNonEmptyText)
      .requiredOption("--cid <cid>", "the bundle's CID, printed by `app publish`", parseCidText)
      .requiredOption("--checksum <sha256>", "sha256 of the bundle, as printed", parseBytes32)
      .requiredOption("--measurement <sha256>", "the enclave measurement, as printed", parseBytes32),
    "CONTINUUM_PASSWORD=… continuum app register --name ward-stats --cid bafkrei… --checksum 0x… --measurement 0x…",
  ).action(async (options: RegisterOptions, command: Command) => {
    const context = kit.contextOf(command);
    const registered = await registerApp(context, options);
    context.output.result({ ...registered, ...options }, [
      ["app", registered.id],
      ["owner", registered.owner],
      ["name", options.name],
      ["cid", options.cid],
      ["checksum", options.checksum],
      ["measurement", options.measurement],
      ["transaction", registered.transaction],
    ]);
  });

  withExamples(
    app
      .command("deploy")
      .description("bundle, publish and register an app directory in one step")
      .argument("<dir>", "the app directory")
      .option("--name <name>", "the registered name (default: the manifest's name)", parseNonEmptyText)
      .option("--runtime-profile <file>", PROFILE_HELP)
      .option("--vendor-from <dirs...>", VENDOR_HELP),
    "CONTINUUM_PASSWORD=… continuum app deploy examples/apps/ward-stats",
  ).action(async (dir: string, options: PackOptions & { name?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const bundle = await packApp(context, dir, options);
    const { cid } = await publishBundle(context, bundle);
    const name = options.name ?? bundle.manifest.name;
    const registered = await registerApp(context, { name, cid, checksum: bundle.checksum, measurement: bundle.measurement });
    context.output.result({ ...registered, name, cid, ...bundleSummary(bundle) }, [
      ["app", registered.id],
      ["owner", registered.owner],
      ["cid", cid],
      ...bundleRows(bundle),
      ["transaction", registered.transaction],
    ]);
  });

  withExamples(
    app.command("show").description("show a registered app: owner, name, CID, checksum, measurement").argument("<id>", "app id", parseAssetId),
    "continuum app show 1",
  ).action(async (id: bigint, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      const registry = chain.contracts.appRegistry;
      if (!((await chain.read(() => registry.exists(id))) as boolean)) {
        throw new CliError("APP_NOT_FOUND", `No app with id ${id} is registered`, { id: id.toString() });
      }
      const [owner, record] = await chain.read(() =>
        Promise.all([registry.ownerOf(id) as Promise<string>, registry.appOf(id) as Promise<[string, string, string, string]>]),
      );
      const [name, cid, checksum, measurement] = record;
      context.output.result({ id: id.toString(), owner, name, cid, checksum, measurement }, [
        ["app", id.toString()],
        ["owner", owner],
        ["name", name],
        ["cid", cid],
        ["checksum", checksum],
        ["measurement", measurement],
      ]);
    });
  });

  registerAppDevelopCommands(app, kit);
  registerAppOrderCommands(app, kit);
}

function registerAppOrderCommands(app: Command, kit: CommandKit): void {
  const order = withExamples(
    app.command("order").description("publish, unpublish and cancel your app's orders"),
    "continuum app order publish --app 1 --price 1 --volume 100",
    "continuum app order unpublish 0x5d…",
  );
  withExamples(
    withCommonTerms(
      order
        .command("publish")
        .description("sign an offer to run your app and post it to the market")
        .requiredOption("--app <id>", "your app's id", parseAssetId)
        .option("--price <tokens>", "price per task, in tokens (default 0)", parseAmountText),
    )
      .option("--dataset <id>", "allow only this dataset", parseAssetId)
      .option("--workerpool <id>", "allow only this workerpool", parseAssetId)
      .option("--requester <address>", "allow only this requester", parseAddress),
    "CONTINUUM_PASSWORD=… continuum app order publish --app 1 --price 1 --volume 100",
  ).action((options: OrderOptions, command: Command) =>
    publishOrder(
      kit.contextOf(command),
      "app",
      async (chain, now): Promise<AppOrder> => ({
        app: options.app,
        price: options.price === undefined ? 0n : await chain.parseAmount(options.price),
        volume: options.volume,
        tag: options.tag,
        datasetRestrict: options.dataset ?? 0n,
        workerpoolRestrict: options.workerpool ?? 0n,
        requesterRestrict: options.requester ?? ZERO_ADDRESS,
        assetEpoch: await chain.assetEpoch("app", options.app),
        salt: freshSalt(),
        expiry: now + options.expiresIn,
      }),
      (signed, chain) => [
        ["app", signed.app.toString()],
        ["price", chain.formatAmount(signed.price)],
        ["tag", formatTag(signed.tag)],
        ["datasets", describeRestriction(signed.datasetRestrict, "dataset")],
        ["workerpools", describeRestriction(signed.workerpoolRestrict, "workerpool")],
        ["requesters", signed.requesterRestrict === ZERO_ADDRESS ? "any" : signed.requesterRestrict],
      ],
    ),
  );
  registerOrderRemoval(order, "app", kit, "app order");
}

async function packApp(context: CliContext, dir: string, options: PackOptions): Promise<PackedBundle> {
  const path = context.resolvePath(dir);
  if (!(await stat(path)).isDirectory()) {
    throw new CliError("NOT_A_DIRECTORY", "An app is packed from a directory holding continuum.json", { path });
  }
  const { packBundle, readManifest, vendorRequirements } = await import("../../apps/index.ts");
  if (options.vendorFrom !== undefined) {
    const vendored = await vendorRequirements(path, options.vendorFrom.map((source) => context.resolvePath(source)));
    for (const entry of vendored) context.output.status(`vendored ${entry.name}==${entry.version} (${entry.files} files, sha256 ${entry.sha256} verified)`);
  }
  const profile = await profileForApp(context, await readManifest(path), options.runtimeProfile);
  context.output.status(`packing ${path} ...`);
  return packBundle(path, { profile });
}

/** A directory is packed; a file must be a valid bundle (archive, manifest, entrypoint). */
async function loadBundle(context: CliContext, source: string, options: PackOptions): Promise<PackedBundle> {
  const path = context.resolvePath(source);
  if ((await stat(path)).isDirectory()) return packApp(context, path, options);
  const bytes = new Uint8Array(await readFile(path));
  const { measurePacked, readBundle } = await import("../../apps/index.ts");
  return measurePacked(bytes, await profileForApp(context, readBundle(bytes).manifest, options.runtimeProfile));
}

async function publishBundle(context: CliContext, bundle: PackedBundle): Promise<{ cid: string; storedBy: string }> {
  return withContentStore(context, async (store) => {
    const report = context.output.progress("publishing", bundle.bytes.length);
    const cid = await store.add(bundle.bytes);
    report(bundle.bytes.length);
    return { cid, storedBy: storedByLabel(context, store.backend) };
  });
}

async function registerApp(context: CliContext, options: RegisterOptions): Promise<Registered> {
  return withChain(context, { signer: true }, async (chain) => {
    const registry = chain.contracts.appRegistry;
    const receipt = await chain.send(`registering app "${options.name}"`, () =>
      registry.registerApp(chain.account, options.name, options.cid, options.checksum, options.measurement),
    );
    const id = String(findEvent(receipt, registry, "AppRegistered").app);
    return { id, owner: chain.account, transaction: receipt.hash };
  });
}

function bundleSummary(bundle: PackedBundle) {
  const { name, version, runtime } = bundle.manifest;
  const { profileDigest, document } = bundle.measured;
  return {
    appName: name,
    version,
    runtime,
    checksum: bundle.checksum,
    measurement: bundle.measurement,
    ...(document === undefined ? {} : { runtimeProfile: profileDigest, measuredInput: document }),
    size: bundle.bytes.length,
  };
}

function bundleRows(bundle: PackedBundle): ResultRow[] {
  return [
    ["app name", `${bundle.manifest.name} ${bundle.manifest.version}`],
    ["runtime", bundle.manifest.runtime],
    ["checksum", bundle.checksum],
    ["measurement", bundle.measurement],
    ...(bundle.measured.profileDigest === undefined ? [] : [["runtime profile", bundle.measured.profileDigest] as ResultRow]),
    ["size", `${bundle.bytes.length} bytes`],
  ];
}

