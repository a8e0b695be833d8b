// An offline collateral source: collateral sets in the JSON format of ../shared/dcap-vectors, from
// one file or a directory of them, indexed by what each set is for (TEE, FMSPC, PCK CA).
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { collateralFromJson, type CollateralRequest, type CollateralSource, type DcapCollateral } from "./collateral.ts";
import { DcapError } from "./DcapError.ts";
import { collateralKey, describeCollateral } from "./describeCollateral.ts";

/** Collateral files are tens of kilobytes; anything far larger is not one. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export class BundleCollateralSource implements CollateralSource {
  readonly #byPlatform: Map<string, { collateral: DcapCollateral; nextUpdate: number }>;

  private constructor(byPlatform: Map<string, { collateral: DcapCollateral; nextUpdate: number }>) {
    this.#byPlatform = byPlatform;
  }

  /**
   * Indexes `sets` by platform; of two sets for one platform the one that stays current longer
   * is kept. Throws DcapError("MALFORMED_COLLATERAL") for a set that does not parse.
   */
  static fromCollaterals(sets: readonly DcapCollateral[]): BundleCollateralSource {
    const byPlatform = new Map<string, { collateral: DcapCollateral; nextUpdate: number }>();
    for (const collateral of sets) {
      const description = describeCollateral(collateral);
      const key = collateralKey(description);
      const known = byPlatform.get(key);
      if (!known || description.nextUpdate > known.nextUpdate) byPlatform.set(key, { collateral, nextUpdate: description.nextUpdate });
    }
    return new BundleCollateralSource(byPlatform);
  }

  /** Reads one collateral JSON file, or every `*.json` file of a directory. */
  static async fromPath(path: string): Promise<BundleCollateralSource> {
    const files = (await stat(path)).isDirectory()
      ? (await readdir(path)).filter((name) => name.endsWith(".json")).sort().map((name) => join(path, name))
      : [path];
    const sets: DcapCollateral[] = [];
    for (const file of files) sets.push(await readCollateralFile(file));
    return BundleCollateralSource.fromCollaterals(sets);
  }

  /** The platforms this bundle has collateral for, as `tee/fmspc/ca`. */
  get platforms(): string[] {
    return [...this.#byPlatform.keys()];
  }

  async getCollateral(request: CollateralRequest): Promise<DcapCollateral> {
    const entry = this.#byPlatform.get(collateralKey(request));
    if (!entry) throw new DcapError("COLLATERAL_UNAVAILABLE", `the bundle has no collateral for ${collateralKey(request)}`);
    return entry.collateral;
  }
}

async function readCollateralFile(file: string): Promise<DcapCollateral> {
  const size = (await stat(file)).size;
  if (size > MAX_FILE_BYTES) throw new DcapError("MALFORMED_COLLATERAL", `${file} is too large to be collateral`, { file });
  const text = await readFile(file, "utf8");
  try {
    const collateral = collateralFromJson(JSON.parse(text));
    describeCollateral(collateral);
    return collateral;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DcapError("MALFORMED_COLLATERAL", `${file}: ${reason}`, { file }, { cause: error });
  }
}
