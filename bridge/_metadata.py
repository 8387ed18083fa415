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


def _real():
    if getattr(sys.modules.get(NAME), "__stand_in__", False):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


def entry_points(**params):
    return _real().entry_points(**params)


@contextmanager
def deferred():
    """`importlib.metadata` is a stand-in within the block, unless it is imported already."""
    if NAME in sys.modules:
        yield
        return
    stand_in = types.ModuleType(NAME, __doc__)
    stand_in.__stand_in__ = True
    stand_in.entry_points = entry_points
    sys.modules[NAME] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(NAME) is stand_in:
            del sys.modules[NAME]
