// The one rule for what a request's params may ask of the SMS and the scheduler, shared by the
// market's intake, the SMS's sessions and the scheduler's deal intake.
import { expect } from "chai";
import fc from "fast-check";
import { MAX_REQUESTER_SECRETS, paramsWithPriority, PRIORITY_CLASSES, readRequestParams } from "../../../src/wire/requestParams.ts";
import { SECRET_NAME } from "../../../src/wire/smsApi/secretKinds.ts";

describe("readRequestParams", function () {
  it("reads no secrets from free-form params, or from JSON without requesterSecrets", function () {
    for (const params of ["", "--window 24h", "[1,2]", "null", '{"window":"24h"}']) {
      expect(readRequestParams(params)).to.deep.equal({ ok: true, requesterSecrets: [], priority: "normal" });
    }
  });

  it("reads the distinct requester secret names in their order", function () {
    expect(readRequestParams(JSON.stringify({ requesterSecrets: ["b", "a", "b"] }))).to.deep.equal({ ok: true, requesterSecrets: ["b", "a"], priority: "normal" });
  });

  it("refuses NUL anywhere, a non-array, too many names, and any name that is not a secret name", function () {
    expect(readRequestParams("x\u0000").ok).to.equal(false);
    expect(readRequestParams(JSON.stringify({ requesterSecrets: "a" })).ok).to.equal(false);
    expect(readRequestParams(JSON.stringify({ requesterSecrets: Array.from({ length: MAX_REQUESTER_SECRETS + 1 }, (_, i) => `n${i}`) })).ok).to.equal(false);
    expect(readRequestParams(JSON.stringify({ requesterSecrets: [7] })).ok).to.equal(false);
  });

  it("reads the priority class beside the secrets, and refuses a class that is not urgent, normal or batch", function () {
    for (const priority of PRIORITY_CLASSES) {
      expect(readRequestParams(JSON.stringify({ priority, requesterSecrets: ["k"] }))).to.deep.equal({ ok: true, requesterSecrets: ["k"], priority });
    }
    for (const priority of ["URGENT", "high", 0, null, ["urgent"]]) {
      const read = readRequestParams(JSON.stringify({ priority }));
      expect(read).to.deep.equal({ ok: false, problem: "params.priority must be one of urgent, normal, batch" });
    }
  });

  it("writes a priority class into empty or JSON-object params, and into nothing else", function () {
    expect(paramsWithPriority("", "urgent")).to.equal('{"priority":"urgent"}');
    const params = paramsWithPriority('{"thresholds":{"spo2":{"min":91}},"priority":"batch"}', "urgent")!;
    expect(readRequestParams(params)).to.deep.equal({ ok: true, requesterSecrets: [], priority: "urgent" });
    expect(JSON.parse(params).thresholds).to.deep.equal({ spo2: { min: 91 } });
    for (const other of ["--window 24h", "[1]", "null"]) expect(paramsWithPriority(other, "urgent")).to.equal(undefined);
  });

  it("accepts exactly the names SECRET_NAME accepts, for any string", function () {
    fc.assert(
      fc.property(fc.string({ maxLength: 70, unit: "binary" }), (name) => {
        const read = readRequestParams(JSON.stringify({ requesterSecrets: [name] }));
        expect(read.ok).to.equal(SECRET_NAME.test(name));
      }),
      { numRuns: 500 },
    );
  });
});
