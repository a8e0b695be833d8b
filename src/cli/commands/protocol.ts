// `continuum protocol`: the protocol's operator and governance. Deploy it to any EVM JSON-RPC
// chain, show the deployment (its code checked on the chain), manage the compute categories and
// register the SMS's signing address. Changes need the protocol owner's key file.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { parseAddress, parseNonEmptyText, wholeNumberFrom } from "../arguments.ts";
import { findEvent, withChain, type ChainSession } from "../chain.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { CliError } from "../errors.ts";
import { DEFAULT_STAKE_RATIO, deployProtocolFromCli, type ProtocolDeployOptions } from "../protocolDeploy.ts";

export function registerProtocolCommands(program: Command, kit: CommandKit): void {
  const protocol = withExamples(
    program
      .command("protocol")
      .description("deploy the protocol to an EVM chain and govern it: compute categories, the SMS signer"),
    "continuum protocol deploy --rpc-url https://rpc.example.org --token 0x… --sms-signer 0x…",
    "continuum protocol show",
    "continuum protocol category list",
  );

  withExamples(
    protocol
      .command("deploy")
      .description(
        "deploy the registries and the protocol from your account to the chain at --rpc-url, and write " +
          "<data-dir>/deployments/<chain id>.json and the active deployment file (chain.deploymentFile, " +
          "default <data-dir>/deployment.json) with the addresses, the deployment block and the contracts' code hashes",
      )
      .option("--token <address>", "pay in this existing ERC-20 (default: deploy a devnet token owned by your account)", parseAddress)
      .option("--sms-signer <address>", "the SMS's signing address, whose verdicts the contract accepts (later: protocol sms-signer set)", parseAddress)
      .option("--owner <address>", "the protocol owner, who governs it (default: your account)", parseAddress)
      .option("--stake-ratio-bps <n>", `workerpool stake per task in basis points of its price (default ${DEFAULT_STAKE_RATIO})`, stakeRatio)
      .option("--force", "replace deployment files that already exist"),
    "CONTINUUM_PASSWORD=… continuum --rpc-url https://rpc.example.org protocol deploy --token 0xA0b8… --sms-signer 0x9bd6…",
    "CONTINUUM_PASSWORD=… continuum --rpc-url http://127.0.0.1:8545 --data-dir ./anvil protocol deploy",
  ).action(async (options: ProtocolDeployOptions, command: Command) => {
    const context = kit.contextOf(command);
    const { record, files } = await deployProtocolFromCli(context, options);
    context.output.result({ ...record, files }, [
      ["chain id", record.chainId],
      ["rpc url", record.rpcUrl],
      ["deploy block", String(record.deployBlock)],
      ["token", `${record.token} (${record.paymentToken === "devnet" ? "devnet token, owned by the deployer" : "existing ERC-20"})`],
      ["continuum", record.continuum],
      ["app registry", record.appRegistry],
      ["dataset registry", record.datasetRegistry],
      ["workerpool registry", record.workerpoolRegistry],
      ["owner", record.owner],
      ["sms signer", options.smsSigner ?? "none yet: continuum protocol sms-signer set <address>"],
      ["written to", files.join(", ")],
    ]);
  });

  withExamples(
    protocol
      .command("show")
      .description("show the deployment, checked on its chain (chain id and every contract's code), with its owner and SMS signer"),
    "continuum protocol show",
  ).action(async (_options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      const { continuum } = chain.contracts;
      const [owner, smsSigner, categories, token] = await chain.read(() =>
        Promise.all([continuum.owner() as Promise<string>, continuum.smsSigner() as Promise<string>, continuum.categoryCount() as Promise<bigint>, chain.tokenInfo()]),
      );
      const { deployment } = chain;
      context.output.result(
        { ...deployment, rpcUrl: context.rpcUrl(deployment), codeVerified: true, owner, smsSigner, categories: Number(categories), tokenSymbol: token.symbol },
        [
          ["chain id", deployment.chainId],
          ["rpc url", context.rpcUrl(deployment)],
          ["code", "every contract's code matches the deployment"],
          ["token", `${deployment.token} (${token.symbol}, ${token.decimals} decimals)`],
          ["continuum", deployment.continuum],
          ["app registry", deployment.appRegistry],
          ["dataset registry", deployment.datasetRegistry],
          ["workerpool registry", deployment.workerpoolRegistry],
          ["owner", owner],
          ["sms signer", /^0x0{40}$/.test(smsSigner) ? "none" : smsSigner],
          ["categories", String(categories)],
        ],
      );
    });
  });

  registerCategoryCommands(protocol, kit);
  registerSmsSignerCommands(protocol, kit);
}

function registerCategoryCommands(protocol: Command, kit: CommandKit): void {
  const category = withExamples(
    protocol.command("category").description("the compute categories workerpools and requests name (the owner creates them)"),
    'continuum protocol category add --name XL --description "16 vCPU, 64 GiB RAM" --max-run-time 3600',
    "continuum protocol category list",
  );

  withExamples(
    category
      .command("add")
      .description("create a compute category (protocol owner only) and print its id")
      .requiredOption("--name <name>", "short name, e.g. S", parseNonEmptyText)
      .requiredOption("--description <text>", "resources offered, e.g. \"2 vCPU, 4 GiB RAM, no GPU\"", parseNonEmptyText)
      .requiredOption("--max-run-time <seconds>", "longest run of one task, in seconds; deal deadlines derive from it", wholeNumberFrom(1)),
    'CONTINUUM_PASSWORD=… continuum protocol category add --name XL --description "16 vCPU, 64 GiB RAM" --max-run-time 3600',
  ).action(async (options: { name: string; description: string; maxRunTime: number }, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: true }, async (chain) => {
      await requireOwner(chain);
      const { continuum } = chain.contracts;
      const receipt = await chain.send(`creating category ${options.name}`, () =>
        continuum.createCategory(options.name, options.description, BigInt(options.maxRunTime)),
      );
      const id = String(findEvent(receipt, continuum, "CategoryCreated").category);
      context.output.result({ id, ...options, transaction: receipt.hash }, [
        ["category", id],
        ["name", options.name],
        ["description", options.description],
        ["max run time", `${options.maxRunTime} s`],
        ["transaction", receipt.hash],
      ]);
    });
  });

  withExamples(
    category.command("list").description("list every compute category with its id, name, description and longest run"),
    "continuum protocol category list",
    "continuum --json protocol category list",
  ).action(async (_options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      const categories = await readCategories(chain);
      const rows = categories.map((entry) => [`${entry.id}  ${entry.name}`, `${entry.description} (max run ${entry.maxRunTime} s)`] as const);
      context.output.result({ categories }, rows.length > 0 ? rows : [["categories", "none yet: continuum protocol category add"]]);
    });
  });
}

function registerSmsSignerCommands(protocol: Command, kit: CommandKit): void {
  const smsSigner = withExamples(
    protocol
      .command("sms-signer")
      .description("the SMS's signing address: the contract settles TEE results and failures on its verdicts only"),
    "continuum protocol sms-signer show",
    "continuum protocol sms-signer set 0x9bd6F3B86F475775DC7768a4D8Dc24746231263c",
  );

  withExamples(
    smsSigner.command("show").description("show the registered SMS signing address"),
    "continuum protocol sms-signer show",
  ).action(async (_options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: false }, async (chain) => {
      const signer = (await chain.read(() => chain.contracts.continuum.smsSigner())) as string;
      const registered = !/^0x0{40}$/.test(signer);
      context.output.result({ smsSigner: registered ? signer : null }, [["sms signer", registered ? signer : "none"]]);
    });
  });

  withExamples(
    smsSigner
      .command("set")
      .description("register or rotate the SMS signing address (protocol owner only); the SMS logs its address as `signer` when it starts")
      .argument("<address>", "the SMS's signing address", parseAddress),
    "CONTINUUM_PASSWORD=… continuum protocol sms-signer set 0x9bd6F3B86F475775DC7768a4D8Dc24746231263c",
  ).action(async (address: string, _options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    await withChain(context, { signer: true }, async (chain) => {
      await requireOwner(chain);
      const receipt = await chain.send(`registering ${address} as the SMS signer`, () => chain.contracts.continuum.setSmsSigner(address));
      context.output.result({ smsSigner: address, transaction: receipt.hash }, [
        ["sms signer", address],
        ["transaction", receipt.hash],
      ]);
    });
  });
}

export type CategoryRow = { id: string; name: string; description: string; maxRunTime: string };

async function readCategories(chain: ChainSession): Promise<CategoryRow[]> {
  const { continuum } = chain.contracts;
  const count = Number(await chain.read(() => continuum.categoryCount() as Promise<bigint>));
  const ids = Array.from({ length: count }, (_, index) => BigInt(index + 1));
  const records = (await chain.read(() => Promise.all(ids.map((id) => continuum.categoryOf(id))))) as { name: string; description: string; maxRunTime: bigint }[];
  return records.map((record, index) => ({ id: ids[index]!.toString(), name: record.name, description: record.description, maxRunTime: record.maxRunTime.toString() }));
}

/** Governance calls from another account would revert; say who may make them before spending gas. */
async function requireOwner(chain: ChainSession): Promise<void> {
  const owner = (await chain.read(() => chain.contracts.continuum.owner())) as string;
  if (owner.toLowerCase() !== chain.account.toLowerCase()) {
    throw new CliError("NOT_PROTOCOL_OWNER", `Only the protocol owner ${owner} may do this; ${chain.account} is not it`, { owner, account: chain.account });
  }
}

function stakeRatio(value: string): number {
  const ratio = Number(value);
  if (!Number.isInteger(ratio) || ratio < 0 || ratio > 10_000) throw new InvalidArgumentError("must be a whole number of basis points from 0 to 10000");
  return ratio;
}

