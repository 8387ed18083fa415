"""The config's JSON Schema and Markdown reference, both generated from the pydantic models.

Option descriptions are the docstrings under the model fields (mixins included), read from the source here
rather than with ``use_attribute_docstrings``, so the browser runtime does not parse its own source at start-up.

    python3 -m bridge.schema           rewrite site/loader/oncehub-bridge.schema.json and docs/config.md
    python3 -m bridge.schema --check   exit 1 when either file is out of date with the models
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from .config import ConfigDocument
from .custom import PythonSinkEntry
from .sinks import SINK_CLASSES, Sink, SinkConfig

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "site" / "loader" / "oncehub-bridge.schema.json"
REFERENCE_PATH = ROOT / "docs" / "config.md"
REGENERATE = "python3 -m bridge.schema"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _plain(text: str) -> str:
    """A docstring as Markdown: ``code`` as `code`, wrapped lines joined, paragraphs kept."""
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    return re.sub(r"``(.+?)``", r"`\1`", "\n\n".join(paragraphs))


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The docstring under each field of ``model`` and of its bases, the nearest class winning."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not issubclass(cls, BaseModel) or cls.__module__.startswith("pydantic"):
            continue
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
        except (OSError, TypeError, SyntaxError):
            continue
        for node, following in zip(body, body[1:]):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def config_models() -> dict[str, type[BaseModel]]:
    """Every model of the config by class name (the names of the schema's ``$defs``)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for info in annotation.model_fields.values():
                    visit(info.annotation)
        for argument in typing.get_args(annotation):
            visit(argument)

    visit(ConfigDocument)
    return found


def _describe(schema: dict[str, Any]) -> dict[str, Any]:
    """Set each property's ``description`` from its field docstring."""
    models = config_models()
    for name, definition in [(ConfigDocument.__name__, schema), *schema.get("$defs", {}).items()]:
        docs = field_docstrings(models[name]) if name in models else {}
        for prop_name, prop in definition.get("properties", {}).items():
            if prop_name in docs:
                prop["description"] = docs[prop_name]
    return schema


def _tidy(node: Any) -> Any:
    """Drop pydantic's generated titles of properties and make descriptions plain Markdown."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy = {key: _tidy(value) for key, value in node.items() if key != "description"}
    if isinstance(node.get("description"), str):
        tidy["description"] = _plain(node["description"])
    if isinstance(node.get("properties"), dict):
        for prop in tidy["properties"].values():
            prop.pop("title", None)
    return tidy


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the whole config, sinks as a union tagged by ``type``."""
    schema = _tidy(_describe(ConfigDocument.model_json_schema()))
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": "oncehub-bridge.schema.json", **schema}


# --- the Markdown reference ----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n\n", "<br>")


def _type_text(prop: dict[str, Any]) -> str:
    """A property's JSON Schema as a short type, e.g. ``integer (0 to 60000)`` or ``"off" | "on"``."""
    if "$ref" in prop:
        return "object (below)"
    if "const" in prop:
        return json.dumps(prop["const"])
    if "discriminator" in prop:
        return f"object with a `{prop['discriminator']['propertyName']}` (below)"
    if "anyOf" in prop:
        return " or ".join(_type_text(option) for option in prop["anyOf"])
    if "enum" in prop:
        return " | ".join(json.dumps(value) for value in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_text(prop.get('items', {}))}"
    limits = [
        f"{prop['minimum']} to {prop['maximum']}" if "minimum" in prop and "maximum" in prop else "",
        f"at least {prop['minimum']}" if "minimum" in prop and "maximum" not in prop else "",
        f"{prop.get('minLength', 0)} to {prop['maxLength']} characters" if "maxLength" in prop else "",
        f"matching `{prop['pattern']}`" if "pattern" in prop else "",
    ]
    limits = [limit for limit in limits if limit]
    return f"{kind} ({', '.join(limits)})" if limits else kind


def _default_text(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    if info.is_required():
        return "required"
    return f"`{json.dumps(to_jsonable_python(info.get_default(call_default_factory=True)))}`"


def _options_table(model: type[BaseModel], names: list[str], key_prefix: str = "") -> list[str]:
    properties = model.model_json_schema()["properties"]
    docs = field_docstrings(model)
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for name in names:
        description = _plain(docs.get(name, ""))
        rows.append(f"| `{key_prefix}{name}` | {_cell(_type_text(properties[name]))} | "
                    f"{_cell(_default_text(model, name))} | {_cell(description)} |")
    return rows


def _section(title: str, model: type[BaseModel], key_prefix: str) -> list[str]:
    return [f"## `{title}`", "", _plain(model.__doc__ or ""), "",
            *_options_table(model, list(model.model_fields), key_prefix), ""]


def _sink_section(sink_class: type[Sink]) -> list[str]:
    model = sink_class.config_model
    own = [name for name in model.model_fields if name not in SinkConfig.model_fields and name != "type"]
    keys = ", ".join(f"`{key}`" for key in sink_class.consent_keys) or "none"
    facts = (f"Default `pii`: `{model.model_fields['pii'].default}`. Consent keys (when `consent.mode` is "
             f"`\"on\"`): {keys}." + (" Runs after the other sinks." if sink_class.stage == "after" else ""))
    lines = [f"### `{sink_class.type_name()}`", "", _plain(sink_class.__doc__ or ""), "", facts, ""]
    return lines + (_options_table(model, own) if own else ["No options of its own."]) + [""]


def config_reference() -> str:
    """docs/config.md: every config key with its type, default and meaning, from the same models as the schema."""
    sections = {name: info.annotation for name, info in ConfigDocument.model_fields.items()}
    lines = [
        "# Config reference",
        "",
        f"<!-- Generated from the pydantic models in bridge/ by `{REGENERATE}`; do not edit by hand. -->",
        "",
        _plain(ConfigDocument.__doc__ or "").split("\n\n")[0],
        "A JSON Schema of the same config ships in the bundle as `oncehub-bridge.schema.json` (add "
        '`"$schema": "/path/to/oncehub-bridge/oncehub-bridge.schema.json"` to a config file for editor help).',
        "Each problem is reported as one console error naming the key, and only that part falls back.",
        "",
        "## Top level",
        "",
        *_options_table(ConfigDocument, list(sections)),
        "",
    ]
    lines += _section("sources.booking_calendar", sections["sources"].model_fields["booking_calendar"].annotation,
                      "sources.booking_calendar.")
    for name in ("page", "consent", "attribution"):
        lines += _section(name, sections[name], f"{name}.")
    lines += ["## Sinks", "", "Every entry of `sinks` has a `type` and these common options:", "",
              *_options_table(SinkConfig, list(SinkConfig.model_fields)), ""]
    for sink_class in SINK_CLASSES:
        lines += _sink_section(sink_class)
    lines += ["### `python`", "", _plain(PythonSinkEntry.__doc__ or ""), "",
              "Default `pii`: `hashed`. Consent keys: the class's `consent_keys`.", "",
              "| key | type | default | meaning |", "|---|---|---|---|",
              *(f"| `{key}` | string | required | {_cell(_plain(PythonSinkEntry.model_fields[name].description or ''))} |"
                for key, name in (("module", "module"), ("class", "class_"))), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def schema_text() -> str:
    """The checked-in schema file's text."""
    return json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n"


def generated_files() -> dict[Path, str]:
    """Each generated file and the text it must hold."""
    return {SCHEMA_PATH: schema_text(), REFERENCE_PATH: config_reference()}


def main(argv: list[str]) -> int:
    """Write the generated files, or with ``--check`` report the stale ones."""
    stale = [path for path, text in generated_files().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run `{REGENERATE}`", file=sys.stderr)
        return 1 if stale else 0
    for path, text in generated_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
