// Specification of vendoring pure-Python packages into a bundle from requirements.txt with hashes:
// wheels and sdists built by Python's own zipfile and tarfile, found in a local folder, verified
// against the pinned sha256 (a mismatch is refused), native wheels refused; then the vendored
// package imports in the real python sandbox.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { loadConfig } from "../../../src/config/index.ts";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { packBundle, parseRequirements, probePythonRuntime, readBundle, vendorRequirements, VendorError } from "../../../src/apps/index.ts";
import { runAppLocally } from "../../../enclave/index.ts";
import { makeTempDir, removeDir, writeTree } from "./appsTestKit.ts";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";

/** Builds a wheel or sdist with Python's standard library: files maps archive paths to text. */
async function buildArchive(path: string, kind: "zip" | "tar.gz", files: Record<string, string>): Promise<string> {
  const script = kind === "zip"
    ? "import json,sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:\n  [z.writestr(k,v) for k,v in json.loads(sys.argv[2]).items()]"
    : "import io,json,sys,tarfile\nwith tarfile.open(sys.argv[1],'w:gz') as t:\n  for k,v in json.loads(sys.argv[2]).items():\n    d=v.encode(); i=tarfile.TarInfo(k); i.size=len(d); t.addfile(i,io.BytesIO(d))";
  await run(PYTHON, ["-c", script, path, JSON.stringify(files)]);
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

describe("vendoring pure-Python packages", function () {
  this.timeout(60_000);
  let dir: string;
  let wheels: string;
  let app: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    wheels = join(dir, "wheelhouse");
    app = join(dir, "app");
    await mkdir(wheels);
    await writeTree(app, {
      "continuum.json": JSON.stringify({ name: "greeter", version: "1.0.0", description: "d", runtime: "python", entrypoint: "main.py" }),
      "main.py": "import os, greeting, tiny\nopen(os.path.join(os.environ['CONTINUUM_OUTPUT'], 'out.txt'), 'w').write(greeting.WORD + tiny.NAME)\n",
    });
  });
  afterEach(async () => removeDir(dir));

  async function twoDistributions(): Promise<{ wheel: string; sdist: string }> {
    const wheel = await buildArchive(join(wheels, "greeting-1.0-py3-none-any.whl"), "zip", {
      "greeting/__init__.py": "WORD = 'hello '\n",
      "greeting-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: greeting\nVersion: 1.0\n",
    });
    const sdist = await buildArchive(join(wheels, "tiny-2.0.tar.gz"), "tar.gz", {
      "tiny-2.0/setup.py": "",
      "tiny-2.0/src/tiny/__init__.py": "NAME = 'world'\n",
    });
    return { wheel, sdist };
  }

  it("unpacks hash-checked wheels and sdists into vendor/, where the sandboxed app imports them", async () => {
    const { wheel, sdist } = await twoDistributions();
    await writeFile(join(app, "requirements.txt"), `# pinned\ngreeting==1.0 \\\n  --hash=sha256:${wheel}\ntiny==2.0 --hash=sha256:${"0".repeat(64)} --hash=sha256:${sdist}\n`);
    const vendored = await vendorRequirements(app, [wheels]);
    expect(vendored.map((entry) => [entry.name, entry.version, entry.sha256])).to.deep.equal([["greeting", "1.0", wheel], ["tiny", "2.0", sdist]]);
    expect((await readdir(join(app, "vendor"))).sort()).to.deep.equal(["greeting", "greeting-1.0.dist-info", "tiny"]);

    const { profile } = await probePythonRuntime({ interpreter: PYTHON });
    const packed = await packBundle(app, { profile });
    const output = join(dir, "out");
    const input = join(dir, "in");
    await mkdir(input);
    await runAppLocally({
      bundle: readBundle(packed.bytes),
      inputDirectory: input,
      outputDirectory: output,
      timeLimitSeconds: 30,
      limits: loadConfig({ env: {} }).worker,
      python: { interpreter: PYTHON },
    });
    expect(await readFile(join(output, "out.txt"), "utf8")).to.equal("hello world");
  });

  it("refuses a distribution whose sha256 is not pinned, and leaves vendor/ untouched", async () => {
    await twoDistributions();
    await mkdir(join(app, "vendor"));
    await writeFile(join(app, "vendor", "keep.py"), "");
    await writeFile(join(app, "requirements.txt"), `greeting==1.0 --hash=sha256:${"ab".repeat(32)}\n`);
    const error = await vendorRequirements(app, [wheels]).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(VendorError).with.property("code", "HASH_MISMATCH");
    expect(await readdir(join(app, "vendor"))).to.deep.equal(["keep.py"]);
  });

  it("refuses native wheels, missing distributions and requirements without hashes", async () => {
    const native = await buildArchive(join(wheels, "fast-1.0-cp311-cp311-linux_x86_64.whl"), "zip", { "fast/__init__.py": "" });
    await writeFile(join(app, "requirements.txt"), `fast==1.0 --hash=sha256:${native}\n`);
    expect(await vendorRequirements(app, [wheels]).catch((error: VendorError) => error.code)).to.equal("NATIVE_DISTRIBUTION");
    await writeFile(join(app, "requirements.txt"), `absent==1.0 --hash=sha256:${native}\n`);
    expect(await vendorRequirements(app, [wheels]).catch((error: VendorError) => error.code)).to.equal("DISTRIBUTION_NOT_FOUND");
    for (const loose of ["six", "six>=1.0 --hash=sha256:" + native, "six==1.16.0"]) {
      expect(() => parseRequirements(loose)).to.throw(VendorError).with.property("code", "BAD_REQUIREMENTS");
    }
  });
});
