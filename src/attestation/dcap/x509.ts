// @peculiar/x509 behind the Reflect metadata polyfill its dependency injection (tsyringe) needs
// before it loads; the DCAP modules import X.509 and CRL classes from here.
import "reflect-metadata";

export { X509Certificate, X509Crl } from "@peculiar/x509";
