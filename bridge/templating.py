"""``{field}`` and ``{parent.child}`` URL templates, filled with URL-encoded values."""

from __future__ import annotations

import re
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
_MARKER = "oncehubplaceholder"


class TemplateError(ValueError):
    """The template is malformed or uses a placeholder it may not use."""


def placeholders(template: str) -> list[str]:
    """The placeholder names of ``template`` in order; raises ``TemplateError`` on stray braces or bad names."""
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        raise TemplateError("unbalanced { or } in the template")
    names = _PLACEHOLDER.findall(template)
    for name in names:
        if not _NAME.match(name):
            raise TemplateError(f"{{{name}}} is not a valid placeholder name")
    return names


def placeholder_in_scheme_or_host(template: str) -> bool:
    """Whether a placeholder could decide where the URL leads: in the scheme or host, or at the very start."""
    if template.startswith("{"):
        return True
    marked = _PLACEHOLDER.sub(_MARKER, template)
    try:
        parts = urlsplit(marked)
    except ValueError:
        return True
    return _MARKER in parts.scheme or _MARKER in parts.netloc


def lookup(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` in nested mappings, or ``None`` when any step is absent."""
    current: Any = values
    for step in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(step)
    return current


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_as_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Replace each placeholder by its value, URL-encoded (absent values become empty; lists comma-joined)."""
    placeholders(template)
    return _PLACEHOLDER.sub(lambda match: quote(_as_text(lookup(values, match.group(1))), safe=""), template)
