// Reads the SMS audit log as an asset's owner would: a signed, short-lived AuditQuery posted to
// POST /v1/audit of a running devnet's SMS.
import type { Signer } from "ethers";
import type { Devnet } from "../../src/devnet/startDevnet.ts";
import { continuumDomain } from "../../src/wire/eip712/index.ts";
import type { AuditEntryView } from "../../sms/audit/readAudit.ts";
import { SECRET_KIND_NUMBER } from "../../src/wire/smsApi/secretKinds.ts";
import { signAuditQuery } from "../../src/wire/eip712/smsMessages.ts";

export async function readDatasetAudit(devnet: Devnet, owner: Signer, dataset: string): Promise<AuditEntryView[]> {
  const domain = continuumDomain((await devnet.provider.getNetwork()).chainId, devnet.deployment.continuum);
  const reader = await owner.getAddress();
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 600);
  const signature = await signAuditQuery(owner, domain, { reader, kind: SECRET_KIND_NUMBER.dataset, asset: BigInt(dataset), expiry });
  const response = await fetch(`${devnet.endpoints.smsUrl}/v1/audit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: { reader, kind: "dataset", asset: dataset, expiry: expiry.toString() }, signature, limit: 500 }),
  });
  if (response.status !== 200) throw new Error(`the SMS audit answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { entries: AuditEntryView[] }).entries;
}
