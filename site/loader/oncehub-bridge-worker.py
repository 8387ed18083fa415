"""PyScript worker entry of oncehub-bridge: exports the bridge's calls to the loader."""
import time

_python_runs = time.time() * 1000  # Pyodide and the packages are loaded: the start-up's "interpreter" mark

import bridge.worker  # noqa: E402

bridge.worker.STARTUP_MARKS["interpreter"] = _python_runs

from bridge.worker import from_javascript, start, validate_config  # noqa: E402

process = from_javascript(bridge.worker.process)

__export__ = ["start", "process", "validate_config"]
