// Adversarial specification of the SMS: every attack in the catalog is refused with its reason
// code and gets no secret, over real HTTP against the in-process chain and a real database.
import { expect } from "chai";
import { loadProtocol } from "../../helpers/protocolFixture.ts";
import { ATTACKS, runAttack, seedSecrets } from "./attackCatalog.ts";
import { leakedSecrets, startHarness, type Harness } from "./smsHarness.ts";

describe("SMS under attack", function () {
  let h: Harness;

  before(async function () {
    h = await startHarness();
    await seedSecrets(h);
  });

  beforeEach(async () => {
    await loadProtocol();
  });

  after(async () => {
    await h?.close();
  });

  it("has at least twelve distinct attacks", () => {
    expect(new Set(ATTACKS.map((attack) => attack.name)).size).to.equal(ATTACKS.length);
    expect(ATTACKS.length).to.be.at.least(12);
  });

  for (const attack of ATTACKS) {
    it(`refuses ${attack.name} with ${attack.expected.code}`, async () => {
      const { result, asExpected, leaked } = await runAttack(h, attack);
      expect(result.body?.error?.code, result.text).to.equal(attack.expected.code);
      expect(result.status).to.equal(attack.expected.status);
      expect(asExpected).to.equal(true);
      expect(result.body).not.to.have.property("secrets");
      expect(leaked).to.equal(false);
    });
  }

  it("recorded each refused session in the audit log with its reason", async () => {
    const rows: { reason: string }[] = await h.sms.dataSource.query(
      "SELECT reason FROM sms_audit WHERE action = 'session' AND outcome = 'refused'",
    );
    const reasons = new Set(rows.map((row) => row.reason));
    for (const attack of ATTACKS.filter((a) => a.expected.status === 403 && a.expected.code !== "NOT_ASSET_OWNER")) {
      expect(reasons, attack.name).to.include(attack.expected.code);
    }
  });

  it("never wrote a secret value or the master key to its logs", () => {
    expect(h.logs()).to.include("session refused");
    expect(leakedSecrets(h, h.logs())).to.deep.equal([]);
  });
});
