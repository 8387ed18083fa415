"""The lean runtime: the stdlib modules, pure-Python wheels and bridge modules the runtime imports, compiled to .pyc
by Pyodide's own CPython (in Node) into one uncompressed zip; pydantic-core repacked the same way; only the
PyScript files the runtime requests. The compile step is cached by the hash of everything it reads."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tarfile
import time
from pathlib import Path

from tools.project import BRIDGE_DIR, TOOLS_DIR, BuildError, log, run, sha256_file

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
NATIVE_PACKAGES = ("pydantic_core",)
"""Packages with a native extension: repacked with .pyc as a wheel, whose files the runtime host puts into Pyodide's
site-packages (tools/wheels.py)."""
WHOLE_STDLIB_PACKAGES = ("pyodide", "_pyodide")
"""Pyodide's own Python packages are kept whole: the runtime imports parts of them lazily, from JavaScript."""
ALWAYS_IMPORTED = ("encodings.idna", "encodings.latin_1", "encodings.ascii", "encodings.utf_16", "encodings.utf_32")
"""Codecs a browser request may need that no code path here imports by name."""
PYSCRIPT_DYNAMIC_CHUNKS = ("error-",)
"""Chunks PyScript always imports at run time with our config: its error plugin (even when switched off). Every other
dynamic import (editors, terminals, toml, and the package graph it reads only when ``packages`` is set) is not."""
PYSCRIPT_PYCACHE = "pyscript-pycache.bin"
"""The runtime zip's entry with the .pyc of PyScript's own package: {path under the working directory: .pyc bytes}, in
marshal format (tools/pyodide_compile.py writes it, pyodide/host.mjs puts them in place)."""
RUNTIME_ENV = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""The runtime's environment, set by its host (site/loader/src/pyodide_host.js) and in the build's Python, so that the
build records the runtime's code paths. pydantic's plugin search is off: the runtime installs no distribution, and the
search took 5-12 ms of a warm start; with it off, importlib.metadata is not imported either (bridge/_metadata.py)."""
_IMPORT = re.compile(r"(?:^|\\n|;)\s*(?:import\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)|from\s+([A-Za-z_][\w.]*)\s+import)", re.M)
_STATIC_FROM = re.compile(r'from"\./([^"]+\.js)"')
_DYNAMIC = re.compile(r'import\("\./([^"]+\.js)"\)')


def pyscript_files(names: list[str], read) -> list[str]:
    """The files of @pyscript/core's dist/ that the runtime requests: core.js, what it imports statically, and
    the dynamic chunks of PYSCRIPT_DYNAMIC_CHUNKS (with what they import)."""
    wanted, todo = set(), ["core.js"]
    while todo:
        name = todo.pop()
        if name in wanted or name not in names:
            continue
        wanted.add(name)
        text = read(name)
        todo += _STATIC_FROM.findall(text)
        todo += [chunk for chunk in _DYNAMIC.findall(text) if chunk.startswith(PYSCRIPT_DYNAMIC_CHUNKS)]
    return sorted(wanted)


def pyscript_python_imports(js_text: str) -> list[str]:
    """Top-level module names imported by the Python code PyScript embeds in its JavaScript."""
    names = set()
    for plain, source in _IMPORT.findall(js_text):
        for name in (plain.split(",") if plain else [source]):
            names.add(name.strip().split(".")[0])
    return sorted(n for n in names if n)


_JS_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_JS_CODE_POINT = re.compile(r"x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def pyscript_python_files(js_text: str) -> dict[str, str]:
    """The Python package PyScript embeds in its JavaScript (``{pyscript: {"__init__.py": "...", ...}}``, written
    into the runtime's file system at every start), as {path relative to the working directory: source}."""
    start = js_text.find("{pyscript:{")
    if start < 0:
        raise BuildError("PyScript's core no longer embeds its Python package as {pyscript: {...}}")
    files: dict[str, str] = {}
    _js_object(js_text, start, "", files)
    if not files:
        raise BuildError("PyScript's embedded Python package could not be read")
    return files


def _js_object(text: str, pos: int, prefix: str, files: dict[str, str]) -> int:
    """Read the JavaScript object literal at ``text[pos] == "{"`` whose values are strings or such objects, adding
    each string under its path to `files`; returns the position after it."""
    pos = _js_space(text, pos + 1)
    while text[pos] != "}":
        if text[pos] == '"':
            key, pos = _js_string(text, pos)
        elif name := _JS_NAME.match(text, pos):
            key, pos = name.group(), name.end()
        else:
            raise _unexpected(text, pos)
        pos = _js_space(text, pos)
        if text[pos] != ":":
            raise _unexpected(text, pos)
        pos = _js_space(text, pos + 1)
        if text[pos] == "{":
            pos = _js_object(text, pos, prefix + key + "/", files)
        elif text[pos] == '"':
            files[prefix + key], pos = _js_string(text, pos)
        else:
            raise _unexpected(text, pos)
        pos = _js_space(text, pos)
        if text[pos] == ",":
            pos = _js_space(text, pos + 1)
    return pos + 1


def _js_space(text: str, pos: int) -> int:
    while text[pos] in " \t\r\n":
        pos += 1
    return pos


def _unexpected(text: str, pos: int) -> BuildError:
    return BuildError(f"PyScript's embedded Python package could not be read at {text[pos:pos + 20]!r}")


def _js_string(text: str, pos: int) -> tuple[str, int]:
    """The double-quoted JavaScript string literal at `pos`, decoded, and the position after it."""
    out, pos = [], pos + 1
    while text[pos] != '"':
        c = text[pos]
        if c != "\\":
            out.append(c)
            pos += 1
            continue
        e = text[pos + 1]
        if e in "xu":
            m = _JS_CODE_POINT.match(text, pos + 1)
            out.append(chr(int(next(g for g in m.groups() if g), 16)))
            pos += 1 + len(m.group())
        elif e == "\n":  # a line continuation
            pos += 2
        else:
            out.append(_JS_ESCAPES.get(e, e))
            pos += 2
    return "".join(out), pos + 1


def _inputs_hash(paths: list[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for path in paths:
        h.update(path.name.encode())
        h.update(sha256_file(path).encode())
    return h.hexdigest()[:16]


def compile_runtime(pyodide_tgz: Path, pyscript_tgz: Path, wheels: list[Path], cache: Path) -> dict:
    """Run the compile step (or reuse its cached result). Returns {dir, stdlib_zip, native_wheels, modules}."""
    bridge_files = sorted(p for p in BRIDGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    tools = [TOOLS_DIR / "pyodide_build.mjs", TOOLS_DIR / "pyodide_compile.py", TOOLS_DIR / "runtime_exercise.py",
             TOOLS_DIR / "runtime_site.py", Path(__file__)]  # the job it writes
    key = _inputs_hash([pyodide_tgz, pyscript_tgz, *wheels, *tools, *bridge_files],
                       json.dumps([str(p.relative_to(BRIDGE_DIR)) for p in bridge_files]))
    out = cache / f"runtime-{key}"
    report_path = out / "report.json"
    if report_path.is_file():
        log("runtime", f"compiled runtime from cache ({out.name})")
        return json.loads(report_path.read_text())

    t0 = time.monotonic()
    work = cache / f".work-{key}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "pyodide").mkdir(parents=True)
    with tarfile.open(pyodide_tgz, "r:gz") as tf:
        for name in PYODIDE_FILES:
            member = tf.getmember(f"package/{name}")
            with tf.extractfile(member) as src, open(work / "pyodide" / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
    with tarfile.open(pyscript_tgz, "r:gz") as tf:
        js = "\n".join(tf.extractfile(m).read().decode("utf-8", "replace") for m in tf.getmembers()
                       if m.isfile() and re.match(r"package/dist/core-[^/]*\.js$", m.name))
    (work / "wheels").mkdir()
    for wheel in wheels:
        shutil.copyfile(wheel, work / "wheels" / wheel.name)
    shutil.copytree(BRIDGE_DIR, work / "src" / "bridge", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(TOOLS_DIR / "runtime_exercise.py", work / "exercise.py")
    shutil.copyfile(TOOLS_DIR / "runtime_site.py", work / "sitecustomize.py")
    (work / "out").mkdir()
    native = [w for w in wheels if w.name.split("-")[0] in NATIVE_PACKAGES]
    job = {
        "pyodide_dir": str(work / "pyodide"), "work_dir": str(work),
        "wheels": [f"wheels/{w.name}" for w in wheels], "bridge_parent": "src", "exercise": "exercise.py",
        "sitecustomize": "sitecustomize.py", "env": RUNTIME_ENV,
        "pyscript_imports": pyscript_python_imports(js), "pyscript_files": pyscript_python_files(js),
        "pyscript_pycache": PYSCRIPT_PYCACHE, "always": list(ALWAYS_IMPORTED),
        "native_packages": list(NATIVE_PACKAGES), "whole_stdlib_packages": list(WHOLE_STDLIB_PACKAGES),
        "out_zip": "out/python_stdlib.zip",
        "repack": [{"src": f"wheels/{w.name}", "dest": f"out/{w.name}"} for w in native],
    }
    (work / "job.json").write_text(json.dumps(job))
    proc = run(["node", str(TOOLS_DIR / "pyodide_build.mjs"), str(work / "job.json")])
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BuildError(f"the runtime compile step printed no report:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}") from None
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.move(str(work / "out" / "python_stdlib.zip"), out / "python_stdlib.zip")
    for w in native:
        shutil.move(str(work / "out" / w.name), out / w.name)
    result = {"dir": str(out), "stdlib_zip": str(out / "python_stdlib.zip"),
              "native_wheels": [str(out / w.name) for w in native], "modules": report["modules"],
              "python": report["python"], "precompiled": report["precompiled"],
              "pyscript_pycache": report["pyscript_pycache"]}
    report_path.write_text(json.dumps(result, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    log("runtime", f"compiled {len(report['modules'])} modules with Pyodide's CPython {report['python']}, and "
                   f"{report['precompiled']} sources the standard library compiles at run time, "
                   f"{report['pyscript_pycache']} modules of PyScript's own package "
                   f"({time.monotonic() - t0:.1f} s)")
    return result
