"""Code that the standard library compiles while the bridge is imported, compiled at build time instead.

Python 3.14's `dataclasses` makes each dataclass's methods by `exec` of source text it generates, and `annotationlib`
compiles each string annotation it turns into a `ForwardRef` (pydantic-core's TypedDicts alone make 600 of them).
Pyodide runs CPython's compiler in wasm, so these took about a third of `import bridge.worker` in Node (856
compiles and 67 generated sources). The build (tools/pyodide_compile.py) calls `record()` before it imports anything,
runs the bridge's every code path, and writes what was compiled, source and code, into `_precompiled.bin` next to
this module in the runtime's zip. In the browser `install()` (called first thing by the package) gives those two
modules a `compile` and an `exec` that take the code recorded for a source the build saw, and compile any other
source as before (then keep it: code objects are immutable, and the same annotation text comes back often).

The recorded code is what this CPython makes of the same text with the same arguments, so nothing changes but the
time; a file from another Python build is not used (`install` compares `sys.version`). The runtime-vs-CPython test
(tests/e2e/test_runtime_python.py) checks, on the shipped runtime, that the recording covers every compile of the
bridge's code paths and that each recorded code equals a fresh compile of its source.

No `from __future__` import here: `compile` and `exec` of a text inherit the calling module's future flags, and these
must compile as `dataclasses` and `annotationlib` themselves do (neither has any).
"""

import builtins
import marshal
import sys

DATA_FILE = "_precompiled.bin"
PATCHED = (("annotationlib", "compile"), ("dataclasses", "exec"))
"""(module, the builtin it calls with source text) pairs; each module gets its own name for it."""

_codes: dict = {}
_patched: list[str] = []
counts = {"taken": 0, "compiled": 0}
"""Compiles served from the recording ("taken") and compiled here ("compiled"), since `install` or `record`."""


def _code(key, make):
    code = _codes.get(key)
    if code is None:
        code = _codes[key] = make()
        counts["compiled"] += 1
    else:
        counts["taken"] += 1
    return code


def _compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **keywords):
    if keywords or not isinstance(source, str):
        return builtins.compile(source, filename, mode, flags, dont_inherit, optimize, **keywords)
    return _code(("compile", source, filename, mode, flags, dont_inherit, optimize),
                 lambda: builtins.compile(source, filename, mode, flags, dont_inherit, optimize))


def _exec(source, globals=None, locals=None, /, **keywords):
    if isinstance(source, str):
        if globals is None:  # exec's own defaults are the caller's namespaces, not this module's
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        source = _code(("exec", source), lambda: builtins.compile(source, "<string>", "exec"))
    return builtins.exec(source, globals, locals, **keywords)


_HOOKS = {"compile": _compile, "exec": _exec}


def _patch() -> None:
    import importlib

    for module, name in PATCHED:
        setattr(importlib.import_module(module), name, _HOOKS[name])
        _patched.append(module)


def record() -> None:
    """Build time: compile through the hooks from now on and keep everything compiled, for `recording()`."""
    _codes.clear()
    _patch()


def recording() -> bytes:
    """Build time: the contents of DATA_FILE, everything compiled through the hooks since `record()`."""
    return marshal.dumps({"python": sys.version, "codes": _codes})


def install() -> None:
    """In the runtime: take the code recorded in DATA_FILE, when there is one from this very Python. Anywhere else
    (CPython, the tests; a runtime built without it) nothing changes."""
    if _patched or sys.platform != "emscripten":
        return
    try:
        data = marshal.loads(__loader__.get_data(__file__.rpartition("/")[0] + "/" + DATA_FILE))  # noqa: F821
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        return
    if not isinstance(data, dict) or data.get("python") != sys.version or not isinstance(data.get("codes"), dict):
        return
    _codes.update(data["codes"])
    _patch()
