"""Which navigation targets are safe: ``http(s)`` on the page's own origin or on an allowed host, nothing else."""

from __future__ import annotations

import re
from typing import Annotated, Collection
from urllib.parse import SplitResult, urljoin, urlsplit

from pydantic import AfterValidator, Field

_HOSTNAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")

_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")
"""Whitespace, control characters and backslashes: browsers strip or reinterpret them (``/\\evil.example``)."""


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or ""), parts.port if parts.port is not None else default_port  # :0 is a port


def target_problem(url: str, page_url: str | None, allowed_hosts: Collection[str] = ()) -> str | None:
    """Why ``url`` (absolute or relative to ``page_url``) is not a safe target, or ``None`` when it is."""
    if _UNSAFE_CHARACTERS.search(url):
        return "whitespace, control characters and backslashes are not allowed"
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return f"{scheme}: targets are not allowed"
    if not scheme and not page_url:
        return "a relative URL needs the page URL, which is unknown"
    absolute = urljoin(page_url or "", url)
    try:
        parts = urlsplit(absolute)
        target = _origin(parts)
    except ValueError:
        return "the URL cannot be parsed"
    if parts.scheme not in ("http", "https"):
        return f"{parts.scheme or 'scheme-less'} targets are not allowed"
    if "@" in parts.netloc:
        return "credentials in the URL are not allowed"
    if not parts.hostname:
        return "the URL has no host"
    page_origin = _origin(urlsplit(page_url)) if page_url else None
    if target != page_origin and parts.hostname not in {host.lower() for host in allowed_hosts}:
        return f"host {parts.hostname} is neither the page's origin nor in allowed_hosts"
    return None


def resolve(url: str, page_url: str | None) -> str:
    """``url`` made absolute against the page URL."""
    return urljoin(page_url or "", url)


def _bare_hostnames(hosts: list[str]) -> list[str]:
    for host in hosts:
        if not _HOSTNAME.match(host.lower()):
            raise ValueError(f"{host!r} is not a bare host name (no scheme, port or path)")
    return [host.lower() for host in hosts]


AllowedHosts = Annotated[list[str], AfterValidator(_bare_hostnames), Field(default_factory=list)]
"""The ``allowed_hosts`` option of the sinks that send the visitor or data to a URL: bare host names, lower-cased."""
