// The matcher's integration fixture: the deployed protocol of protocolFixture, signed book
// orders, funded sending wallets, and a Matcher wired to the real in-process chain.
import { BrowserProvider, Wallet, parseEther, type Eip1193Provider, type Provider, type Signer } from "ethers";
import { Matcher, MatchSender, MatchingBook, continuumMatcherChain, type MatcherOptions } from "../../../src/matcher/index.ts";
import { orderDigest, signOrder, type OrderKind, type OrderOf, type SignedOrder } from "../../../src/wire/eip712/index.ts";
import { connection, loadProtocol, type Fixture } from "../../helpers/protocolFixture.ts";

export { connection, loadProtocol, type Fixture };

/** A plain ethers provider over the in-process chain's EIP-1193 interface (as a wallet app would use). */
export function chainProvider(): BrowserProvider {
  return new BrowserProvider(connection.provider as unknown as Eip1193Provider, undefined, { pollingInterval: 20 });
}

let published = 0;

/** Signs an order and shapes it as the book holds it. */
export async function signed<K extends OrderKind>(f: Fixture, kind: K, order: OrderOf<K>, signer: Signer): Promise<SignedOrder<K>> {
  published += 1;
  return {
    kind, order, hash: orderDigest(kind, f.domain, order), signature: await signOrder(kind, signer, f.domain, order),
    signer: await signer.getAddress(), remaining: (order as { volume: bigint }).volume, publishedAt: published,
  };
}

/** A new wallet with gas money, connected to `provider`. */
export async function fundedWallet(f: Fixture, provider: Provider = chainProvider()): Promise<Wallet> {
  const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
  await (await f.deployer.sendTransaction({ to: wallet.address, value: parseEther("10") })).wait();
  return wallet;
}

export function matcherOn(
  f: Fixture,
  wallet: Wallet,
  book: MatchingBook,
  options: Partial<MatcherOptions> = {},
): { matcher: Matcher; sender: MatchSender } {
  const provider = wallet.provider!;
  const sender = new MatchSender({ wallet, continuum: f.deployment.continuum, receiptPollMs: 20 });
  const chain = continuumMatcherChain(provider, f.deployment.continuum);
  return { matcher: new Matcher({ book, sender, chain, intervalMs: 20, ...options }), sender };
}

/** The DealCreated events of the protocol contract since `fromBlock`. */
export async function dealsCreated(f: Fixture, fromBlock = 0) {
  const events = await f.continuum.queryFilter(f.continuum.filters.DealCreated(), fromBlock);
  return events.map((event) => {
    const args = (event as unknown as { args: { dealId: string; appOrderHash: string; datasetOrderHash: string; workerpoolOrderHash: string; deal: { volume: bigint; workerpool: bigint; appPrice: bigint; requestHash: string } } }).args;
    return {
      dealId: args.dealId, app: args.appOrderHash, dataset: args.datasetOrderHash, workerpool: args.workerpoolOrderHash,
      request: args.deal.requestHash, volume: args.deal.volume, workerpoolId: args.deal.workerpool, appPrice: args.deal.appPrice,
    };
  });
}
