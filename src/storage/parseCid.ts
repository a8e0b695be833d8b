// Parses CID strings from callers and users into CID objects, rejecting anything else with BAD_CID
// so malformed input never reaches a backend.
import { CID } from "multiformats/cid";
import { StorageError } from "./errors.ts";

/** Long garbage is cut before being echoed back in error details. */
const MAX_ECHOED_LENGTH = 100;

export function parseCid(value: string): CID {
  try {
    return CID.parse(value);
  } catch (error) {
    throw new StorageError("BAD_CID", "not a valid CID", { cid: value.slice(0, MAX_ECHOED_LENGTH) }, { cause: error });
  }
}
