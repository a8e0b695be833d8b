// Specification of app bundles: a validated continuum.json manifest, canonical bytes whose sha256
// is both checksum and measurement, and unpacking that checks the manifest before writing.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  APP_RUNTIME_NAMES,
  BundleError,
  encodeArchive,
  packBundle,
  parseManifest,
  readBundle,
  readManifest,
  unpackBundle,
} from "../../../src/apps/index.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";
import { makeTempDir, MINIMAL_MANIFEST, removeDir, writeTree } from "./appsTestKit.ts";

const WARD_STATS = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));

describe("parseManifest", () => {
  it("accepts a minimal manifest and optional limits", () => {
    expect(parseManifest(JSON.stringify(MINIMAL_MANIFEST))).to.deep.equal(MINIMAL_MANIFEST);
    const withLimits = { ...MINIMAL_MANIFEST, limits: { memoryMb: 128, outputMb: 2 } };
    expect(parseManifest(JSON.stringify(withLimits)).limits).to.deep.equal({ memoryMb: 128, outputMb: 2 });
  });

  const invalid: [string, Record<string, unknown>][] = [
    ["an unknown runtime", { runtime: "python" }],
    ["an entrypoint outside the bundle", { entrypoint: "../main.mjs" }],
    ["an absolute entrypoint", { entrypoint: "/usr/bin/node.mjs" }],
    ["an entrypoint the runtime cannot run", { entrypoint: "main.py" }],
    ["a name with capitals", { name: "Ward Stats" }],
    ["a version that is not semantic", { version: "v1" }],
    ["an empty description", { description: "" }],
    ["too little memory", { limits: { memoryMb: 8 } }],
    ["an unknown limit", { limits: { cpus: 4 } }],
    ["an unknown field", { homepage: "https://example.org" }],
  ];
  for (const [what, change] of invalid) {
    it(`refuses ${what} as BAD_MANIFEST`, async () => {
      await rejectionOf(BundleError, () => parseManifest(JSON.stringify({ ...MINIMAL_MANIFEST, ...change })), "BAD_MANIFEST");
    });
  }

  it("lists every problem in the details", async () => {
    const error = await rejectionOf(BundleError, () => parseManifest(JSON.stringify({ ...MINIMAL_MANIFEST, name: "", runtime: "java" })), "BAD_MANIFEST");
    const problems = (error.details?.problems ?? []) as { path: string }[];
    expect(problems.map((problem) => problem.path)).to.include.members(["name", "runtime"]);
  });

  it("refuses text that is not JSON", async () => {
    await rejectionOf(BundleError, () => parseManifest("name: hello"), "BAD_MANIFEST");
  });

  it("knows the node runtime", () => {
    expect(APP_RUNTIME_NAMES).to.include("node");
  });
});

describe("packBundle / unpackBundle", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => removeDir(dir));

  it("measures a bundle as the sha256 of its canonical bytes, equal to its checksum", async () => {
    await writeTree(join(dir, "app"), { "continuum.json": JSON.stringify(MINIMAL_MANIFEST), "main.mjs": "console.log(1)" });
    const packed = await packBundle(join(dir, "app"));
    const sha256 = `0x${createHash("sha256").update(packed.bytes).digest("hex")}`;
    expect(packed.measurement).to.equal(sha256);
    expect(packed.checksum).to.equal(sha256);
    expect(packed.manifest.name).to.equal("hello");
  });

  it("gives the same measurement for the same bundle written twice in a different order", async () => {
    await writeTree(join(dir, "one"), { "continuum.json": JSON.stringify(MINIMAL_MANIFEST), "lib/util.mjs": "u", "main.mjs": "m" });
    await writeTree(join(dir, "two"), { "main.mjs": "m", "lib/util.mjs": "u", "continuum.json": JSON.stringify(MINIMAL_MANIFEST) });
    expect((await packBundle(join(dir, "one"))).measurement).to.equal((await packBundle(join(dir, "two"))).measurement);
  });

  it("round-trips through unpackBundle to the same files and measurement", async () => {
    const packed = await packBundle(WARD_STATS);
    const { manifest, checksum } = await unpackBundle(packed.bytes, join(dir, "out"));
    expect(checksum).to.equal(packed.measurement);
    expect(manifest).to.deep.equal(await readManifest(WARD_STATS));
    expect((await readdir(join(dir, "out"))).sort()).to.deep.equal((await readdir(WARD_STATS)).sort());
    expect(await readFile(join(dir, "out", "main.mjs"), "utf8")).to.equal(await readFile(join(WARD_STATS, "main.mjs"), "utf8"));
    expect((await packBundle(join(dir, "out"))).measurement).to.equal(packed.measurement);
  });

  it("refuses a directory without continuum.json as MANIFEST_NOT_FOUND", async () => {
    await writeTree(dir, { "main.mjs": "m" });
    await rejectionOf(BundleError, packBundle(dir), "MANIFEST_NOT_FOUND");
    await rejectionOf(BundleError, readManifest(dir), "MANIFEST_NOT_FOUND");
  });

  it("refuses a bundle whose entrypoint is missing as ENTRYPOINT_NOT_FOUND", async () => {
    await writeTree(dir, { "continuum.json": JSON.stringify({ ...MINIMAL_MANIFEST, entrypoint: "src/main.mjs" }), "main.mjs": "m" });
    await rejectionOf(BundleError, packBundle(dir), "ENTRYPOINT_NOT_FOUND");
  });

  it("refuses bundle bytes with an invalid manifest before writing anything", async () => {
    const bytes = encodeArchive([
      { path: "continuum.json", executable: false, content: Buffer.from(JSON.stringify({ ...MINIMAL_MANIFEST, runtime: "bash" })) },
      { path: "main.mjs", executable: false, content: Buffer.from("m") },
    ]);
    await rm(dir, { recursive: true });
    await rejectionOf(BundleError, unpackBundle(bytes, dir), "BAD_MANIFEST");
    expect(existsSync(dir)).to.equal(false);
  });

  it("reads a bundle's manifest and files without writing them", async () => {
    const packed = await packBundle(WARD_STATS);
    const contents = readBundle(packed.bytes);
    expect(contents.checksum).to.equal(packed.measurement);
    expect(contents.entries.map((entry) => entry.path)).to.include.members(["continuum.json", "main.mjs", "wardStats.mjs"]);
  });
});
