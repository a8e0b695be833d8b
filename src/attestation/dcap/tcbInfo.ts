// Parses Intel's TCB info (v2 SGX, v3 SGX and TDX) from the exact JSON text its signature covers:
// the platform TCB levels, and for TDX the TDX module and its identities with their own levels.
import { JsonFields } from "./jsonFields.ts";
import { TCB_STATUSES, type TcbStatus } from "./tcbStatus.ts";

export interface TcbLevel {
  /** The 16 SGX TCB component SVNs. */
  sgxComponents: number[];
  pceSvn: number;
  /** TDX only: the 16 TEE TCB SVN components. */
  tdxComponents?: number[];
  tcbDate: string;
  status: TcbStatus;
  advisoryIds: string[];
}

export interface TdxModuleTcbLevel {
  isvSvn: number;
  tcbDate: string;
  status: TcbStatus;
  advisoryIds: string[];
}

export interface TdxModule {
  mrSigner: Uint8Array;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
}

export interface TdxModuleIdentity extends TdxModule {
  /** "TDX_" followed by the module's major version in two hex digits, e.g. "TDX_01". */
  id: string;
  tcbLevels: TdxModuleTcbLevel[];
}

export interface TcbInfo {
  id: "SGX" | "TDX";
  version: number;
  issueDate: number;
  nextUpdate: number;
  /** Lowercase hex, 6 bytes. */
  fmspc: string;
  /** Lowercase hex, 2 bytes. */
  pceId: string;
  tcbType: number;
  tcbEvaluationDataNumber: number;
  tdxModule?: TdxModule;
  tdxModuleIdentities?: TdxModuleIdentity[];
  tcbLevels: TcbLevel[];
}

const COMPONENTS = 16;

/** Parses the `tcbInfo` JSON text; throws DcapError("MALFORMED_COLLATERAL"). */
export function parseTcbInfo(text: string): TcbInfo {
  const json = JsonFields.parse(text, "tcbInfo");
  const version = json.integer("version");
  if (version !== 2 && version !== 3) json.refuse("version", "is not 2 or 3");
  // Version 2 predates TDX and carries no id.
  const id = version === 2 ? "SGX" : json.oneOf("id", ["SGX", "TDX"] as const);
  const info: TcbInfo = {
    id,
    version,
    issueDate: json.date("issueDate"),
    nextUpdate: json.date("nextUpdate"),
    fmspc: Buffer.from(json.hex("fmspc", 6)).toString("hex"),
    pceId: Buffer.from(json.hex("pceId", 2)).toString("hex"),
    tcbType: json.integer("tcbType"),
    tcbEvaluationDataNumber: json.integer("tcbEvaluationDataNumber"),
    tcbLevels: json.objects("tcbLevels").map((level) => parseTcbLevel(level, version, id)),
  };
  if (id === "TDX") {
    info.tdxModule = parseTdxModule(json.object("tdxModule"));
    if (json.has("tdxModuleIdentities")) {
      info.tdxModuleIdentities = json.objects("tdxModuleIdentities").map((identity) => ({
        id: identity.string("id"),
        ...parseTdxModule(identity),
        tcbLevels: identity.objects("tcbLevels").map((level) => ({
          isvSvn: level.object("tcb").integer("isvsvn", 255),
          tcbDate: level.string("tcbDate"),
          status: level.oneOf("tcbStatus", TCB_STATUSES),
          advisoryIds: level.strings("advisoryIDs"),
        })),
      }));
    }
  }
  return info;
}

function parseTcbLevel(level: JsonFields, version: number, id: "SGX" | "TDX"): TcbLevel {
  const tcb = level.object("tcb");
  const parsed: TcbLevel = {
    sgxComponents: version === 2 ? flatSgxComponents(tcb) : componentList(tcb, "sgxtcbcomponents"),
    pceSvn: tcb.integer("pcesvn", 0xffff),
    tcbDate: level.string("tcbDate"),
    status: level.oneOf("tcbStatus", TCB_STATUSES),
    advisoryIds: level.strings("advisoryIDs"),
  };
  if (id === "TDX") parsed.tdxComponents = componentList(tcb, "tdxtcbcomponents");
  return parsed;
}

/** TCB info v2 names each SGX component: sgxtcbcomp01svn ... sgxtcbcomp16svn. */
function flatSgxComponents(tcb: JsonFields): number[] {
  return Array.from({ length: COMPONENTS }, (_, i) => tcb.integer(`sgxtcbcomp${String(i + 1).padStart(2, "0")}svn`, 255));
}

function componentList(tcb: JsonFields, key: string): number[] {
  const components = tcb.objects(key, COMPONENTS);
  if (components.length !== COMPONENTS) tcb.refuse(key, `does not have ${COMPONENTS} components`);
  return components.map((component) => component.integer("svn", 255));
}

function parseTdxModule(json: JsonFields): TdxModule {
  return {
    mrSigner: json.hex("mrsigner", 48),
    attributes: json.hex("attributes", 8),
    attributesMask: json.hex("attributesMask", 8),
  };
}
