import { expect } from "chai";
import { Wallet, getBytes, keccak256, toBeHex } from "ethers";
import { recoverSigner } from "../../../../src/crypto/signatures/recoverSigner.ts";
import { SignerRecoveryPool, type RecoveryRequest } from "../../../../src/crypto/signatures/recoveryPool.ts";

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

describe("SignerRecoveryPool", function () {
  this.timeout(30_000);

  it("answers batches on its threads exactly as recoverSigner does, in request order", async () => {
    const pool = new SignerRecoveryPool({ threads: 2 });
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

  it("still answers after it is closed, on the calling thread", async () => {
    const pool = new SignerRecoveryPool({ threads: 1 });
    const batch = requests(6);
    const early = pool.recoverMany(batch.requests);
    await pool.close();
    expect(await early).to.deep.equal(batch.signers);
    expect(await pool.recoverMany(batch.requests)).to.deep.equal(batch.signers);
  });
});
