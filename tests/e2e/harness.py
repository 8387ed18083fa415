"""What browser tests drive: a host page embedding the bundle, and a record of what it did."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from dataclasses import dataclass, field


@dataclass
class PageWatch:
    """What a page did that a test may assert on, and what must never happen."""

    console_errors: list[str] = field(default_factory=list)
    console_lines: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    expected_errors: list[str] = field(default_factory=list)

    def expect_console_error(self, fragment: str) -> None:
        """Allow one console error containing `fragment` (config problems are reported this way on purpose)."""
        self.expected_errors.append(fragment)

    def unexpected_console_errors(self) -> list[str]:
        remaining = list(self.console_errors)
        for fragment in self.expected_errors:
            match = next((line for line in remaining if fragment in line), None)
            if match is not None:
                remaining.remove(match)
        return remaining


RESTORED = "<script>addEventListener('pageshow', e => { if (e.persisted) window.restored = true; });</script>"
"""Body markup that sets `window.restored` when the page comes back from the back-forward cache."""

EMBED = '<div id="SOIDIV_demo" data-so-page="demo">the booking page</div>'
"""A classic OnceHub embed container in view: with the default ``near_embed`` start, the runtime starts at once."""


def host_page(body: str, config: dict | None = None, head: str = "", loader_path: str = "/dist",
              loader_attrs: str = "", embed: str = EMBED) -> str:
    """A host page embedding the bundle the way the README tells site owners to (with an embed in view)."""
    config_json = json.dumps(config).replace("</", "<\\/")  # as a site owner must: no "</script>" inside
    config_block = (
        f'<script type="application/json" id="oncehub-bridge-config">{config_json}</script>'
        if config is not None else ""
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>host</title>{head}</head><body>
<h1>Book a call</h1>
{config_block}
<script src="{loader_path}/oncehub-bridge.js" {loader_attrs}></script>
{embed}
{body}
</body></html>"""


class HostPage:
    """Drives one host page: writes its HTML into the served root, opens it, then waits for the bridge."""

    def __init__(self, page, origin: str, watch: PageWatch, root: Path):
        self.page, self.origin, self.watch, self.root = page, origin, watch, root

    def open(self, html: str, path: str = "/host.html", query: str = "", wait_ready: bool = True,
             others: dict[str, str] | None = None):
        """Serve `html` at a fresh folder + `path` on the test origin and load it; `others` are more pages of the
        same site ({path: html}, e.g. a thank-you page), served in the same folder."""
        folder = f"/h/{uuid.uuid4().hex[:12]}"
        self.folder = folder
        for where, text in {path: html, **(others or {})}.items():
            target = self.root / (folder + where).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.page.goto(f"{self.origin}{folder}{path}{query}")
        if wait_ready:
            self.wait_ready()
        return self

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        status = self.page.evaluate(f"""Promise.race([
            OnceHubBridge.ready.then(() => OnceHubBridge.status, () => OnceHubBridge.status),
            new Promise(r => setTimeout(() => r('timeout'), {int(timeout_s * 1000)}))])""")
        assert status == "ready", f"bridge status {status!r}; console: {self.watch.console_lines}"

    def booking(self, payload) -> None:
        """Call the classic callback the way OnceHub's embed script does."""
        self.page.evaluate("p => window.SOAfterConfirmationFunction(p)", payload)

    def data_layer(self, event_prefix: str = "oncehub_") -> list[dict]:
        return self.page.evaluate(
            "prefix => (window.dataLayer || []).filter(e => e && typeof e.event === 'string'"
            " && e.event.startsWith(prefix)).map(e => JSON.parse(JSON.stringify(e)))", event_prefix)

    def wait_for(self, expression: str, timeout_s: float = 10.0):
        """Poll a JS expression until it is truthy (works under a strict CSP too)."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = self.page.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def settle(self, seconds: float = 0.4) -> None:
        """Give the worker time to answer when the assertion is that nothing happens."""
        self.page.wait_for_timeout(int(seconds * 1000))
