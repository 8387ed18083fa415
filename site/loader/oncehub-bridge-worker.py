"""PyScript worker entry of oncehub-bridge: exports the bridge's calls to the loader."""
from bridge.worker import process, start, validate_config

__export__ = ["start", "process", "validate_config"]
