// A simulated platform's attestation key with the chain a verifier needs (see AttestationAuthority).
import type { Certificate } from "./certificate.ts";

/** A platform's attestation key with the chain a verifier needs: platform certificate, then root. */
export interface PlatformAttestationKey {
  secretKey: Uint8Array;
  certificate: Certificate;
  rootCertificate: Certificate;
}
