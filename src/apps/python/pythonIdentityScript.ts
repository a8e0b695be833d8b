// The Python program a worker runs once with its own interpreter (outside any sandbox) to learn
// what the profile records: the implementation and version, where the executable and standard
// library really are, and for each declared package its installed version and files.
export const PYTHON_IDENTITY_SCRIPT = String.raw`
import importlib.metadata as metadata, json, os, platform, sys, sysconfig
declared = json.loads(sys.argv[1])
found = {}
for name in declared:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        found[name] = None
        continue
    base = str(dist.locate_file(""))
    roots = set()
    meta = getattr(dist, "_path", None)
    if meta is not None:
        roots.add(os.path.abspath(str(meta)))
    top = (dist.read_text("top_level.txt") or "").split()
    if not top and dist.files:
        top = sorted({f.parts[0].split(".")[0] for f in dist.files if not f.parts[0].endswith((".dist-info", ".egg-info", ".data"))})
    for module in top:
        for candidate in (module, module + ".py"):
            path = os.path.join(base, candidate)
            if os.path.exists(path):
                roots.add(os.path.abspath(path))
    found[name] = {"version": dist.version, "roots": sorted(roots), "imports": top}
print(json.dumps({
    "implementation": sys.implementation.name,
    "version": platform.python_version(),
    "executable": os.path.realpath(sys.executable),
    "stdlib": os.path.realpath(sysconfig.get_path("stdlib")),
    "packages": found,
}))
`;
