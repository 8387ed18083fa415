"""What the bundle ships (the npm and wheel pins) and runtime.lock.json, which records each pinned file's name
and hash. Changing a version here requires `python3 build.py lock`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from tools.project import LOCK_PATH, BuildError


@dataclass(frozen=True)
class NpmPin:
    name: str
    version: str


@dataclass(frozen=True)
class WheelPin:
    name: str  # normalized project name, also the key in the generated pyodide-lock.json
    version: str
    depends: tuple[str, ...] = ()


NPM_PINS = (
    NpmPin("@pyscript/core", "0.7.31"),
    NpmPin("pyodide", "314.0.7"),
    # build tool: bundles and minifies the loader (site/loader/src/) into one classic script; the Linux x86-64 binary
    NpmPin("@esbuild/linux-x64", "0.28.2"),
    # build tool: compresses esbuild's loader further (tools/minify.mjs), with the packages its code requires
    NpmPin("terser", "5.51.4"),
    NpmPin("@jridgewell/source-map", "0.3.11"),
    NpmPin("@jridgewell/gen-mapping", "0.3.13"),
    NpmPin("@jridgewell/trace-mapping", "0.3.31"),
    NpmPin("@jridgewell/sourcemap-codec", "1.6.0"),
    NpmPin("@jridgewell/resolve-uri", "3.1.3"),
    # test only: Google's data-layer-helper, GTM's model of the data layer (tests/e2e/test_gtm_merge.py)
    NpmPin("data-layer-helper", "0.1.0"),
)

WHEEL_PINS = (
    WheelPin("pydantic", "2.14.3",
             depends=("pydantic-core", "typing-extensions", "typing-inspection", "annotated-types")),
    WheelPin("pydantic-core", "2.50.4", depends=("typing-extensions",)),
    WheelPin("typing-extensions", "4.16.0"),
    WheelPin("typing-inspection", "0.4.5", depends=("typing-extensions",)),
    WheelPin("annotated-types", "0.8.0"),
)


# runtime.lock.json:
#   {"npm":    {"<name>": {"version", "file_name", "sha256", "integrity"}},
#    "wheels": {"<name>": {"version", "file_name", "sha256"}}}


@dataclass
class Input:
    """One fetched file the bundle is made from, as recorded in the lock file."""
    kind: str  # "npm" or "wheel"
    name: str
    version: str
    file_name: str
    sha256: str
    integrity: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}" if self.kind == "npm" else f"{self.name}=={self.version}"


def load_lock(path: Path | None = None) -> dict:
    path = path or LOCK_PATH
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise BuildError(f"{path.name} is missing: run `python3 build.py lock` to create it") from None
    except json.JSONDecodeError as e:
        raise BuildError(f"{path.name} is not valid JSON: {e}") from None


def lock_inputs(lock: dict) -> list[Input]:
    """The inputs of the lock file, checked against the pins above (same names, same versions), in pin
    order."""
    inputs = []
    for kind, section, pins in (("npm", "npm", NPM_PINS), ("wheel", "wheels", WHEEL_PINS)):
        entries = lock.get(section, {})
        pinned = {p.name for p in pins}
        extra = sorted(set(entries) - pinned)
        if extra:
            raise BuildError(f"{LOCK_PATH.name} lists {section} not pinned in tools/pins.py: {', '.join(extra)}; "
                             "run `python3 build.py lock`")
        for pin in pins:
            entry = entries.get(pin.name)
            if entry is None or entry.get("version") != pin.version:
                have = entry.get("version") if entry else "nothing"
                raise BuildError(f"{LOCK_PATH.name} is out of date for {pin.name}: it has {have}, "
                                 f"tools/pins.py pins {pin.version}; run `python3 build.py lock`")
            inputs.append(Input(kind, pin.name, pin.version, entry["file_name"], entry["sha256"],
                                entry.get("integrity")))
    return inputs


def lock_document(inputs: Iterable[Input]) -> dict:
    doc: dict = {
        "_comment": "Written by `python3 build.py lock`; `python3 build.py` checks every input against it.",
        "npm": {},
        "wheels": {},
    }
    for i in inputs:
        entry = {"version": i.version, "file_name": i.file_name, "sha256": i.sha256}
        if i.kind == "npm":
            entry["integrity"] = i.integrity
            doc["npm"][i.name] = entry
        else:
            doc["wheels"][i.name] = entry
    return doc
