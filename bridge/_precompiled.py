"""Code that the standard library compiles while the runtime starts and the bridge is imported, compiled at build time.

Python 3.14's `dataclasses` makes each dataclass's methods by `exec` of source text it generates, `collections` each
namedtuple's `__new__` by `eval`, `annotationlib` compiles each string annotation it turns into a `ForwardRef`
(pydantic-core's TypedDicts alone make 600 of them), and `re` compiles each pattern with its pure-Python parser and
compiler. Pyodide runs all of that in wasm, for the first time on every start: about a third of `import bridge.worker`
in Node, and about 35-50 ms of a start in the browser before that (Pyodide's and PyScript's own). The build
(tools/pyodide_compile.py) calls `record()` as Python starts (tools/pyodide_build.mjs), runs the bridge's every code
path, and writes what was compiled into `_precompiled.bin` next to this module in the runtime's zip. In the browser
`install()`, called by the runtime's `sitecustomize` (tools/runtime_site.py) before Pyodide's own Python starts and
again, as a no-op, by the package, gives those four modules a `compile`, `exec`, `eval` and pattern compiler that take
what was recorded for a source the build saw, and compile any other source as before (then keep it: code objects and
compiled patterns are immutable, and the same text comes back often).

The recorded code is what this CPython makes of the same text with the same arguments, and a recorded pattern is the
very arguments `re` hands to `_sre.compile`, so nothing changes but the time; a file from another Python build is not
used (`install` compares `sys.version`). The runtime-vs-CPython test (tests/e2e/test_runtime_python.py) checks, on the
shipped runtime, that the recording covers every compile of the start and of the bridge's code paths, and that each
recorded code and pattern equals a fresh compile of its source.

No `from __future__` import here: `compile`, `exec` and `eval` of a text inherit the calling module's future flags,
and these must compile as `dataclasses`, `collections` and `annotationlib` themselves do (none has any).
"""

import _sre
import builtins
import marshal
import sys
from re import _compiler, _parser

DATA_FILE = "_precompiled.bin"

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


def _caller_namespaces(globals, locals):
    """exec's and eval's own defaults: the caller's namespaces (two frames up), not this module's."""
    if globals is None:
        caller = sys._getframe(2)
        globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
    return globals, locals


def _exec(source, globals=None, locals=None, /, **keywords):
    if isinstance(source, str):
        globals, locals = _caller_namespaces(globals, locals)
        source = _code(("exec", source), lambda: builtins.compile(source, "<string>", "exec"))
    return builtins.exec(source, globals, locals, **keywords)


def _eval(source, globals=None, locals=None, /):
    if isinstance(source, str):
        globals, locals = _caller_namespaces(globals, locals)
        source = _code(("eval", source), lambda: builtins.compile(source, "<string>", "eval"))
    return builtins.eval(source, globals, locals)


def _pattern_arguments(pattern, flags):
    """What `re._compiler.compile(pattern, flags)` hands to `_sre.compile` after the pattern itself, in values that
    marshal keeps (its opcodes are int subclasses)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), [int(word) for word in code], parsed.state.groups - 1, groupindex, \
        tuple(indexgroup)


def _compile_pattern(pattern, flags=0):
    """`re._compiler.compile` for the text of a pattern (what `re.compile` and the module's functions hand it)."""
    if not isinstance(pattern, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
        return _re_compile(pattern, flags)
    flags = int(flags)
    return _sre.compile(pattern, *_code(("re", pattern, flags), lambda: _pattern_arguments(pattern, flags)))


_re_compile = _compiler.compile  # re's own, for what the hook does not take (a parsed pattern, DEBUG)
PATCHED = (("annotationlib", "compile", _compile), ("dataclasses", "exec", _exec), ("collections", "eval", _eval),
           ("re._compiler", "compile", _compile_pattern))
"""(module, name, hook): what each module compiles text with (a builtin it calls, or `re`'s own pattern compiler),
replaced in that module alone by a hook that takes the recording."""


def _patch() -> None:
    import importlib

    for module, name, hook in PATCHED:
        setattr(importlib.import_module(module), name, hook)
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
