// An order's life from the terminal, the same for all four kinds: sign it and post it to the
// market, take it off the book with a signed Unpublish, or cancel it on-chain for good.
import type { Command } from "commander";
import { orderDigest, signOrder, type OrderKind, type OrderOf } from "../wire/eip712/index.ts";
import { parseBytes32 } from "./arguments.ts";
import { withChain, type ChainSession } from "./chain.ts";
import { withExamples, type CommandKit } from "./commandKit.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { ORDER_CANCEL_FUNCTION, chainTime, domainOf } from "./orderTerms.ts";
import type { ResultRow } from "./output.ts";
import { ServiceClient } from "./serviceClient.ts";

/** How long a signed Unpublish message stays valid: enough for the request to arrive, no more. */
const UNPUBLISH_LIFETIME_SECONDS = 600n;

export type PublishedOrderJson = {
  kind: OrderKind;
  hash: string;
  signer: string;
  remaining: string;
  status: string;
  order: Record<string, string>;
};

export function marketClient(context: CliContext): ServiceClient {
  return new ServiceClient("market", context.marketUrl());
}

/**
 * Builds an order with the signing account (inside one chain session), signs it, posts it to the
 * market and prints it; `rows` describes the order's own terms for people.
 */
export async function publishOrder<K extends OrderKind>(
  context: CliContext,
  kind: K,
  build: (chain: ChainSession, now: bigint) => Promise<OrderOf<K>>,
  rows: (order: OrderOf<K>, chain: ChainSession) => ResultRow[],
): Promise<void> {
  const market = marketClient(context);
  await withChain(context, { signer: true }, async (chain) => {
    await chain.tokenInfo();
    const order = await build(chain, await chainTime(chain));
    const { publishBodyOf } = await import("../wire/marketApi/orderJson.ts");
    const signature = await signOrder(kind, chain.signer, domainOf(chain), order);
    context.output.status(`publishing the ${kind} order to ${market.baseUrl} ...`);
    const path = kind === "request" ? "/requests" : `/orders/${kind}`;
    const published = await market.post<PublishedOrderJson>(path, publishBodyOf(kind, order, signature));
    const expiry = BigInt(published.order.expiry!);
    context.output.result({ ...published, expiresAt: isoTime(expiry) }, [
      [`${kind} order`, published.hash],
      ...rows(order, chain),
      ["volume", published.order.volume!],
      ["expires", isoTime(expiry)],
      ["signer", published.signer],
      ["status", published.status],
    ]);
  });
}

/** Registers `unpublish <hash>` and `cancel <hash>` under an `order` command group of `kind`. */
export function registerOrderRemoval(group: Command, kind: OrderKind, kit: CommandKit, commandPath: string): void {
  withExamples(
    group
      .command("unpublish")
      .description(`take one of your ${kind} orders off the market's book (off-chain; use cancel to void it on-chain)`)
      .argument("<hash>", "the order hash printed by publish", parseBytes32),
    `CONTINUUM_PASSWORD=… continuum ${commandPath} unpublish 0x5d…`,
  ).action((hash: string, _options: unknown, command: Command) => unpublishOrder(kit.contextOf(command), kind, hash));

  withExamples(
    group
      .command("cancel")
      .description(`cancel one of your ${kind} orders on-chain: no deal can ever use it again`)
      .argument("<hash>", "the order hash printed by publish", parseBytes32),
    `CONTINUUM_PASSWORD=… continuum ${commandPath} cancel 0x5d…`,
  ).action((hash: string, _options: unknown, command: Command) => cancelOrder(kit.contextOf(command), kind, hash));
}

async function unpublishOrder(context: CliContext, kind: OrderKind, hash: string): Promise<void> {
  const market = marketClient(context);
  await withChain(context, { signer: true }, async (chain) => {
    const { signUnpublish } = await import("../wire/eip712/unpublish.ts");
    const expiry = (await chainTime(chain)) + UNPUBLISH_LIFETIME_SECONDS;
    const signature = await signUnpublish(chain.signer, domainOf(chain), { orderHash: hash, expiry });
    context.output.status(`unpublishing ${kind} order ${hash} ...`);
    const order = await market.post<PublishedOrderJson & { removedReason: string | null }>(
      `/orders/${kind}/${hash}/unpublish`,
      { expiry: expiry.toString(), signature },
    );
    context.output.result({ kind, hash: order.hash, status: order.status, removedReason: order.removedReason }, [
      [`${kind} order`, order.hash],
      ["status", `${order.status}${order.removedReason ? ` (${order.removedReason})` : ""}`],
    ]);
  });
}

async function cancelOrder(context: CliContext, kind: OrderKind, hash: string): Promise<void> {
  const market = marketClient(context);
  // The contract needs the whole order, which the book keeps, even after it was unpublished.
  const published = await market.get<PublishedOrderJson>(`/orders/${kind}/${hash}`);
  const { orderFromJson } = await import("../wire/marketApi/orderJson.ts");
  const order = orderFromJson(kind, published.order);
  await withChain(context, { signer: true }, async (chain) => {
    const digest = orderDigest(kind, domainOf(chain), order).toLowerCase();
    if (digest !== hash) {
      throw new CliError("ORDER_MISMATCH", `The market returned an order whose hash is ${digest}, not ${hash}; refusing to cancel it`, {
        hash,
        digest,
      });
    }
    const receipt = await chain.send(`cancelling ${kind} order ${hash}`, () =>
      chain.contracts.continuum.getFunction(ORDER_CANCEL_FUNCTION[kind])(order),
    );
    context.output.result({ kind, hash, cancelled: true, transaction: receipt.hash }, [
      [`${kind} order`, hash],
      ["status", "cancelled on-chain"],
      ["transaction", receipt.hash],
    ]);
  });
}

/** Unix seconds as an ISO 8601 UTC time. */
export function isoTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}
