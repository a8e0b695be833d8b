// Checks a ledger against the chain it was built from: every escrow account, the escrow total,
// every workerpool's reputation, every order's consumed volume and every asset's owner.
import { expect } from "chai";
import { MaxUint256 } from "ethers";
import type { DataSource } from "typeorm";
import { Ledger } from "../../../../src/persistence/ledger/index.ts";
import type { Fixture } from "../../../helpers/protocolFixture.ts";

export async function expectLedgerMatchesChain(db: DataSource, f: Fixture): Promise<void> {
  const ledger = new Ledger(db);
  const accounts = await ledger.escrowAccounts();
  const signers = await f.ethers.getSigners();
  const addresses = new Set([...signers.map((signer) => signer.address), ...accounts.map((account) => account.address)]);
  for (const address of addresses) {
    const stored = await ledger.escrowAccount(address);
    expect(BigInt(stored?.balance ?? 0), `balance of ${address}`).to.equal(await f.continuum.balanceOf(address));
    expect(BigInt(stored?.locked ?? 0), `locked of ${address}`).to.equal(await f.continuum.lockedOf(address));
  }
  const total = accounts.reduce((sum, account) => sum + BigInt(account.balance) + BigInt(account.locked), 0n);
  expect(total, "escrow total").to.equal(await f.token.balanceOf(f.deployment.continuum));

  const poolCount = Number(await f.pools.count());
  for (let pool = 1; pool <= poolCount; pool++) {
    const reputation = await ledger.reputation(String(pool));
    const [completed, failed, score] = await f.continuum.reputationOf(pool);
    expect(reputation, `reputation of workerpool ${pool}`).to.include({
      completed: completed.toString(),
      failed: failed.toString(),
      score: score.toString(),
    });
  }

  const states: { order_hash: string; consumed: string; cancelled: boolean }[] = await db.query(
    `SELECT order_hash, consumed::text, cancelled FROM ledger_order_state`,
  );
  for (const state of states) {
    const expected = state.cancelled ? MaxUint256 : BigInt(state.consumed);
    expect(await f.continuum.consumed(state.order_hash), `consumed of ${state.order_hash}`).to.equal(expected);
  }

  const assets: { kind: string; asset_id: string; owner: string }[] = await db.query(
    `SELECT kind, asset_id::text, owner FROM ledger_asset`,
  );
  const registries = { app: f.apps, dataset: f.datasets, workerpool: f.pools } as Record<string, typeof f.apps>;
  for (const registry of ["app", "dataset", "workerpool"]) {
    const count = Number(await registries[registry].count());
    expect(assets.filter((asset) => asset.kind === registry), `${registry} count`).to.have.length(count);
  }
  for (const asset of assets) {
    expect(await registries[asset.kind].ownerOf(asset.asset_id), `owner of ${asset.kind} ${asset.asset_id}`).to.equal(asset.owner);
  }
}
