// Runs the adversarial catalog against a live SMS and counts what matters: attacks tried, those
// answered with their expected refusal, and any that got a secret back or saw one in an answer.
import { loadProtocol } from "../../../test/helpers/protocolFixture.ts";
import { ATTACKS, runAttack, seedSecrets, type Attack } from "../../../test/integration/sms/attackCatalog.ts";
import { leakedSecrets, type Harness } from "../../../test/integration/sms/smsHarness.ts";

export type AttackSuiteResult = {
  attacksTried: number;
  refusedAsExpected: number;
  secretsLeaked: number;
  /** Secret forms found in the SMS's log output after the run; empty when none leaked. */
  secretsInLogs: number;
  distinctRefusalCodes: string[];
  unexpected: { name: string; expected: string; got: string }[];
};

/** Each attack starts from the fixture's snapshot, as in the tests; `attacks` defaults to the whole catalog. */
export async function runAttackSuite(h: Harness, attacks: readonly Attack[] = ATTACKS): Promise<AttackSuiteResult> {
  await seedSecrets(h);
  let refusedAsExpected = 0;
  let secretsLeaked = 0;
  const unexpected: AttackSuiteResult["unexpected"] = [];
  for (const attack of attacks) {
    await loadProtocol();
    const outcome = await runAttack(h, attack);
    if (outcome.asExpected) refusedAsExpected++;
    else unexpected.push({ name: attack.name, expected: attack.expected.code, got: `${outcome.result.status} ${outcome.result.body?.error?.code ?? ""}` });
    if (outcome.leaked) secretsLeaked++;
  }
  return {
    attacksTried: attacks.length,
    refusedAsExpected,
    secretsLeaked,
    secretsInLogs: leakedSecrets(h, h.logs()).length,
    distinctRefusalCodes: [...new Set(attacks.map((attack) => attack.expected.code))].sort(),
    unexpected,
  };
}
