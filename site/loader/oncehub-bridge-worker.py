"""PyScript worker entry of oncehub-bridge: exports the bridge's two calls to the loader."""
from bridge.worker import process, start

__export__ = ["start", "process"]
