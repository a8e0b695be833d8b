import { expect } from "chai";
import fc from "fast-check";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { libsecp256k1, nativeLibsecp256k1, wasmBackend, type Secp256k1Backend } from "../../../../src/crypto/secp256k1/libsecp256k1.ts";

const ORDER = secp256k1.Point.Fn.ORDER;
const FIELD = secp256k1.Point.Fp.ORDER;
const toBytes32 = (value: bigint) => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"));
const scalars = fc.bigInt({ min: 1n, max: ORDER - 1n }).map(toBytes32);
const digests = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** noble's verdict: whether the bytes parse as a valid SEC1 point. */
function nobleIsPoint(bytes: Uint8Array): boolean {
  try {
    secp256k1.Point.fromBytes(bytes).assertValidity();
    return true;
  } catch {
    return false;
  }
}

const prebuiltPlatforms = ["linux-x64", "darwin-arm64", "win32-x64"];

describe("libsecp256k1 backends", () => {
  it("loads the native binding where a prebuilt one exists, and uses it only when asked", function () {
    if (!prebuiltPlatforms.includes(`${process.platform}-${process.arch}`)) this.skip();
    expect(nativeLibsecp256k1()?.name).to.equal("native");
    expect(libsecp256k1.name).to.equal(process.env.CONTINUUM_SECP256K1 === "native" ? "native" : "wasm");
  });

  const native = nativeLibsecp256k1();
  const backends: Secp256k1Backend[] = [wasmBackend, ...(native ? [native] : [])];
  for (const backend of backends) {
    describe(`${backend.name}`, () => {
      it("derives public keys, multiplies points and converts forms as noble does", () => {
        fc.assert(
          fc.property(scalars, scalars, fc.boolean(), (a, b, compressed) => {
            const point = backend.pointFromScalar(a, compressed);
            expect(bytesToHex(point)).to.equal(bytesToHex(secp256k1.getPublicKey(a, compressed)));
            expect(bytesToHex(backend.pointMultiply(point, b, true))).to.equal(bytesToHex(secp256k1.getSharedSecret(b, point, true)));
            expect(bytesToHex(backend.pointCompress(point, !compressed))).to.equal(bytesToHex(secp256k1.getPublicKey(a, !compressed)));
          }),
          { numRuns: 100 },
        );
      });

      it("recovers the signing key of any signature, as noble does", () => {
        fc.assert(
          fc.property(scalars, digests, (key, digest) => {
            const signature = secp256k1.sign(digest, key, { prehash: false, format: "recovered" });
            const recovered = backend.recover(digest, signature.subarray(1), signature[0] as 0 | 1);
            expect(bytesToHex(recovered)).to.equal(bytesToHex(secp256k1.getPublicKey(key, false)));
          }),
          { numRuns: 100 },
        );
      });

      it("signs any digest exactly as noble does (RFC 6979, low s), with the recovery id ethers encodes", () => {
        fc.assert(
          fc.property(scalars, digests, (key, digest) => {
            const expected = secp256k1.sign(digest, key, { prehash: false, format: "recovered" });
            const { signature, recoveryId } = backend.sign(digest, key);
            expect(bytesToHex(signature)).to.equal(bytesToHex(expected.subarray(1)));
            expect(recoveryId).to.equal(expected[0]);
          }),
          { numRuns: 100 },
        );
      });

      it("refuses a recovery whose r is not below the order or not a curve x coordinate", () => {
        const digest = new Uint8Array(32).fill(1);
        const s = toBytes32(5n);
        expect(() => backend.recover(digest, Uint8Array.from([...toBytes32(ORDER), ...s]), 0)).to.throw();
        // 5 is not the x coordinate of any point on secp256k1 (5³ + 7 = 132 is not a square mod p).
        expect(nobleIsPoint(Uint8Array.from([0x02, ...toBytes32(5n)]))).to.equal(false);
        expect(() => backend.recover(digest, Uint8Array.from([...toBytes32(5n), ...s]), 0)).to.throw();
      });

      it("judges points as noble does: random bytes, off-curve x, x ≥ p, hybrid and wrong prefixes", () => {
        const candidates = fc.oneof(
          fc.uint8Array({ minLength: 33, maxLength: 33 }).map((bytes) => Uint8Array.from([0x02 + (bytes[0] & 1), ...bytes.subarray(1)])),
          fc.uint8Array({ minLength: 65, maxLength: 65 }).map((bytes) => Uint8Array.from([0x04, ...bytes.subarray(1)])),
          scalars.map((key) => secp256k1.getPublicKey(key, false)),
          scalars.map((key) => secp256k1.getPublicKey(key, true)),
          // The hybrid form libsecp256k1 itself would accept: prefix 0x06/0x07 with the y parity.
          scalars.map((key) => {
            const point = secp256k1.getPublicKey(key, false);
            return Uint8Array.from([0x06 + (point[64] & 1), ...point.subarray(1)]);
          }),
          fc.uint8Array({ minLength: 0, maxLength: 70 }),
        );
        fc.assert(
          fc.property(candidates, (bytes) => {
            expect(backend.isPoint(bytes)).to.equal(nobleIsPoint(bytes));
          }),
          { numRuns: 400 },
        );
        expect(backend.isPoint(Uint8Array.from([0x02, ...toBytes32(FIELD + 1n)]))).to.equal(false);
      });

      it("accepts secret keys exactly in [1, n)", () => {
        for (const [value, valid] of [[0n, false], [1n, true], [ORDER - 1n, true], [ORDER, false], [2n ** 256n - 1n, false]] as const) {
          expect(backend.isPrivate(toBytes32(value)), value.toString(16)).to.equal(valid);
        }
        expect(backend.isPrivate(new Uint8Array(31).fill(1))).to.equal(false);
      });
    });
  }
});
