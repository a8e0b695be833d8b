// @peculiar/x509 as the DCAP modules use it, behind the Reflect metadata polyfill its dependency
// injection (tsyringe) needs loaded first. Its global crypto provider is not ours to rely on (any
// library may set it, and one that installs a WebCrypto polyfill does): code that builds keys or
// signatures passes NODE_WEBCRYPTO explicitly. Modules import X.509 classes from here only.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import type { cryptoProvider } from "@peculiar/x509";

/** Node's own WebCrypto, the one the devnet's keys (KeyObject.toCryptoKey) belong to. */
export const NODE_WEBCRYPTO = webcrypto as unknown as Parameters<typeof cryptoProvider.set>[0];

export * from "@peculiar/x509";
