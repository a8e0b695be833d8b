// How the demo's outcome reads on a terminal: the per-ward statistics only the health
// department could decrypt, then the auditor's view.
import type { DemoResult } from "./eHealthDemo.ts";

export function printDemoResult(result: DemoResult, print: (line: string) => void): void {
  print("");
  print(`e-Health demo complete: ${result.readings} readings analysed inside an attested enclave`);
  print(`  app ${result.appId}, dataset ${result.datasetId}, request ${result.requestHash}`);
  print(`  deal ${result.dealId}; decrypted result in ${result.resultDir}`);
  print("");
  print("  ward                readings  anomalous  share");
  for (const ward of result.wards) {
    print(`  ${ward.ward.padEnd(18)} ${String(ward.readings).padStart(9)} ${String(ward.anomalous).padStart(10)}  ${(ward.anomalyShare * 100).toFixed(2)}%`);
  }
  print("");
  print("auditor's view (from the market API, proven by chain events):");
  print(`  deal:       ${JSON.stringify(result.audit.deal)}`);
  print(`  payments:   ${JSON.stringify(result.audit.payments)}`);
  print(`  reputation: ${JSON.stringify(result.audit.reputation)}`);
}
