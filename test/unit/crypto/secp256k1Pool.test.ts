import { expect } from "chai";
import { Wallet, getBytes, keccak256, toBeHex } from "ethers";
import { recoverSigner } from "../../../src/crypto/signatures/recoverSigner.ts";
import { EnclaveCryptoError, agreeWithEnclave, createEnclaveSealer, enclavePublicKeyForms, openAsEnclave } from "../../../src/crypto/enclave/index.ts";
import { Secp256k1Pool, type RecoveryRequest } from "../../../src/crypto/threads/secp256k1Pool.ts";

function requests(count: number): { requests: RecoveryRequest[]; signers: (string | undefined)[] } {
  const list: RecoveryRequest[] = [];
  const signers: (string | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = Wallet.createRandom();
    const digest = getBytes(keccak256(toBeHex(i, 32)));
    const signature = wallet.signingKey.sign(digest).serialized;
    // Every fifth signature is one the contracts refuse (v = 0).
    const bad = i % 5 === 4;
    list.push({ digest, signature: bad ? `${signature.slice(0, 130)}00` : signature });
    signers.push(bad ? undefined : wallet.address);
  }
  return { requests: list, signers };
}

describe("Secp256k1Pool", function () {
  this.timeout(30_000);

  it("answers batches on its threads exactly as recoverSigner does, in request order", async () => {
    const pool = new Secp256k1Pool({ threads: 2 });
    try {
      const batches = [requests(40), requests(1), requests(25)];
      const answers = await Promise.all(batches.map((batch) => pool.recoverMany(batch.requests)));
      answers.forEach((answer, index) => {
        expect(answer).to.deep.equal(batches[index]!.signers);
        expect(answer).to.deep.equal(batches[index]!.requests.map((request) => recoverSigner(request.digest, request.signature)));
      });
      expect(await pool.recoverMany([])).to.deep.equal([]);
    } finally {
      await pool.close();
    }
  });

  it("sends the requests made in one turn as one job per kind, and answers each caller its own", async () => {
    const pool = new Secp256k1Pool({ threads: 1 });
    try {
      const batches = Array.from({ length: 12 }, (_, index) => requests(1 + (index % 3)));
      const enclaves = Array.from({ length: 8 }, () => Wallet.createRandom());
      const recoveries = batches.map((batch) => pool.recoverMany(batch.requests));
      const agreements = enclaves.map((enclave) => pool.agree(enclavePublicKeyForms(enclave.signingKey.publicKey).compressed));
      const bad = pool.agree(new Uint8Array(33)).then(() => "agreed", (error: unknown) => (error as EnclaveCryptoError).code);
      expect(await Promise.all(recoveries)).to.deep.equal(batches.map((batch) => batch.signers));
      for (const [index, agreement] of (await Promise.all(agreements)).entries()) {
        const sealer = createEnclaveSealer(enclaves[index]!.signingKey.publicKey, agreement);
        expect(Buffer.from(openAsEnclave(sealer.seal(Uint8Array.of(index)), enclaves[index]!.privateKey))).to.deep.equal(Buffer.of(index));
      }
      expect(await bad).to.equal("BAD_ENCLAVE_KEY");
      expect(pool.jobsSent).to.equal(2);
      // A later turn makes a job of its own.
      await pool.recoverMany(batches[0]!.requests);
      expect(pool.jobsSent).to.equal(3);
    } finally {
      await pool.close();
    }
  });

  it("still answers after it is closed, on the calling thread", async () => {
    const pool = new Secp256k1Pool({ threads: 1 });
    const batch = requests(6);
    const early = pool.recoverMany(batch.requests);
    await pool.close();
    expect(await early).to.deep.equal(batch.signers);
    expect(await pool.recoverMany(batch.requests)).to.deep.equal(batch.signers);
  });
});

describe("Secp256k1Pool seal agreements", function () {
  this.timeout(30_000);

  it("makes agreements on its thread that seal secrets only the enclave key opens", async () => {
    const pool = new Secp256k1Pool({ threads: 1 });
    try {
      const enclave = Wallet.createRandom();
      const recipient = enclavePublicKeyForms(enclave.signingKey.publicKey).compressed;
      const agreements = await Promise.all([pool.agree(recipient), pool.agree(recipient)]);
      expect(Buffer.from(agreements[0].ephemeralPublicKey).equals(Buffer.from(agreements[1].ephemeralPublicKey))).to.equal(false);
      const sealer = createEnclaveSealer(enclave.signingKey.publicKey, agreements[0]);
      const sealed = sealer.seal(new TextEncoder().encode("dataset key"));
      sealer.dispose();
      expect(new TextDecoder().decode(openAsEnclave(sealed, enclave.privateKey))).to.equal("dataset key");
      expect(() => openAsEnclave(sealed, Wallet.createRandom().privateKey)).to.throw();
    } finally {
      await pool.close();
    }
  });

  it("refuses a recipient that is not a compressed secp256k1 point, as agreeWithEnclave does", async () => {
    const pool = new Secp256k1Pool({ threads: 1 });
    try {
      const error = await pool.agree(new Uint8Array(33)).then(() => undefined, (reason: unknown) => reason);
      expect(error).to.be.instanceOf(EnclaveCryptoError);
      expect((error as EnclaveCryptoError).code).to.equal("BAD_ENCLAVE_KEY");
      expect(() => agreeWithEnclave(new Uint8Array(33))).to.throw(EnclaveCryptoError);
    } finally {
      await pool.close();
    }
  });
});
