"""The host page as the bridge sees it: its URL and referrer, and what its query string tells."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

CLICK_ID_KEYS = ("gclid", "fbclid", "msclkid")
DEBUG_PARAMETER = "oncehub_bridge_debug"


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def without_query(url: str | None) -> str | None:
    """Drop the query string and fragment of ``url`` (``None`` stays ``None``)."""
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def without_fragment(url: str | None) -> str | None:
    """Drop only the fragment of ``url``."""
    if not url:
        return None
    return url.split("#", 1)[0]


@dataclass(frozen=True)
class PageContext:
    """URL and referrer of the host page, from the loader's ``start`` request."""

    url: str | None = None
    referrer: str | None = None
    first_touch_utm: dict[str, str] | None = None
    """UTM parameters of the visitor's first touch (``bridge.attribution``); they win over the URL's."""
    first_touch_click_ids: dict[str, str] | None = None
    """Ad click ids of the first touch; the URL's own click ids win key by key."""

    @classmethod
    def from_request(cls, page: Any) -> PageContext:
        """Read the ``page`` object of a ``start`` request, tolerating anything malformed."""
        if not isinstance(page, dict):
            return cls()
        return cls(url=_text_or_none(page.get("url")), referrer=_text_or_none(page.get("referrer")))

    @cached_property
    def _query(self) -> dict[str, list[str]]:
        """The page URL's query string, parsed once (every booking reads it for UTMs and click ids)."""
        return parse_qs(urlsplit(self.url).query) if self.url else {}

    def query_value(self, name: str) -> str | None:
        """First non-empty value of ``name`` in the page URL's query string."""
        values = self._query.get(name)
        return values[0] if values and values[0] else None

    @property
    def debug_requested(self) -> bool:
        """Whether the page URL asks for debug logging with ``?oncehub_bridge_debug=1``."""
        return self.query_value(DEBUG_PARAMETER) == "1"

    def info(self, *, include_query: bool) -> dict[str, str | None] | None:
        """The event's ``page`` object; query strings removed unless ``include_query``."""
        trim = without_fragment if include_query else without_query
        url, referrer = trim(self.url), trim(self.referrer)
        return {"url": url, "referrer": referrer} if url or referrer else None

    def click_ids(self) -> dict[str, str | None]:
        """``gclid``, ``fbclid`` and ``msclkid`` from the page URL."""
        return {key: self.query_value(key) for key in CLICK_ID_KEYS}

    def utm_params(self, keys: tuple[str, ...]) -> dict[str, str | None]:
        """``utm_<key>`` values from the page URL, keyed without the prefix."""
        return {key: self.query_value(f"utm_{key}") for key in keys}

    def with_first_touch(self, utm: dict[str, str] | None, click_ids: dict[str, str] | None) -> PageContext:
        """This page with the visitor's first-touch values."""
        return replace(self, first_touch_utm=utm or None, first_touch_click_ids=click_ids or None)

    def attributed_utm_params(self, keys: tuple[str, ...]) -> dict[str, str | None]:
        """The first touch's UTM parameters when there are any, else the page URL's."""
        if self.first_touch_utm:
            return {key: self.first_touch_utm.get(key) for key in keys}
        return self.utm_params(keys)

    def attributed_click_ids(self) -> dict[str, str | None]:
        """The page URL's click ids, completed key by key from the first touch."""
        stored = self.first_touch_click_ids or {}
        return {key: self.query_value(key) or stored.get(key) for key in CLICK_ID_KEYS}
