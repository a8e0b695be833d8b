import { expect } from "chai";
import { p256 } from "@noble/curves/nist.js";
import {
  AttestationAuthority,
  AttestationError,
  encodeCertificate,
  keyId,
  parseCertificate,
  SimulatedPlatform,
  SimulatedTrustedRoot,
} from "../../../src/attestation/index.ts";
import { toHex } from "../../../src/crypto/hex.ts";
import { NOW, ONE_YEAR_SECONDS } from "./attestationFixture.ts";

const NOW_SECONDS = NOW.getTime() / 1000;

function expectCode(action: () => unknown, code: string): void {
  expect(action).to.throw(AttestationError).with.property("code", code);
}

describe("AttestationAuthority", () => {
  const authority = AttestationAuthority.create({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });

  it("has a self-issued root certificate valid from now for its lifetime", () => {
    const root = authority.rootCertificate;
    expect(root.usage).to.equal("root");
    expect(root.issuerId).to.deep.equal(keyId(root.subjectPublicKey));
    expect([root.notBefore, root.notAfter]).to.deep.equal([NOW_SECONDS, NOW_SECONDS + ONE_YEAR_SECONDS]);
  });

  it("exports its root certificate as the hex a verifier trusts", () => {
    expect(authority.trustedRootHex).to.equal(toHex(encodeCertificate(authority.rootCertificate)));
    expect(() => SimulatedTrustedRoot.fromHex(authority.trustedRootHex)).to.not.throw();
  });

  it("certifies a platform key under its root with a 163-byte certificate", () => {
    const platformPublicKey = p256.getPublicKey(p256.utils.randomSecretKey(), true);
    const certificate = authority.certifyPlatformKey(platformPublicKey, { now: NOW, lifetimeSeconds: 60 });
    expect(certificate).to.include({ usage: "platform", notBefore: NOW_SECONDS, notAfter: NOW_SECONDS + 60 });
    expect(certificate.issuerId).to.deep.equal(keyId(authority.rootCertificate.subjectPublicKey));
    expect(encodeCertificate(certificate)).to.have.length(163);
    expect(parseCertificate(encodeCertificate(certificate))).to.deep.equal(certificate);
  });

  it("gives every certificate a fresh serial", () => {
    const lifetime = { now: NOW, lifetimeSeconds: 60 };
    expect(authority.issuePlatformKey(lifetime).certificate.serial).to.not.deep.equal(
      authority.issuePlatformKey(lifetime).certificate.serial,
    );
  });

  it("refuses to certify something that is not a compressed P-256 key", () => {
    const notAKey = new Uint8Array(33);
    expectCode(
      () => authority.certifyPlatformKey(notAKey, { now: NOW, lifetimeSeconds: 60 }),
      "INVALID_ATTESTATION_INPUT",
    );
  });

  it("refuses a lifetime that is not a positive number of seconds", () => {
    expectCode(() => authority.issuePlatformKey({ now: NOW, lifetimeSeconds: 0 }), "INVALID_ATTESTATION_INPUT");
  });

  it("restores from its exported root key and certificate", () => {
    const restored = AttestationAuthority.restore(authority.exportRootSecretKey(), authority.rootCertificate);
    expect(restored.trustedRootHex).to.equal(authority.trustedRootHex);
  });

  it("refuses to restore from a root key that does not match the certificate", () => {
    expectCode(
      () => AttestationAuthority.restore(p256.utils.randomSecretKey(), authority.rootCertificate),
      "INVALID_ATTESTATION_INPUT",
    );
  });
});

describe("SimulatedTrustedRoot.fromHex", () => {
  const authority = AttestationAuthority.create({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });

  it("refuses text that is not a certificate with INVALID_TRUSTED_ROOT", () => {
    expectCode(() => SimulatedTrustedRoot.fromHex("0x1234"), "INVALID_TRUSTED_ROOT");
    expectCode(() => SimulatedTrustedRoot.fromHex("not hex"), "INVALID_TRUSTED_ROOT");
  });

  it("refuses a platform certificate with INVALID_TRUSTED_ROOT", () => {
    const platformKey = authority.issuePlatformKey({ now: NOW, lifetimeSeconds: 60 });
    const platformCertificateHex = toHex(encodeCertificate(platformKey.certificate));
    expectCode(() => SimulatedTrustedRoot.fromHex(platformCertificateHex), "INVALID_TRUSTED_ROOT");
  });

  it("refuses a root certificate whose self-signature does not verify with INVALID_TRUSTED_ROOT", () => {
    const tampered = { ...authority.rootCertificate, notAfter: authority.rootCertificate.notAfter + 1 };
    expectCode(() => SimulatedTrustedRoot.fromHex(toHex(encodeCertificate(tampered))), "INVALID_TRUSTED_ROOT");
  });
});

describe("SimulatedPlatform", () => {
  const authority = AttestationAuthority.create({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });
  const platformKey = authority.issuePlatformKey({ now: NOW, lifetimeSeconds: ONE_YEAR_SECONDS });

  it("refuses an attestation key that does not match its certificate", () => {
    expectCode(
      () => new SimulatedPlatform({ ...platformKey, secretKey: p256.utils.randomSecretKey() }),
      "INVALID_ATTESTATION_INPUT",
    );
  });

  it("refuses a platform certificate that its root did not issue", () => {
    const otherRoot = AttestationAuthority.create({ now: NOW, lifetimeSeconds: 60 }).rootCertificate;
    expectCode(
      () => new SimulatedPlatform({ ...platformKey, rootCertificate: otherRoot }),
      "INVALID_ATTESTATION_INPUT",
    );
  });

  it("refuses identity fields of the wrong size or range", () => {
    const platform = new SimulatedPlatform(platformKey);
    const request = {
      measurement: new Uint8Array(32),
      signerMeasurement: new Uint8Array(32),
      productId: 1,
      securityVersion: 1,
      debug: false,
      reportData: new Uint8Array(64),
    };
    for (const invalid of [{ measurement: new Uint8Array(31) }, { reportData: "0x00" }, { securityVersion: 0x10000 }]) {
      expectCode(() => platform.createQuote({ ...request, ...invalid }), "INVALID_ATTESTATION_INPUT");
    }
  });
});
