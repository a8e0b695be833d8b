import { expect } from "chai";
import fc from "fast-check";
import { SigningKey, TypedDataEncoder, Wallet, computeAddress, getBytes, hexlify, keccak256, recoverAddress, toBeHex, type TypedDataDomain } from "ethers";
import { recoverSigner } from "../../../../src/crypto/signatures/recoverSigner.ts";
import { authorizationCheck } from "../../../../sms/sessions/signerRecovery.ts";
import { AUTHORIZATION_TYPES } from "../../../../src/wire/eip712/types.ts";

const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function sign(privateKey: Uint8Array, digest: Uint8Array): string {
  return new SigningKey(hexlify(privateKey)).sign(digest).serialized;
}

/** The same signature with s replaced by n − s and v flipped: valid math, refused by the contracts. */
function highSTwin(signature: string): string {
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130), 16);
  return `${signature.slice(0, 66)}${toBeHex(ORDER - s, 32).slice(2)}${(v === 27 ? 28 : 27).toString(16)}`;
}

const privateKeys = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((bytes) => {
  const k = BigInt(hexlify(bytes));
  return k > 0n && k < ORDER;
});
const digests = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe("recoverSigner", () => {
  it("names the same signer as ethers.recoverAddress for any key and digest", () => {
    fc.assert(
      fc.property(privateKeys, digests, (key, digest) => {
        const signature = sign(key, digest);
        const signer = recoverSigner(digest, signature);
        expect(signer).to.equal(recoverAddress(digest, signature));
        expect(signer).to.equal(computeAddress(hexlify(key)));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses the high-s twin of every signature, as ECDSA.tryRecover does", () => {
    fc.assert(
      fc.property(privateKeys, digests, (key, digest) => {
        expect(recoverSigner(digest, highSTwin(sign(key, digest)))).to.equal(undefined);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses v other than 27 or 28, zero r or s, an r off the curve, and malformed input", () => {
    const wallet = Wallet.createRandom();
    const digest = getBytes(keccak256("0x1234"));
    const signature = wallet.signingKey.sign(digest).serialized;
    const body = signature.slice(0, 130);
    expect(recoverSigner(digest, signature)).to.equal(wallet.address);
    for (const v of ["00", "01", "1d", "ff"]) expect(recoverSigner(digest, `${body}${v}`), `v ${v}`).to.equal(undefined);
    const zero = "0".repeat(64);
    expect(recoverSigner(digest, `0x${zero}${signature.slice(66)}`)).to.equal(undefined);
    expect(recoverSigner(digest, `${signature.slice(0, 66)}${zero}${signature.slice(130)}`)).to.equal(undefined);
    // x = 5 is not the x coordinate of any point on secp256k1.
    expect(recoverSigner(digest, `0x${toBeHex(5n, 32).slice(2)}${signature.slice(66)}`)).to.equal(undefined);
    expect(recoverSigner(digest, signature.slice(0, 128))).to.equal(undefined);
    expect(recoverSigner(digest, `${signature}00`)).to.equal(undefined);
    expect(recoverSigner(digest, signature.replace(/^0x/, "0X"))).to.equal(undefined);
    expect(recoverSigner(digest.subarray(1), signature)).to.equal(undefined);
  });

  it("never returns the signer for a different digest", () => {
    fc.assert(
      fc.property(privateKeys, digests, digests, (key, digest, other) => {
        fc.pre(hexlify(digest) !== hexlify(other));
        expect(recoverSigner(other, sign(key, digest))).to.not.equal(computeAddress(hexlify(key)));
      }),
      { numRuns: 50 },
    );
  });
});

describe("authorizationCheck", () => {
  const domain: TypedDataDomain = { name: "Continuum", version: "1", chainId: 31337n, verifyingContract: Wallet.createRandom().address };
  const check = authorizationCheck(domain);

  it("digests an authorization exactly as EIP-712 does and names its signer", async () => {
    const owner = Wallet.createRandom();
    const message = { worker: Wallet.createRandom().address, taskId: keccak256("0x01"), enclave: Wallet.createRandom().address };
    expect(hexlify(check.digest(message))).to.equal(TypedDataEncoder.hash(domain, AUTHORIZATION_TYPES, message));
    const signature = await owner.signTypedData(domain, AUTHORIZATION_TYPES, message);
    expect(await check.signer(message, signature)).to.equal(owner.address);
    expect(await check.signer({ ...message, enclave: Wallet.createRandom().address }, signature)).to.not.equal(owner.address);
  });
});
