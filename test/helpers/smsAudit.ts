// Reads the SMS audit log as an asset's owner would: a signed, short-lived AuditQuery posted to
// POST /v1/audit of a running devnet's SMS, every page of it.
import type { Signer } from "ethers";
import type { Devnet } from "../../src/devnet/startDevnet.ts";
import { continuumDomain } from "../../src/wire/eip712/index.ts";
import type { AuditEntryView, AuditPage } from "../../sms/audit/readAudit.ts";
import { SECRET_KIND_NUMBER } from "../../src/wire/smsApi/secretKinds.ts";
import { signAuditQuery } from "../../src/wire/eip712/smsMessages.ts";

export async function readDatasetAudit(devnet: Devnet, owner: Signer, dataset: string): Promise<AuditEntryView[]> {
  const domain = continuumDomain((await devnet.provider.getNetwork()).chainId, devnet.deployment.continuum);
  const reader = await owner.getAddress();
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 600);
  const signature = await signAuditQuery(owner, domain, { reader, kind: SECRET_KIND_NUMBER.dataset, asset: BigInt(dataset), expiry });
  const body = JSON.stringify({ query: { reader, kind: "dataset", asset: dataset, expiry: expiry.toString() }, signature });
  const entries: AuditEntryView[] = [];
  let cursor: string | null = null;
  do {
    const page = `limit=500${cursor === null ? "" : `&cursor=${cursor}`}`;
    const response = await fetch(`${devnet.endpoints.smsUrl}/v1/audit?${page}`, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (response.status !== 200) throw new Error(`the SMS audit answered ${response.status}: ${await response.text()}`);
    const answer = (await response.json()) as AuditPage;
    entries.push(...answer.items);
    cursor = answer.nextCursor;
  } while (cursor !== null);
  return entries;
}
