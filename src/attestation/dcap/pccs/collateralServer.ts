// Serves DCAP collateral through the routes of Intel's PCS v4 API as a PCCS exposes them, with
// Intel's bodies and issuer-chain headers, from any collateral (the devnet's or recorded sets).
//
//   GET /sgx/certification/v4/tcb?fmspc=        {"tcbInfo":…,"signature":…}  TCB-Info-Issuer-Chain
//   GET /tdx/certification/v4/tcb?fmspc=        same, TDX TCB info
//   GET /sgx/certification/v4/qe/identity        {"enclaveIdentity":…,"signature":…}  SGX-Enclave-Identity-Issuer-Chain
//   GET /tdx/certification/v4/qe/identity        same, TD_QE identity
//   GET /sgx/certification/v4/pckcrl?ca=processor|platform[&encoding=pem|der]  SGX-PCK-CRL-Issuer-Chain
//   GET /sgx/certification/v4/rootcacrl[?encoding=der]   hex text as a PCCS answers; DER on request
import express, { type Request, type Response, type Router } from "express";
import { silentLogger, type Logger } from "../../../core/logger.ts";
import type { CollateralLookup, PckCa, SignedCollateralDocument, TeeKind } from "./CollateralCatalog.ts";
import { PccsError, type PccsErrorCode } from "./PccsError.ts";

export const TCB_INFO_ISSUER_CHAIN_HEADER = "TCB-Info-Issuer-Chain";
export const ENCLAVE_IDENTITY_ISSUER_CHAIN_HEADER = "SGX-Enclave-Identity-Issuer-Chain";
export const PCK_CRL_ISSUER_CHAIN_HEADER = "SGX-PCK-CRL-Issuer-Chain";

export interface CollateralRouterOptions {
  /** The collateral to serve; a function is asked on every request, so the devnet can swap it. */
  collateral: CollateralLookup | (() => CollateralLookup);
  logger?: Logger;
}

const STATUS_BY_CODE: Partial<Record<PccsErrorCode, number>> = { INVALID_REQUEST: 400, COLLATERAL_NOT_FOUND: 404 };
const FMSPC = /^[0-9a-fA-F]{12}$/;

export function createCollateralRouter(options: CollateralRouterOptions): Router {
  const lookup = typeof options.collateral === "function" ? options.collateral : () => options.collateral as CollateralLookup;
  const answer = answerWith(options.logger ?? silentLogger());
  const router = express.Router();
  for (const tee of ["sgx", "tdx"] as const) {
    router.get(`/${tee}/certification/v4/tcb`, answer((req, res) => sendTcbInfo(lookup(), tee, req, res)));
    router.get(`/${tee}/certification/v4/qe/identity`, answer((req, res) => sendQeIdentity(lookup(), tee, req, res)));
  }
  router.get("/sgx/certification/v4/pckcrl", answer((req, res) => sendPckCrl(lookup(), req, res)));
  router.get("/sgx/certification/v4/rootcacrl", answer((req, res) => sendRootCaCrl(lookup(), req, res)));
  return router;
}

function sendTcbInfo(collateral: CollateralLookup, tee: TeeKind, req: Request, res: Response): void {
  const fmspc = singleQuery(req, "fmspc");
  if (fmspc === undefined || !FMSPC.test(fmspc)) refuse("INVALID_REQUEST", "fmspc must be 6 bytes of hex");
  const document = collateral.tcbInfo(tee, fmspc, evaluationRequested(req));
  if (!document) refuse("COLLATERAL_NOT_FOUND", `no ${tee.toUpperCase()} TCB info for FMSPC ${fmspc.toUpperCase()}`);
  sendSignedJson(res, "tcbInfo", document, TCB_INFO_ISSUER_CHAIN_HEADER);
}

function sendQeIdentity(collateral: CollateralLookup, tee: TeeKind, req: Request, res: Response): void {
  const document = collateral.qeIdentity(tee, evaluationRequested(req));
  if (!document) refuse("COLLATERAL_NOT_FOUND", `no ${tee === "sgx" ? "QE" : "TD_QE"} identity`);
  sendSignedJson(res, "enclaveIdentity", document, ENCLAVE_IDENTITY_ISSUER_CHAIN_HEADER);
}

function sendPckCrl(collateral: CollateralLookup, req: Request, res: Response): void {
  const ca = singleQuery(req, "ca")?.toLowerCase();
  if (ca !== "processor" && ca !== "platform") refuse("INVALID_REQUEST", "ca must be processor or platform");
  const entry = collateral.pckCrl(ca satisfies PckCa);
  if (!entry) refuse("COLLATERAL_NOT_FOUND", `no PCK CRL of the ${ca} CA`);
  res.set(PCK_CRL_ISSUER_CHAIN_HEADER, encodeURIComponent(entry.issuerChain));
  sendCrl(res, entry.der, crlEncoding(req, "pem"));
}

function sendRootCaCrl(collateral: CollateralLookup, req: Request, res: Response): void {
  const der = collateral.rootCaCrl();
  if (!der) refuse("COLLATERAL_NOT_FOUND", "no root CA CRL");
  if (crlEncoding(req, "hex") === "der") {
    sendCrl(res, der, "der");
    return;
  }
  res.status(200).type("text/plain").send(Buffer.from(der).toString("hex"));
}

/** The body Intel's PCS sends: the signed object's exact text, then its signature. */
function sendSignedJson(res: Response, key: string, document: SignedCollateralDocument, chainHeader: string): void {
  res
    .status(200)
    .set(chainHeader, encodeURIComponent(document.issuerChain))
    .type("application/json")
    .send(`{"${key}":${document.body},"signature":"${document.signature}"}`);
}

function sendCrl(res: Response, der: Uint8Array, encoding: "pem" | "der"): void {
  if (encoding === "der") {
    res.status(200).type("application/pkix-crl").send(Buffer.from(der));
    return;
  }
  const base64Lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  res
    .status(200)
    .type("application/x-pem-file")
    .send(`-----BEGIN X509 CRL-----\n${base64Lines.join("\n")}\n-----END X509 CRL-----\n`);
}

function crlEncoding<D extends "pem" | "hex">(req: Request, fallback: D): D | "der" {
  const encoding = singleQuery(req, "encoding")?.toLowerCase();
  if (encoding === undefined) return fallback;
  if (encoding === "der" || encoding === fallback) return encoding as D | "der";
  refuse("INVALID_REQUEST", `encoding must be ${fallback} or der`);
}

/** Intel's v4 selectors: `update` (standard or early) or an explicit `tcbEvaluationDataNumber`, not both. */
function evaluationRequested(req: Request): number | undefined {
  const update = singleQuery(req, "update")?.toLowerCase();
  const evaluation = singleQuery(req, "tcbEvaluationDataNumber");
  if (update !== undefined && update !== "standard" && update !== "early") {
    refuse("INVALID_REQUEST", "update must be standard or early");
  }
  if (evaluation === undefined) return undefined;
  if (update !== undefined) refuse("INVALID_REQUEST", "update and tcbEvaluationDataNumber exclude each other");
  if (!/^\d{1,9}$/.test(evaluation)) refuse("INVALID_REQUEST", "tcbEvaluationDataNumber must be a number");
  return Number(evaluation);
}

function singleQuery(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") refuse("INVALID_REQUEST", `${name} must be given once`);
  return value;
}

function refuse(code: PccsErrorCode, message: string): never {
  throw new PccsError(code, message);
}

/** Runs a handler; request mistakes become 4xx with the house error body, anything else a 500. */
function answerWith(logger: Logger) {
  return (handler: (req: Request, res: Response) => void) => (req: Request, res: Response): void => {
    try {
      handler(req, res);
    } catch (error) {
      const status = error instanceof PccsError ? STATUS_BY_CODE[error.code] : undefined;
      if (error instanceof PccsError && status !== undefined) {
        res.status(status).json(error.toJSON());
        return;
      }
      logger.error({ err: error, path: req.path }, "collateral service could not answer");
      res.status(500).json({ error: { code: "INTERNAL", message: "internal error" } });
    }
  };
}
