"""The runtime's `sitecustomize` (the root of its python_stdlib.zip, compiled by tools/pyodide_compile.py), which
Python's `site` runs before Pyodide's and PyScript's own Python: from here on the standard library takes what it
compiles from the build's recording (bridge/_precompiled.py). That module is loaded from the zip by itself, without
the bridge package, whose imports are not due yet; the package's own `install()` finds it done. Nothing here may
fail a start: without it, the runtime compiles as before."""
import sys


def _install_precompiled():
    import importlib.util
    import zipimport

    name = "bridge._precompiled"
    try:
        loader = zipimport.zipimporter(next(p for p in sys.path if p.endswith(".zip")) + "/bridge/")
        spec = loader.find_spec(name)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        module.install()
    except Exception:  # noqa: BLE001 (any failure leaves the runtime as it was)
        sys.modules.pop(name, None)


_install_precompiled()
del _install_precompiled
