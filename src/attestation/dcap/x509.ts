// @peculiar/x509 as the DCAP modules use it: behind the Reflect metadata polyfill its dependency
// injection (tsyringe) needs loaded first, and pinned to Node's own WebCrypto, so a polyfill
// another library installs on globalThis.crypto (libp2p does) never mixes its keys with Node's.
// Modules import X.509 and CRL classes from here, never from "@peculiar/x509" directly.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { cryptoProvider } from "@peculiar/x509";

cryptoProvider.set(webcrypto as unknown as Parameters<typeof cryptoProvider.set>[0]);

export * from "@peculiar/x509";
