// The secp256k1 operations the hot paths need (signer recovery, signing, key agreement, point checks),
// all from libsecp256k1: compiled to WebAssembly (`tiny-secp256k1`), or natively through the
// `secp256k1` package's prebuilt N-API binding when CONTINUUM_SECP256K1=native. Both give the
// same answers: test/unit/crypto/secp256k1/libsecp256k1.test.ts holds them equal to each other
// and to @noble/curves.
// The package's own entry point is not used: it silently falls back to pure JavaScript.
import { createRequire } from "node:module";
import * as wasm from "tiny-secp256k1";

export type Secp256k1Backend = {
  readonly name: "native" | "wasm";
  /** Whether `point` (33 or 65 bytes SEC1) is a point on the curve. */
  isPoint(point: Uint8Array): boolean;
  /** Whether `scalar` (32 bytes) is a valid secret key, in [1, n). */
  isPrivate(scalar: Uint8Array): boolean;
  /** The public key of a valid secret key. */
  pointFromScalar(scalar: Uint8Array, compressed: boolean): Uint8Array;
  /** scalar·point, for a valid point and secret key. */
  pointMultiply(point: Uint8Array, scalar: Uint8Array, compressed: boolean): Uint8Array;
  /** The point in the other SEC1 form. */
  pointCompress(point: Uint8Array, compressed: boolean): Uint8Array;
  /** The 65-byte public key that made the 64-byte r‖s signature of `digest`; throws if none. */
  recover(digest: Uint8Array, signature: Uint8Array, recoveryId: 0 | 1): Uint8Array;
  /** The deterministic (RFC 6979), low-s signature of a 32-byte digest: 64-byte r‖s and its recovery id. */
  sign(digest: Uint8Array, scalar: Uint8Array): { signature: Uint8Array; recoveryId: 0 | 1 };
};

/** The subset of the `secp256k1` package's binding used here. */
type NativeBinding = {
  publicKeyVerify(point: Uint8Array): boolean;
  privateKeyVerify(scalar: Uint8Array): boolean;
  publicKeyCreate(scalar: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyTweakMul(point: Uint8Array, scalar: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyConvert(point: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaRecover(signature: Uint8Array, recoveryId: number, digest: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(digest: Uint8Array, scalar: Uint8Array): { signature: Uint8Array; recid: number };
};

export const wasmBackend: Secp256k1Backend = {
  name: "wasm",
  isPoint: (point) => hasSec1Prefix(point) && wasm.isPoint(point),
  isPrivate: (scalar) => wasm.isPrivate(scalar),
  pointFromScalar: (scalar, compressed) => orThrow(wasm.pointFromScalar(scalar, compressed), "not a valid secret key"),
  pointMultiply: (point, scalar, compressed) => orThrow(wasm.pointMultiply(point, scalar, compressed), "the product is the point at infinity"),
  pointCompress: (point, compressed) => wasm.pointCompress(point, compressed),
  recover: (digest, signature, recoveryId) => orThrow(wasm.recover(digest, signature, recoveryId, false), "no key made this signature"),
  sign: (digest, scalar) => {
    const { signature, recoveryId } = wasm.signRecoverable(digest, scalar);
    return { signature, recoveryId: lowRecoveryId(recoveryId) };
  },
};

function nativeBackend(binding: NativeBinding): Secp256k1Backend {
  return {
    name: "native",
    isPoint: (point) => hasSec1Prefix(point) && binding.publicKeyVerify(point),
    isPrivate: (scalar) => scalar.length === 32 && binding.privateKeyVerify(scalar),
    pointFromScalar: (scalar, compressed) => binding.publicKeyCreate(scalar, compressed),
    pointMultiply: (point, scalar, compressed) => binding.publicKeyTweakMul(point, scalar, compressed),
    pointCompress: (point, compressed) => binding.publicKeyConvert(point, compressed),
    recover: (digest, signature, recoveryId) => binding.ecdsaRecover(signature, recoveryId, digest, false),
    sign: (digest, scalar) => {
      const { signature, recid } = binding.ecdsaSign(digest, scalar);
      return { signature, recoveryId: lowRecoveryId(recid) };
    },
  };
}

/** Ids 2 and 3 (r above the group order) occur with negligible probability; Ethereum signatures cannot carry them. */
function lowRecoveryId(id: number): 0 | 1 {
  if (id !== 0 && id !== 1) throw new Error(`secp256k1: recovery id ${id} cannot be expressed in a 65-byte signature`);
  return id;
}

/** libsecp256k1 also parses the "hybrid" 0x06/0x07 form, which ethers, noble and the contracts do not. */
function hasSec1Prefix(point: Uint8Array): boolean {
  if (point.length === 33) return point[0] === 0x02 || point[0] === 0x03;
  return point.length === 65 && point[0] === 0x04;
}

function orThrow(value: Uint8Array | null, message: string): Uint8Array {
  if (value === null) throw new Error(`secp256k1: ${message}`);
  return value;
}

let native: Secp256k1Backend | null | undefined;

/**
 * The native backend, or undefined where its binding cannot load here. Loaded on first call, so
 * a process (or crypto thread) that runs on WebAssembly never loads the addon.
 */
export function nativeLibsecp256k1(): Secp256k1Backend | undefined {
  if (native === undefined) {
    try {
      native = nativeBackend(createRequire(import.meta.url)("secp256k1/bindings.js") as NativeBinding);
    } catch {
      native = null;
    }
  }
  return native ?? undefined;
}

/**
 * The backend in use: WebAssembly by default; the native binding when CONTINUUM_SECP256K1=native
 * asks for it and it loads here. Native is three to four times faster per operation, but it is
 * not the default yet: the market's order intake is bound by its database, so native recovery
 * lifts ingest by under a tenth while tripling the recovery rate its benchmark compares ingest
 * with (README, Benchmarks).
 */
export const libsecp256k1: Secp256k1Backend =
  process.env.CONTINUUM_SECP256K1 === "native" ? (nativeLibsecp256k1() ?? wasmBackend) : wasmBackend;
