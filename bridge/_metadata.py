"""`importlib.metadata` imported only if pydantic's plugin search is run.

pydantic imports `importlib.metadata` (and with it `email`) for one function, `entry_points`, which its plugin search
calls at its first model unless `PYDANTIC_DISABLE_PLUGINS` says there is nothing to look for. The runtime says so (it
installs no distribution at all; `RUNTIME_ENV` in tools/runtime.py), so the import is work for nothing: 12-20 ms of a
start in Pyodide (in Node), and 54 KB of `.pyc` in the runtime's files. While the bridge imports pydantic,
`deferred()` puts a stand-in under that name whose `entry_points` imports the real module when it is called; then the
name is free again, and a later `import importlib.metadata` gets the real module. Where plugins are searched
(CPython, without the setting), nothing changes but when the real module is imported.
"""

import importlib
import sys
import types
from contextlib import contextmanager

NAME = "importlib.metadata"


def entry_points(**params):
    if sys.modules.get(NAME) is _STAND_IN:
        del sys.modules[NAME]
    return importlib.import_module(NAME).entry_points(**params)


_STAND_IN = types.ModuleType(NAME, __doc__)
_STAND_IN.entry_points = entry_points


@contextmanager
def deferred():
    """`importlib.metadata` is the stand-in within the block, unless it is imported already."""
    if NAME in sys.modules:
        yield
        return
    sys.modules[NAME] = _STAND_IN
    try:
        yield
    finally:
        if sys.modules.get(NAME) is _STAND_IN:
            del sys.modules[NAME]
