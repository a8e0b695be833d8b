// @peculiar/x509 with the Reflect metadata polyfill its dependency injection (tsyringe) needs
// loaded first; modules import X.509 classes from here, never from "@peculiar/x509" directly.
import "reflect-metadata";

export * from "@peculiar/x509";
