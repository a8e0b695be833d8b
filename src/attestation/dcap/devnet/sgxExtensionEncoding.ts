// Encodes Intel's SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1) in the order
// and DER form Intel's PCK certificates carry it: PPID, TCB (16 components, PCESVN, CPUSVN),
// PCE-ID, FMSPC, SGX type, and for Platform CA certificates the instance ID and configuration.
import { derBoolean, derEnumerated, derInteger, derOctetString, derOid, derSequence } from "./derWriter.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";

export const SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";
export const CPU_SVN_COMPONENT_COUNT = 16;

/** SGX type of the platform: Standard for client parts, Scalable for server (multi-package) parts. */
export const SGX_TYPE = { STANDARD: 0, SCALABLE: 1, SCALABLE_WITH_INTEGRITY: 2 } as const;

/** The TCB a PCK certificate certifies: 16 SVN components (CPUSVN byte by byte) and the PCE's SVN. */
export interface PlatformTcb {
  cpuSvnComponents: readonly number[];
  pceSvn: number;
}

export interface SgxPckExtensionFields {
  /** 16 bytes. */
  ppid: Uint8Array;
  tcb: PlatformTcb;
  /** 2 bytes. */
  pceId: Uint8Array;
  /** 6 bytes. */
  fmspc: Uint8Array;
  sgxType: number;
  /** Platform CA certificates only: 16 bytes identifying the platform instance. */
  platformInstanceId?: Uint8Array;
  /** Platform CA certificates only. */
  configuration?: { dynamicPlatform: boolean; cachedKeys: boolean; smtEnabled: boolean };
}

/** The DER value (extnValue contents) of the SGX extension. */
export function encodeSgxPckExtension(fields: SgxPckExtensionFields): Uint8Array {
  const { cpuSvnComponents, pceSvn } = fields.tcb;
  if (cpuSvnComponents.length !== CPU_SVN_COMPONENT_COUNT || !cpuSvnComponents.every(isByte)) {
    throw new DevnetDcapError("INVALID_INPUT", "the TCB needs 16 CPU SVN components of 0..255");
  }
  if (!Number.isSafeInteger(pceSvn) || pceSvn < 0 || pceSvn > 0xffff) {
    throw new DevnetDcapError("INVALID_INPUT", "PCESVN must be an integer of 0..65535");
  }
  const entries = [
    entry(".1", derOctetString(fixedLength(fields.ppid, 16, "ppid"))),
    entry(".2", derSequence(...tcbEntries(fields.tcb))),
    entry(".3", derOctetString(fixedLength(fields.pceId, 2, "pceId"))),
    entry(".4", derOctetString(fixedLength(fields.fmspc, 6, "fmspc"))),
    entry(".5", derEnumerated(fields.sgxType)),
  ];
  if (fields.platformInstanceId) {
    entries.push(entry(".6", derOctetString(fixedLength(fields.platformInstanceId, 16, "platformInstanceId"))));
  }
  if (fields.configuration) {
    const { dynamicPlatform, cachedKeys, smtEnabled } = fields.configuration;
    entries.push(
      entry(
        ".7",
        derSequence(entry(".7.1", derBoolean(dynamicPlatform)), entry(".7.2", derBoolean(cachedKeys)), entry(".7.3", derBoolean(smtEnabled))),
      ),
    );
  }
  return derSequence(...entries);
}

/** CPUSVN as the 16 component bytes, the form quotes and the extension's .2.18 carry. */
export function cpuSvnBytes(tcb: PlatformTcb): Uint8Array {
  return Uint8Array.from(tcb.cpuSvnComponents);
}

function tcbEntries(tcb: PlatformTcb): Uint8Array[] {
  const components = tcb.cpuSvnComponents.map((svn, index) => entry(`.2.${index + 1}`, derInteger(svn)));
  return [...components, entry(".2.17", derInteger(tcb.pceSvn)), entry(".2.18", derOctetString(cpuSvnBytes(tcb)))];
}

/** SEQUENCE { OID (under the SGX extension), value } */
function entry(suffix: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(`${SGX_EXTENSION_OID}${suffix}`), value);
}

function isByte(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xff;
}

function fixedLength(bytes: Uint8Array, length: number, field: string): Uint8Array {
  if (bytes.length !== length) {
    throw new DevnetDcapError("INVALID_INPUT", `${field} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}
