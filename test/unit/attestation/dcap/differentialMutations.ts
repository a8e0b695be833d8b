// The cases of the differential test as fast-check arbitraries: an honest devnet quote and its
// collateral, then one mutation of the quote (byte flips, header, body and QE report fields, with
// or without signing again), of the collateral (TCB info and QE identity fields signed again,
// signatures, CRLs, issuer chains) or of the time of verification.
import fc from "fast-check";
import type { DcapCollateral } from "../../../../src/attestation/dcap/collateral.ts";
import type { DevnetTee } from "../../../../src/attestation/dcap/devnet/collateralDocuments.ts";
import { NOW } from "./devnetFixture.ts";
import {
  honestQuote,
  quoteRegions,
  resignQeReport,
  resignQuote,
  type QuoteRegion,
  type World,
  type WorldPlatform,
} from "./differentialHarness.ts";

const DAY_SECONDS = 86_400;
const YEAR_SECONDS = 365 * DAY_SECONDS;
const TCB_STATUSES = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
  "Revoked",
  "Unrecognized",
] as const;
const QUOTE_REGIONS: readonly QuoteRegion[] = [
  "header",
  "body",
  "signatureDataLength",
  "signature",
  "attestationKey",
  "outerCertificationHeader",
  "qeReport",
  "qeReportSignature",
  "qeAuthDataLength",
  "qeAuthData",
  "pckCertificationHeader",
  "pckChain",
];

/** A case: which platform and enclave, and what is changed before both verifiers judge it. */
export interface DifferentialCase {
  platformIndex: number;
  debug: boolean;
  mutation: Mutation;
}

export type Mutation =
  | { kind: "none" }
  | { kind: "flip"; region: QuoteRegion; position: number; xor: number; resign: boolean }
  | { kind: "field"; target: "header" | "body" | "qeReport"; offset: number; bytes: number[]; resign: boolean }
  | { kind: "length"; cut: number; append: number[] }
  | { kind: "tcbInfo"; edit: JsonEdit; resign: boolean }
  | { kind: "qeIdentity"; edit: JsonEdit; resign: boolean }
  | { kind: "signatureFlip"; field: "tcb_info_signature" | "qe_identity_signature"; position: number; xor: number }
  | { kind: "crl"; change: CrlChange }
  | { kind: "chain"; field: ChainField; change: "dropRoot" | "onlyRoot" | "swap" | "corrupt" | "reverse" }
  | { kind: "otherTee" }
  | { kind: "time"; shiftSeconds: number; collateralShiftSeconds: number };

type ChainField = "tcb_info_issuer_chain" | "qe_identity_issuer_chain" | "pck_crl_issuer_chain";
type CrlChange =
  | { revoke: "leaf" | "platformCa" | "tcbSigner" | "root" | "unrelated"; in: "pck" | "root" }
  | { window: "expired" | "notYetValid"; of: "pck" | "root" }
  | { wrongIssuer: "pck" | "root" }
  | { corrupt: "pck" | "root"; position: number; xor: number }
  | { swap: true };

/** A change to a TCB info or QE identity object, by path; `value` replaces what is there. */
export interface JsonEdit {
  path: (string | number)[];
  value: unknown;
}

/**
 * Mostly platforms whose honest quotes are accepted, so that a mutation decides the verdict; now
 * and then one refused anyway (revoked, unsupported TCB, debug), where both must still refuse.
 */
export function caseArbitrary(world: World): fc.Arbitrary<DifferentialCase> {
  const accepted = world.platforms.flatMap((platform, index) => (isAcceptedPlatform(platform) ? [index] : []));
  return fc.record({
    platformIndex: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...accepted) }, { weight: 1, arbitrary: fc.nat({ max: world.platforms.length - 1 }) }),
    debug: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    mutation: mutationArbitrary(),
  });
}

function isAcceptedPlatform(platform: WorldPlatform): boolean {
  return !["Revoked", "BelowAllLevels"].includes(platform.tcbState) && !platform.name.includes("revoked") && platform.name !== "sgx-ancient-qe";
}

/** Mutations with the weights they are drawn with. */
export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  const position = fc.nat({ max: 1_000_000 }).map((n) => n / 1_000_001);
  const xor = fc.integer({ min: 1, max: 255 });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: "none" }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("flip" as const), region: fc.constantFrom(...QUOTE_REGIONS), position, xor, resign: fc.boolean() }) },
    { weight: 5, arbitrary: fieldMutation() },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("length" as const), cut: fc.nat({ max: 200 }), append: fc.array(fc.nat({ max: 255 }), { maxLength: 8 }) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("tcbInfo" as const), edit: tcbInfoEdit(), resign: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("qeIdentity" as const), edit: qeIdentityEdit(), resign: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("signatureFlip" as const), field: fc.constantFrom("tcb_info_signature" as const, "qe_identity_signature" as const), position, xor }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("crl" as const), change: crlChange() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("chain" as const), field: fc.constantFrom<ChainField>("tcb_info_issuer_chain", "qe_identity_issuer_chain", "pck_crl_issuer_chain"), change: fc.constantFrom("dropRoot" as const, "onlyRoot" as const, "swap" as const, "corrupt" as const, "reverse" as const) }) },
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: "otherTee" }) },
    { weight: 3, arbitrary: timeMutation() },
  );
}

/** Fields of the header, the report body or the QE report set to chosen bytes, at their offsets. */
function fieldMutation(): fc.Arbitrary<Mutation> {
  const bytes = (length: number) => fc.array(fc.nat({ max: 255 }), { minLength: length, maxLength: length });
  const smallLe = (length: number) => fc.nat({ max: 12 }).map((value) => [value, ...new Array<number>(length - 1).fill(0)]);
  const at = (target: "header" | "body" | "qeReport", offset: number, value: fc.Arbitrary<readonly number[]>) =>
    fc.record({ kind: fc.constant("field" as const), target: fc.constant(target), offset: fc.constant(offset), bytes: value.map((b) => [...b]), resign: fc.boolean() });
  return fc.oneof(
    // header: version, key type, TEE type, QE and PCE SVN, vendor ID, user data
    at("header", 0, fc.constantFrom([3, 0], [4, 0], [5, 0], [2, 0], [0xff, 0xff])),
    at("header", 2, fc.constantFrom([2, 0], [3, 0], [0, 0], [1, 0])),
    at("header", 4, fc.constantFrom([0, 0, 0, 0], [0x81, 0, 0, 0], [1, 0, 0, 0])),
    at("header", 8, bytes(4)),
    at("header", 12, bytes(16)),
    at("header", 28, bytes(20)),
    // SGX body: CPUSVN, MISCSELECT, ATTRIBUTES.FLAGS byte 0, XFRM, ISVSVN, report data.
    // TDX body: TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, SEAM attributes, TD attributes, XFAM.
    at("body", 0, fc.oneof(bytes(16), smallLe(16))),
    at("body", 16, bytes(4)),
    at("body", 48, bytes(1)),
    at("body", 56, bytes(8)),
    at("body", 64, bytes(48)),
    at("body", 112, fc.oneof(bytes(8), smallLe(8))),
    at("body", 120, fc.oneof(bytes(8), fc.constantFrom([0, 0, 0, 0x10, 0, 0, 0, 0], [1, 0, 0, 0x10, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0x50, 0, 0, 0, 0x80], [0, 0, 0, 0x30, 0, 0, 0, 0], [0, 1, 0, 0x10, 0, 0, 0, 0]))),
    at("body", 128, bytes(8)),
    at("body", 258, smallLe(2)),
    at("body", 320, bytes(64)),
    // QE report: CPUSVN, MISCSELECT, ATTRIBUTES, MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN, report data
    at("qeReport", 0, bytes(16)),
    at("qeReport", 16, fc.oneof(bytes(4), fc.constant([0, 0, 0, 0]))),
    at("qeReport", 48, fc.oneof(bytes(16), fc.constantFrom([0x15], [0x17], [0x11], [0x13], [0x05]))),
    at("qeReport", 64, bytes(32)),
    at("qeReport", 128, fc.oneof(bytes(32), bytes(1))),
    at("qeReport", 256, fc.constantFrom([1, 0], [2, 0], [0, 0], [3, 0])),
    at("qeReport", 258, smallLe(2)),
    at("qeReport", 320, fc.oneof(bytes(32), bytes(64))),
  );
}

function tcbInfoEdit(): fc.Arbitrary<JsonEdit> {
  const level = fc.nat({ max: 7 });
  const svn = fc.oneof(fc.nat({ max: 6 }), fc.constant(255));
  const date = fc.integer({ min: -40, max: 40 }).map((days) => isoSeconds(NOW.getTime() / 1000 + days * DAY_SECONDS));
  const hex = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((b) => Buffer.from(b).toString("hex").toUpperCase());
  const edit = (path: fc.Arbitrary<(string | number)[]>, value: fc.Arbitrary<unknown>) => fc.record({ path, value });
  return fc.oneof(
    edit(level.map((i) => ["tcbLevels", i, "tcbStatus"]), fc.constantFrom(...TCB_STATUSES)),
    // Intel lists each advisory once per level.
    edit(level.map((i) => ["tcbLevels", i, "advisoryIDs"]), fc.uniqueArray(fc.constantFrom("DEVNET-SA-00001", "DEVNET-SA-00009", "INTEL-SA-00615"), { maxLength: 3 })),
    edit(fc.tuple(level, fc.nat({ max: 15 })).map(([i, j]) => ["tcbLevels", i, "tcb", "sgxtcbcomponents", j, "svn"]), svn),
    edit(fc.tuple(level, fc.nat({ max: 15 })).map(([i, j]) => ["tcbLevels", i, "tcb", "tdxtcbcomponents", j, "svn"]), svn),
    edit(level.map((i) => ["tcbLevels", i, "tcb", "pcesvn"]), fc.nat({ max: 15 })),
    edit(level.map((i) => ["tcbLevels", i]), fc.constant(undefined)),
    edit(fc.constant(["tcbLevels"]), fc.constant("reverse")),
    edit(fc.constant(["fmspc"]), fc.oneof(hex(6), fc.constantFrom("C0DE00000001", "C0DE00000081", "c0de00000001"))),
    edit(fc.constant(["pceId"]), fc.constantFrom("0000", "0100", "FFFF")),
    edit(fc.constant(["id"]), fc.constantFrom("SGX", "TDX", "SEV", undefined)),
    edit(fc.constant(["version"]), fc.constantFrom(2, 3, 4)),
    edit(fc.constant(["tcbType"]), fc.constantFrom(0, 1)),
    edit(fc.constant(["tcbEvaluationDataNumber"]), fc.nat({ max: 20 })),
    edit(fc.constantFrom(["issueDate"], ["nextUpdate"]), date),
    edit(fc.constant(["tdxModule", "mrsigner"]), hex(48)),
    edit(fc.constant(["tdxModule", "attributes"]), fc.constantFrom("0000000000000000", "0100000000000000")),
    edit(fc.constant(["tdxModule", "attributesMask"]), fc.constantFrom("FFFFFFFFFFFFFFFF", "0000000000000000")),
    edit(fc.constant(["tdxModuleIdentities", 0, "id"]), fc.constantFrom("TDX_01", "TDX_02", "TDX_00")),
    edit(fc.constant(["tdxModuleIdentities", 0, "mrsigner"]), hex(48)),
    edit(fc.nat({ max: 1 }).map((i) => ["tdxModuleIdentities", 0, "tcbLevels", i, "tcb", "isvsvn"]), fc.nat({ max: 8 })),
    edit(fc.nat({ max: 1 }).map((i) => ["tdxModuleIdentities", 0, "tcbLevels", i, "tcbStatus"]), fc.constantFrom(...TCB_STATUSES)),
    edit(fc.constant(["tdxModuleIdentities"]), fc.constantFrom(undefined, [])),
  );
}

function qeIdentityEdit(): fc.Arbitrary<JsonEdit> {
  const date = fc.integer({ min: -40, max: 40 }).map((days) => isoSeconds(NOW.getTime() / 1000 + days * DAY_SECONDS));
  const hex = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((b) => Buffer.from(b).toString("hex").toUpperCase());
  const edit = (path: fc.Arbitrary<(string | number)[]>, value: fc.Arbitrary<unknown>) => fc.record({ path, value });
  const level = fc.nat({ max: 1 });
  return fc.oneof(
    edit(fc.constant(["mrsigner"]), hex(32)),
    edit(fc.constant(["isvprodid"]), fc.nat({ max: 3 })),
    edit(fc.constant(["miscselect"]), fc.constantFrom("00000000", "01000000")),
    edit(fc.constant(["miscselectMask"]), fc.constantFrom("FFFFFFFF", "00000000")),
    edit(fc.constant(["attributes"]), fc.constantFrom("11000000000000000000000000000000", "13000000000000000000000000000000", "15000000000000000000000000000000")),
    edit(fc.constant(["attributesMask"]), fc.constantFrom("FBFFFFFFFFFFFFFF0000000000000000", "FFFFFFFFFFFFFFFF0000000000000000", "00000000000000000000000000000000")),
    edit(level.map((i) => ["tcbLevels", i, "tcb", "isvsvn"]), fc.nat({ max: 10 })),
    edit(level.map((i) => ["tcbLevels", i, "tcbStatus"]), fc.constantFrom(...TCB_STATUSES)),
    edit(level.map((i) => ["tcbLevels", i]), fc.constant(undefined)),
    edit(fc.constant(["id"]), fc.constantFrom("QE", "TD_QE", "QVE")),
    edit(fc.constant(["version"]), fc.constantFrom(1, 2, 3)),
    edit(fc.constantFrom(["issueDate"], ["nextUpdate"]), date),
  );
}

function crlChange(): fc.Arbitrary<CrlChange> {
  const which = fc.constantFrom("pck" as const, "root" as const);
  return fc.oneof(
    fc.record({ revoke: fc.constantFrom("leaf" as const, "platformCa" as const, "tcbSigner" as const, "root" as const, "unrelated" as const), in: which }),
    fc.record({ window: fc.constantFrom("expired" as const, "notYetValid" as const), of: which }),
    fc.record({ wrongIssuer: which }),
    fc.record({ corrupt: which, position: fc.nat({ max: 1_000_000 }).map((n) => n / 1_000_001), xor: fc.integer({ min: 1, max: 255 }) }),
    fc.constant({ swap: true as const }),
  );
}

/**
 * Verification time around the boundaries that matter (collateral issued at NOW for 30 days, PCK
 * and CA certificates from ISSUED_AT for 7 and 15 years), optionally with collateral issued then.
 */
function timeMutation(): fc.Arbitrary<Mutation> {
  const issuedAt = -50 * DAY_SECONDS;
  const boundaries = [0, 30 * DAY_SECONDS, issuedAt, issuedAt + 7 * YEAR_SECONDS + 2 * DAY_SECONDS, issuedAt + 15 * YEAR_SECONDS + 4 * DAY_SECONDS];
  const nearBoundary = fc.tuple(fc.constantFrom(...boundaries), fc.integer({ min: -2, max: 2 })).map(([at, delta]) => at + delta);
  return fc.record({
    kind: fc.constant("time" as const),
    shiftSeconds: fc.oneof(nearBoundary, fc.integer({ min: -60 * DAY_SECONDS, max: 16 * YEAR_SECONDS })),
    collateralShiftSeconds: fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.integer({ min: -31 * DAY_SECONDS, max: DAY_SECONDS })),
  });
}

export interface PreparedCase {
  platform: WorldPlatform;
  quote: Uint8Array;
  collateral: DcapCollateral;
  now: Date;
}

/** Builds the quote, collateral and time of a case. */
export async function prepareCase(world: World, testCase: DifferentialCase): Promise<PreparedCase> {
  const platform = world.platforms[testCase.platformIndex]!;
  const quote = honestQuote(world, platform, testCase.debug);
  const base: PreparedCase = { platform, quote, collateral: { ...world.collateral[platform.tee] }, now: NOW };
  const mutation = testCase.mutation;
  switch (mutation.kind) {
    case "none":
      return base;
    case "flip":
      return { ...base, quote: flipInRegion(quote, platform, mutation) };
    case "field":
      return { ...base, quote: setField(quote, platform, mutation) };
    case "length":
      return { ...base, quote: Uint8Array.from([...quote.subarray(0, quote.length - mutation.cut), ...mutation.append]) };
    case "tcbInfo":
    case "qeIdentity":
      return { ...base, collateral: editDocument(world, base.collateral, mutation.kind, mutation.edit, mutation.resign) };
    case "signatureFlip":
      return { ...base, collateral: { ...base.collateral, [mutation.field]: flipHex(base.collateral[mutation.field], mutation.position, mutation.xor) } };
    case "crl":
      return { ...base, collateral: await changeCrl(world, base.collateral, platform, mutation.change) };
    case "chain":
      return { ...base, collateral: changeChain(base.collateral, mutation.field, mutation.change) };
    case "otherTee":
      return { ...base, collateral: world.collateral[otherTee(platform.tee)] };
    case "time":
      return await shiftTime(world, base, mutation.shiftSeconds, mutation.collateralShiftSeconds);
  }
}

function flipInRegion(quote: Uint8Array, platform: WorldPlatform, mutation: Extract<Mutation, { kind: "flip" }>): Uint8Array {
  const [start, end] = quoteRegions(quote)[mutation.region];
  const mutated = quote.slice();
  if (end === start) return mutated;
  mutated[start + Math.floor(mutation.position * (end - start))]! ^= mutation.xor;
  if (mutation.resign && (mutation.region === "header" || mutation.region === "body")) resignQuote(mutated, platform);
  if (mutation.resign && mutation.region === "qeReport") resignQeReport(mutated, platform);
  return mutated;
}

function setField(quote: Uint8Array, platform: WorldPlatform, mutation: Extract<Mutation, { kind: "field" }>): Uint8Array {
  const regions = quoteRegions(quote);
  const [start, end] = regions[mutation.target];
  const mutated = quote.slice();
  const bytes = mutation.bytes.slice(0, Math.max(0, end - start - mutation.offset));
  mutated.set(bytes, start + mutation.offset);
  if (mutation.resign && mutation.target === "qeReport") resignQeReport(mutated, platform);
  if (mutation.resign && mutation.target !== "qeReport") resignQuote(mutated, platform);
  return mutated;
}

function editDocument(world: World, collateral: DcapCollateral, kind: "tcbInfo" | "qeIdentity", edit: JsonEdit, resign: boolean): DcapCollateral {
  const field = kind === "tcbInfo" ? "tcb_info" : "qe_identity";
  const signatureField = kind === "tcbInfo" ? "tcb_info_signature" : "qe_identity_signature";
  const json = JSON.parse(collateral[field]) as Record<string, unknown>;
  applyEdit(json, edit);
  const text = JSON.stringify(json);
  return { ...collateral, [field]: text, [signatureField]: resign ? world.pki.signCollateralDocument(text) : collateral[signatureField] };
}

/** Applies `edit` where its path exists; a missing path leaves the document unchanged. */
export function applyEdit(json: Record<string, unknown>, edit: JsonEdit): void {
  let parent: unknown = json;
  for (const key of edit.path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return;
    parent = (parent as Record<string | number, unknown>)[key];
  }
  const last = edit.path[edit.path.length - 1]!;
  if (typeof parent !== "object" || parent === null) return;
  const container = parent as Record<string | number, unknown>;
  if (Array.isArray(container[last]) && edit.value === "reverse") {
    (container[last] as unknown[]).reverse();
  } else if (Array.isArray(container) && edit.value === undefined) {
    if (typeof last === "number" && last < container.length) container.splice(last, 1);
  } else if (!(last in container)) {
    return;
  } else if (edit.value === undefined) {
    delete container[last];
  } else {
    container[last] = edit.value;
  }
}

async function changeCrl(world: World, collateral: DcapCollateral, platform: WorldPlatform, change: CrlChange): Promise<DcapCollateral> {
  const { pki } = world;
  const current = { thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 30 * DAY_SECONDS * 1000) };
  const revokedPckSerials = world.devnet.platforms().filter((p) => p.pckRevoked).map((p) => p.pckSerialNumber);
  const hex = (der: Uint8Array) => Buffer.from(der).toString("hex");
  if ("swap" in change) return { ...collateral, pck_crl: collateral.root_ca_crl, root_ca_crl: collateral.pck_crl };
  if ("corrupt" in change) {
    const field = change.corrupt === "pck" ? "pck_crl" : "root_ca_crl";
    return { ...collateral, [field]: flipHex(collateral[field], change.position, change.xor) };
  }
  if ("revoke" in change) {
    const serial = {
      leaf: world.devnet.platform(platform.name).pckSerialNumber,
      platformCa: pki.platformCa.certificate.serialNumber,
      tcbSigner: pki.tcbSigning.certificate.serialNumber,
      root: pki.root.certificate.serialNumber,
      unrelated: "0badc0ffee0badc0ffee0badc0ffee0badc0ffee",
    }[change.revoke];
    return change.in === "pck"
      ? { ...collateral, pck_crl: hex(await pki.pckCrl({ ...current, revokedSerials: [...revokedPckSerials, serial] })) }
      : { ...collateral, root_ca_crl: hex(await pki.rootCaCrl({ ...current, revokedSerials: [serial] })) };
  }
  if ("window" in change) {
    const day = DAY_SECONDS * 1000;
    const window =
      change.window === "expired"
        ? { thisUpdate: new Date(NOW.getTime() - 31 * day), nextUpdate: new Date(NOW.getTime() - day) }
        : { thisUpdate: new Date(NOW.getTime() + day), nextUpdate: new Date(NOW.getTime() + 31 * day) };
    return change.of === "pck"
      ? { ...collateral, pck_crl: hex(await pki.pckCrl({ ...window, revokedSerials: revokedPckSerials })) }
      : { ...collateral, root_ca_crl: hex(await pki.rootCaCrl(window)) };
  }
  // Signed by the other CA: a PCK CRL from the root, a root CA CRL from the Platform CA.
  return change.wrongIssuer === "pck"
    ? { ...collateral, pck_crl: hex(await pki.rootCaCrl({ ...current, revokedSerials: revokedPckSerials })) }
    : { ...collateral, root_ca_crl: hex(await pki.pckCrl(current)) };
}

function changeChain(collateral: DcapCollateral, field: ChainField, change: "dropRoot" | "onlyRoot" | "swap" | "corrupt" | "reverse"): DcapCollateral {
  const blocks = collateral[field].match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g) ?? [];
  const chain = {
    dropRoot: () => blocks.slice(0, -1).join(""),
    onlyRoot: () => blocks.slice(-1).join(""),
    reverse: () => [...blocks].reverse().join(""),
    swap: () => (field === "pck_crl_issuer_chain" ? collateral.tcb_info_issuer_chain : collateral.pck_crl_issuer_chain),
    corrupt: () => collateral[field].replace(/(-----BEGIN CERTIFICATE-----\n.{40})(.)/, (_, head: string, char: string) => `${head}${char === "A" ? "B" : "A"}`),
  }[change]();
  return { ...collateral, [field]: chain };
}

async function shiftTime(world: World, base: PreparedCase, shiftSeconds: number, collateralShiftSeconds: number): Promise<PreparedCase> {
  const now = new Date(NOW.getTime() + shiftSeconds * 1000);
  if (Number.isNaN(collateralShiftSeconds)) return { ...base, now };
  // Collateral issued near the verification time, so certificate windows are judged on their own.
  const issued = new Date(now.getTime() + collateralShiftSeconds * 1000);
  const [sgx, tdx] = await world.devnet.collateralSets({ now: issued });
  return { ...base, now, collateral: base.platform.tee === "sgx" ? sgx! : tdx! };
}

function flipHex(text: string, position: number, xor: number): string {
  const bytes = Buffer.from(text, "hex");
  bytes[Math.floor(position * bytes.length)]! ^= xor;
  return bytes.toString("hex");
}

function otherTee(tee: DevnetTee): DevnetTee {
  return tee === "sgx" ? "tdx" : "sgx";
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
