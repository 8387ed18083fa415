# Runs inside Pyodide in Node (tools/pyodide_build.mjs): import what the runtime imports, then write the imported
# stdlib and pure-Python modules as .pyc (compiled by this very CPython, -OO) into one uncompressed zip, and repack
# wheels with native code (.py replaced by .pyc, stored uncompressed). Prints a JSON report.
import importlib
import importlib.util
import json
import marshal
import runpy
import sys
import zipfile
from pathlib import PurePosixPath

job = json.loads(job_json)  # noqa: F821 (set by pyodide_build.mjs)
WORK = "/work/"
sys.path.insert(0, WORK + job["bridge_parent"])
# what the standard library compiles has been recorded since Python started (bridge/_precompiled.py), by the
# sitecustomize that pyodide_build.mjs put in place
precompiled = sys.modules["bridge._precompiled"]
# What the runtime imports is what Pyodide's start imported (STARTED, taken by pyodide_build.mjs before the build's own
# steps) and what PyScript's and the bridge's code paths import from there. The modules only the build imported since
# (Pyodide's loadPackage, this file's own imports) are taken out of sys.modules first, so that the code paths import
# again whatever they need, and nothing is shipped because the build used it.
for name in set(sys.modules) - STARTED:  # noqa: F821 (set by pyodide_build.mjs)
    del sys.modules[name]
for name in job["pyscript_imports"]:
    try:
        importlib.import_module(name)
    except Exception:  # a module PyScript imports only in the browser (js, polyscript, ...)
        pass
runpy.run_path(WORK + job["exercise"], run_name="__exercise__")
for name in job["always"]:
    importlib.import_module(name)
imported = dict(sys.modules)

STDLIB = next(p for p in sys.path if p.endswith(".zip")).rstrip("/") + "/"
SITE = [p.rstrip("/") + "/" for p in sys.path if p.endswith("site-packages")]
NATIVE = set(job["native_packages"])


def archive_name(origin):
    """The module's path inside the trimmed zip, or None when it does not belong there."""
    if origin.startswith(STDLIB):
        return origin[len(STDLIB):]
    for root in SITE + [WORK + job["bridge_parent"].rstrip("/") + "/"]:
        if origin.startswith(root):
            rel = origin[len(root):]
            return None if rel.split("/")[0] in NATIVE else rel
    return None


def _varint(out, value):
    while value >= 64:
        out.append(64 | (value & 63))
        value >>= 6
    out.append(value)


def lines_only(code):
    """The code's location table with its line numbers only, as `-X no_debug_ranges` would write it: column ranges
    are most of the table, and of the .pyc's compressed size, and only tracebacks' carets use them. Entries are
    the "no columns" (13) and "no location" (15) forms of CPython's Objects/locations.md, 1 to 8 code units each."""
    out, previous = bytearray(), code.co_firstlineno
    for start, end, line in code.co_lines():
        units = (end - start) // 2
        while units > 0:
            n, units = min(units, 8), units - min(units, 8)
            if line is None:
                out.append(0x80 | (15 << 3) | (n - 1))
                continue
            out.append(0x80 | (13 << 3) | (n - 1))
            delta, previous = line - previous, line
            _varint(out, (-delta << 1) | 1 if delta < 0 else delta << 1)
    consts = tuple(lines_only(c) if isinstance(c, type(code)) else c for c in code.co_consts)
    slim = code.replace(co_linetable=bytes(out), co_consts=consts)
    if list(slim.co_lines()) != list(code.co_lines()):
        raise SystemExit(f"line table of {code.co_filename}:{code.co_name} would change")
    return slim


def pyc(source, filename, checked=False):
    """`checked`: the import compares the hash with the source next to it (and compiles that when they differ)."""
    code = lines_only(compile(source, filename, "exec", dont_inherit=True, optimize=2))
    return importlib._bootstrap_external._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=checked)


def read_source(origin):
    if origin.startswith(STDLIB):
        with zipfile.ZipFile(STDLIB.rstrip("/")) as stock:
            return stock.read(origin[len(STDLIB):])
    with open(origin, "rb") as f:
        return f.read()


entries = {}
for name, module in sorted(imported.items()):
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) if spec else None
    if not origin or not origin.endswith(".py"):
        continue
    rel = archive_name(origin)
    if rel is None:
        continue
    entries[rel[:-3] + ".pyc"] = pyc(read_source(origin), "/lib/python/" + rel)

# Packages whose every module is kept (so that Pyodide's own lazy imports keep working)
with zipfile.ZipFile(STDLIB.rstrip("/")) as stock:
    for info in stock.infolist():
        top = info.filename.split("/")[0]
        if top in job["whole_stdlib_packages"] and info.filename.endswith(".py"):
            entries.setdefault(info.filename[:-3] + ".pyc", pyc(stock.read(info.filename), "/lib/python/" + info.filename))

entries["bridge/" + precompiled.DATA_FILE] = precompiled.recording()
# the runtime's own sitecustomize (the build's, which started the recording, is not the runtime's)
with open(WORK + job["sitecustomize"], "rb") as f:
    entries["sitecustomize.pyc"] = pyc(f.read(), "/lib/python/sitecustomize.py")

# PyScript's own package, which PyScript writes as source into the working directory at every start and imports from
# there: its .pyc, for the runtime host to put into the package's __pycache__ first (pyodide/host.mjs). They are
# checked against the source (a PyScript whose text differs is compiled as before); the zip's directory name is not
# importable, so that nothing imports from it. Their names are those the runtime's Python looks for: it runs without
# -O, this one with -OO (pyodide_build.mjs).
pyscript_pycache = {importlib.util.cache_from_source(rel, optimization=""):
                    pyc(source.encode("utf-8"), "/home/pyodide/" + rel, checked=True)
                    for rel, source in sorted(job["pyscript_files"].items()) if rel.endswith(".py")}
entries[job["pyscript_pycache"]] = marshal.dumps(pyscript_pycache)

with zipfile.ZipFile(WORK + job["out_zip"], "w", compression=zipfile.ZIP_STORED) as out:
    for rel in sorted(entries):
        out.writestr(zipfile.ZipInfo(rel, (1980, 1, 1, 0, 0, 0)), entries[rel])

repacked = []
for item in job["repack"]:
    with zipfile.ZipFile(WORK + item["src"]) as src, zipfile.ZipFile(WORK + item["dest"], "w", zipfile.ZIP_STORED) as dest:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name.endswith(".py") and ".dist-info/" not in name:
                data, name = pyc(data, "/lib/python/site-packages/" + name), name[:-3] + ".pyc"
            dest.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    repacked.append(item["dest"])

json.dumps({"modules": sorted(e for e in entries if e.endswith(".pyc")), "repacked": repacked,
            "python": sys.version.split()[0], "precompiled": len(precompiled._codes),
            "pyscript_pycache": len(pyscript_pycache)})
