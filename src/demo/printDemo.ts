// How the demo's outcome reads on a terminal: the per-ward statistics only the health department
// could decrypt, then the auditor's view as a short summary in the token's unit, each party named
// by its demo role, with links to the explorer's pages of the deal and the workerpool.
import { Wallet } from "ethers";
import { formatTokenAmount, tokenQuantity, type TokenUnit } from "../core/tokenAmount.ts";
import { devnetPrivateKey } from "../devnet/devnetKeys.ts";
import type { PaymentKind, PaymentRecord } from "../wire/marketApi/auditRecords.ts";
import type { DemoResult } from "./eHealthDemo.ts";
import { DEMO_ROLE_NAMES, DEMO_ROLES } from "./roleCli.ts";

const PAYMENT_LABELS: Readonly<Record<PaymentKind, string>> = {
  deposit: "deposited",
  withdraw: "withdrawn",
  lock: "payment locked",
  stake_lock: "stake locked",
  payout_app: "app paid",
  payout_dataset: "dataset paid",
  payout_workerpool: "workerpool paid",
  stake_release: "stake released",
  refund: "refunded",
  slash: "stake slashed",
};

export function printDemoResult(result: DemoResult, print: (line: string) => void): void {
  print("");
  print(`e-Health demo complete: ${result.readings.toLocaleString("en")} readings analysed inside an attested enclave`);
  print(`  app ${result.appId}, dataset ${result.datasetId}, request ${result.requestHash}`);
  print(`  deal ${result.dealId}`);
  print(`  result decrypted into ${result.resultDir}`);
  const { attestation } = result;
  const passed = attestation.checks.filter((check) => check.outcome === "passed").length;
  const platform = [attestation.teeType, attestation.status].filter((part) => part !== undefined).join(" ");
  print(`  attestation ${attestation.verified ? "verified" : "NOT verified"}: ${platform}, ${passed} of ${attestation.checks.length} checks passed`);
  print("");
  print("  ward                readings  anomalous  share");
  for (const ward of result.wards) {
    print(`  ${ward.ward.padEnd(18)} ${String(ward.readings).padStart(9)} ${String(ward.anomalous).padStart(10)}  ${(ward.anomalyShare * 100).toFixed(2)}%`);
  }
  print("");
  for (const line of auditorsView(result)) print(line);
}

/** The auditor's view: the deal, what it cost, who was paid, and the workerpool's reputation. */
export function auditorsView(result: DemoResult): string[] {
  const { deal, payments, reputation } = result.audit;
  const amount = (raw: string | bigint) => formatTokenAmount(raw, result.token);
  const name = partyNames();
  const perTask = BigInt(deal.appPrice) + BigInt(deal.datasetPrice) + BigInt(deal.workerpoolPrice);
  const counts = deal.taskCounts;
  return [
    "auditor's view (from the market's API; every record is proven by a chain event):",
    ...labelled("deal", [deal.dealId, `${deal.status}: ${counts.completed} of ${counts.total} tasks done`, `${result.explorerUrl}/deals/${deal.dealId}`]),
    ...labelled("requester", [name(deal.requester)]),
    ...labelled("price", [
      `${amount(perTask)} per task: app ${amount(deal.appPrice)} + dataset ${amount(deal.datasetPrice)} + workerpool ${amount(deal.workerpoolPrice)}; stake ${amount(deal.stakePerTask)}`,
    ]),
    ...labelled("payments", paymentLines(payments, result.token, name)),
    ...labelled("reputation", [
      `workerpool ${reputation.workerpool}: ${reputation.completed} completed, ${reputation.failed} failed, score ${percent(reputation.score)}`,
      `${result.explorerUrl}/workerpools/${reputation.workerpool}`,
    ]),
  ];
}

/** One aligned line per escrow movement: what, how much, between whom. */
function paymentLines(payments: readonly PaymentRecord[], token: TokenUnit, name: (address: string) => string): string[] {
  const quantities = payments.map((payment) => tokenQuantity(payment.amount, token.decimals));
  const labelWidth = Math.max(...payments.map((payment) => PAYMENT_LABELS[payment.kind].length));
  const amountWidth = Math.max(...quantities.map((quantity) => quantity.length));
  return payments.map((payment, i) => {
    const parties = payment.from === payment.to || payment.to === null ? name(payment.from ?? "") : payment.from === null ? name(payment.to) : `${name(payment.from)} → ${name(payment.to)}`;
    return `${PAYMENT_LABELS[payment.kind].padEnd(labelWidth)}  ${quantities[i]!.padStart(amountWidth)} ${token.symbol}   ${parties}`;
  });
}

/** Names an address by its demo role ("health department (#4)"), or shortens it. */
function partyNames(): (address: string) => string {
  const roles = new Map(
    (Object.entries(DEMO_ROLES) as [keyof typeof DEMO_ROLES, number][]).map(([role, index]) => [
      new Wallet(devnetPrivateKey(index)).address.toLowerCase(),
      `${DEMO_ROLE_NAMES[role]} (#${index})`,
    ]),
  );
  return (address) => roles.get(address.toLowerCase()) ?? `${address.slice(0, 10)}…${address.slice(-4)}`;
}

/** "label      first line" then the other lines under the first. */
function labelled(label: string, lines: readonly string[]): string[] {
  return lines.map((line, i) => `  ${(i === 0 ? label : "").padEnd(12)} ${line}`);
}

/** Basis points as a percentage: 8000 -> "80.00 %". */
function percent(basisPoints: string): string {
  const value = BigInt(basisPoints);
  return `${value / 100n}.${(value % 100n).toString().padStart(2, "0")} %`;
}
