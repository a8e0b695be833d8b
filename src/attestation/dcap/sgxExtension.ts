// Reads Intel's SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate: the platform's
// FMSPC, PCE-ID, PPID and the TCB it was certified at (16 CPU SVN components, PCESVN, CPUSVN).
import { DER_TAG, DerReader, type DerElement } from "./der.ts";
import { DcapError } from "./DcapError.ts";

export const SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";
const OID = {
  ppid: `${SGX_EXTENSION_OID}.1`,
  tcb: `${SGX_EXTENSION_OID}.2`,
  pceSvn: `${SGX_EXTENSION_OID}.2.17`,
  cpuSvn: `${SGX_EXTENSION_OID}.2.18`,
  pceId: `${SGX_EXTENSION_OID}.3`,
  fmspc: `${SGX_EXTENSION_OID}.4`,
  sgxType: `${SGX_EXTENSION_OID}.5`,
} as const;
const CPU_SVN_COMPONENTS = 16;

export interface SgxPckExtension {
  ppid: Uint8Array;
  /** The 16 SGX TCB component SVNs, index 0 first (the certificate's .2.1 to .2.16). */
  cpuSvnComponents: number[];
  pceSvn: number;
  cpuSvn: Uint8Array;
  pceId: Uint8Array;
  fmspc: Uint8Array;
  /** 0 standard, 1 scalable, 2 scalable with integrity. */
  sgxType: number;
}

/** Parses the extension's DER value; throws DcapError("MALFORMED_CERTIFICATE") for anything unexpected. */
export function parseSgxExtension(value: Uint8Array): SgxPckExtension {
  const reader = new DerReader(value, "MALFORMED_CERTIFICATE", "SGX extension");
  const root = reader.expectTag(reader.element(0), DER_TAG.SEQUENCE, "SGX extension");
  if (root.end !== value.length) reader.fail("trailing bytes");
  const fields = oidValueMap(reader, root);
  const tcb = tcbComponents(reader, required(reader, fields, OID.tcb, DER_TAG.SEQUENCE));
  return {
    ppid: octets(reader, fields, OID.ppid, 16),
    ...tcb,
    pceId: octets(reader, fields, OID.pceId, 2),
    fmspc: octets(reader, fields, OID.fmspc, 6),
    sgxType: reader.smallInteger(required(reader, fields, OID.sgxType, DER_TAG.ENUMERATED), "SGX type"),
  };
}

function tcbComponents(reader: DerReader, tcb: DerElement): Pick<SgxPckExtension, "cpuSvnComponents" | "pceSvn" | "cpuSvn"> {
  const fields = oidValueMap(reader, tcb);
  const cpuSvnComponents: number[] = [];
  for (let i = 1; i <= CPU_SVN_COMPONENTS; i++) {
    const component = required(reader, fields, `${OID.tcb}.${i}`, DER_TAG.INTEGER);
    const svn = reader.smallInteger(component, `SGX TCB component ${i}`);
    if (svn > 255) reader.fail(`SGX TCB component ${i} is above 255`);
    cpuSvnComponents.push(svn);
  }
  const pceSvn = reader.smallInteger(required(reader, fields, OID.pceSvn, DER_TAG.INTEGER), "PCESVN");
  if (pceSvn > 0xffff) reader.fail("PCESVN is above 65535");
  return { cpuSvnComponents, pceSvn, cpuSvn: octets(reader, fields, OID.cpuSvn, 16) };
}

/** The SEQUENCE OF SEQUENCE { OID, value } the extension is made of, by OID; repeats are refused. */
function oidValueMap(reader: DerReader, parent: DerElement): Map<string, DerElement> {
  const fields = new Map<string, DerElement>();
  for (const entry of reader.children(parent)) {
    reader.expectTag(entry, DER_TAG.SEQUENCE, "SGX extension entry");
    const parts = reader.children(entry);
    if (parts.length !== 2) reader.fail("an entry is not an OID and a value");
    const oid = reader.oid(parts[0]!);
    if (fields.has(oid)) reader.fail(`${oid} appears twice`);
    fields.set(oid, parts[1]!);
  }
  return fields;
}

function required(reader: DerReader, fields: Map<string, DerElement>, oid: string, tag: number): DerElement {
  const element = fields.get(oid);
  if (!element) reader.fail(`${oid} is missing`);
  return reader.expectTag(element, tag, oid);
}

function octets(reader: DerReader, fields: Map<string, DerElement>, oid: string, length: number): Uint8Array {
  const content = reader.content(required(reader, fields, oid, DER_TAG.OCTET_STRING));
  if (content.length !== length) reader.fail(`${oid} must be ${length} bytes, not ${content.length}`);
  return content.slice();
}

/** Finds and parses the SGX extension among a certificate's extensions. */
export function sgxExtensionOf(extensions: readonly { type: string; value: ArrayBuffer }[]): SgxPckExtension {
  const extension = extensions.find((candidate) => candidate.type === SGX_EXTENSION_OID);
  if (!extension) throw new DcapError("MALFORMED_CERTIFICATE", "the PCK certificate has no SGX extension");
  return parseSgxExtension(new Uint8Array(extension.value));
}
