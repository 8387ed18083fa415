"""Custom sinks in Python (SPEC §7): ``{"type": "python", "module": "/sinks/acme.py", "class": "AcmeSink", ...}``.

The loader fetches each module from the page's own origin (nothing else is ever requested) and sends its text with
the ``start`` request; here it runs once per module, however many sinks use it. The class subclasses
``bridge.sinks.Sink`` and names its options' model (a ``bridge.sinks.SinkConfig`` subclass) in ``config_model``;
options are validated like a built-in sink's. Every fault becomes one PII-free problem naming the sink."""

from __future__ import annotations

import sys
import types
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from .effects import Beacon, Navigate
from .inputs import validation_problem
from .sinks.base import Sink, SinkConfig
from .url_policy import target_problem

BRIDGE_KEYS = ("type", "module", "class")
"""What of a custom sink's entry belongs to the bridge; the rest are the sink's own options."""


class PythonSinkEntry(SinkConfig):
    """Your own sink class (SPEC §7, docs/custom-sinks.md), loaded from a module on this site; every other key
    of the entry is one of its own options, validated by its ``config_model``."""

    # the JSON Schema's and docs/config.md's view of a ``python`` entry; at start-up ``custom_sink`` reads the entry
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    type: Literal["python"] = "python"
    module: str = Field(max_length=2000, description="The module's path on this page's own origin, e.g. "
                        "``/sinks/acme_crm.py`` (at most 256 KB).")
    class_: str = Field(alias="class", max_length=200, description="The name of the module's "
                        "``bridge.sinks.Sink`` subclass, e.g. ``AcmeCrmSink``.")


def module_problem(path: Any, page_url: str | None) -> str | None:
    """Why ``module`` may not be loaded (not a ``.py`` path on the page's own origin), or ``None``."""
    if not isinstance(path, str) or not path.split("?")[0].endswith(".py"):
        return 'module: must be the path of a .py file on this site, e.g. "/sinks/acme.py"'
    problem = target_problem(path, page_url)
    return f"module: must be on this page's own origin ({problem})" if problem else None


class CustomModules:
    """The custom modules of a page: each run once, by path; a failure is remembered as its problem."""

    def __init__(self, texts: Any = None):
        self.texts = texts if isinstance(texts, dict) else {}
        self.loaded: dict[str, types.ModuleType | str] = {}

    def preload(self, path: str, module: types.ModuleType) -> None:
        """Use an already imported module for ``path`` (the test kit runs a sink from its own module)."""
        self.loaded[path] = module

    def load(self, path: str) -> types.ModuleType | str:
        if path not in self.loaded:
            self.loaded[path] = self._run(path)
        return self.loaded[path]

    def _run(self, path: str) -> types.ModuleType | str:
        fetched = self.texts.get(path)
        if not isinstance(fetched, dict) or not isinstance(fetched.get("text"), str):
            reason = fetched.get("error") if isinstance(fetched, dict) and isinstance(fetched.get("error"), str) else None
            return f"module {path} could not be fetched ({reason or 'not loaded at start'})"
        name = f"oncehub_custom_{len(self.loaded)}"
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module  # pydantic resolves the module's annotations through sys.modules
        try:
            exec(compile(fetched["text"], path, "exec", dont_inherit=True), module.__dict__)
        except SyntaxError as exc:
            del sys.modules[name]
            return f"module {path} does not import: SyntaxError at line {exc.lineno}"
        except Exception as exc:  # its own code failed while importing
            del sys.modules[name]
            return f"module {path} does not import: {type(exc).__name__}"
        return module


def custom_sink(index: int, entry: dict[str, Any], page_url: str | None, modules: CustomModules):
    """``(config, sink class)`` of a ``python`` sink entry, or its one problem."""
    class_name = entry.get("class")
    where = f"sinks[{index}] (python {class_name})" if isinstance(class_name, str) else f"sinks[{index}] (python)"
    problem = module_problem(entry.get("module"), page_url)
    if problem:
        return f"{where}: {problem}"
    if not isinstance(class_name, str) or not class_name.isidentifier():
        return f'{where}: class: must be the name of a class in the module, e.g. "AcmeSink"'
    module = modules.load(entry["module"])
    if isinstance(module, str):
        return f"{where}: {module}"
    sink_class = getattr(module, class_name, None)
    if sink_class is None:
        return f"{where}: module {entry['module']} has no class {class_name}"
    if not (isinstance(sink_class, type) and issubclass(sink_class, Sink)):
        return f"{where}: {class_name} in module {entry['module']} does not subclass bridge.sinks.Sink"
    model = getattr(sink_class, "config_model", None)
    if not (isinstance(model, type) and issubclass(model, SinkConfig)):
        return f"{where}: {class_name}.config_model must be a subclass of bridge.sinks.SinkConfig"
    options = {key: value for key, value in entry.items() if key not in BRIDGE_KEYS}
    try:
        config = model.model_validate(options, context={"page_url": page_url})
    except ValidationError as exc:
        return f"{where}: {validation_problem(exc, index_brackets=True)}"
    except Exception as exc:  # a validator of its own raised something else
        return f"{where}: its config_model failed with {type(exc).__name__}"
    return config, sink_class


def guarded(sink_class: type, config, label: str, page_url: str | None):
    """An instance of a custom sink whose effects the pipeline checks: it may push, store, dispatch, call and send
    beacons to the page's own origin; navigating is the redirect sink's alone (its targets are validated)."""
    sink = sink_class(config)

    def allows(effect, context, log) -> bool:
        if isinstance(effect, Navigate):
            log(f"{label}: ignored a navigate effect (only the redirect sink navigates)")
            return False
        if isinstance(effect, Beacon) and target_problem(effect.url, page_url):
            log(f"{label}: ignored a beacon to another origin")
            return False
        return True

    sink.allows = allows
    return sink
