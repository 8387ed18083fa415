"""The docs site that `python3 build.py serve` builds with MkDocs and serves at /docs/: every page served with its
links, nothing fetched from another host, search and copy buttons working offline, and a layout that holds on a
phone (390 px) and a laptop (1366 px): no sideways scrolling, no heading wider than its column, no code box that
hides the end of its lines at laptop width."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from demo_helpers import SHOTS

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}

# What a reader would call broken: the page scrolls sideways, a heading or a paragraph runs out of its column, or (at
# laptop width) a code box needs its scroll bar to show the end of a line. Tables and phone code boxes may scroll.
LAYOUT_FAULTS = """(codeMayScroll) => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth) faults.push(`the page scrolls sideways: ${root.scrollWidth} > ${innerWidth}`);
  const content = document.querySelector(".md-content");
  for (const el of content.querySelectorAll("h1, h2, h3, h4, p, li")) {
    if (el.closest("pre, table")) continue;
    const box = el.getBoundingClientRect();
    // 3 px of slack: inline code's padding may poke out a pixel or two at the end of a line, which no one sees.
    if (el.scrollWidth > el.clientWidth + 3 || box.right > content.getBoundingClientRect().right + 3) {
      faults.push(`${el.tagName.toLowerCase()} overflows: "${el.textContent.trim().slice(0, 50)}"`);
    }
  }
  if (!codeMayScroll) {
    for (const code of content.querySelectorAll("pre > code")) {
      if (code.scrollWidth > code.clientWidth + 1) {
        const longest = code.textContent.split("\\n").sort((a, b) => b.length - a.length)[0];
        faults.push(`code box clipped by ${code.scrollWidth - code.clientWidth} px: "${longest.slice(0, 60)}"`);
      }
    }
  }
  return faults;
}"""


def doc_pages(demo_site: str) -> list[str]:
    index = urllib.request.urlopen(f"{demo_site}/docs/").read().decode()
    return sorted(set(re.findall(r'href="([a-z-]+\.html)"', index)) | {"index.html"})


def test_every_page_is_served_with_its_links_and_only_its_own_assets(demo_site):
    pages = doc_pages(demo_site)
    assert {"install.html", "config.html", "gtm.html", "gtm-template.html", "csp.html", "serving.html",
            "reliability.html", "performance.html", "custom-sinks.html", "beacon.html", "privacy.html", "demo.html"} <= set(pages)
    for name in pages:
        body = urllib.request.urlopen(f"{demo_site}/docs/{name}").read().decode()
        assert "<h1" in body, name
        assets = re.findall(r'<(?:link|script|img)\b[^>]*\b(?:href|src)="([^"]+)"', body)
        assert assets and all(not re.match(r"[a-z]+:|//", asset) for asset in assets), f"{name} loads {assets}"
        swallowed = [p[:60] for p in re.findall(r"<p>(.*?)</p>", body, re.S) if re.search(r"\n\s*(?:[-*]|\d+\.) ", p)]
        assert swallowed == [], f"{name}: list items rendered as text of a paragraph"
        for link in set(re.findall(r'href="([a-z-]+\.html)(?:#[^"]*)?"', body)):
            assert urllib.request.urlopen(f"{demo_site}/docs/{link}").status == 200, f"{name} -> {link}"


def test_the_install_page_shows_its_examples_as_code(host, demo_site):
    """The data-config example is a code block a reader can copy, not prose with backticks."""
    page = host.page
    page.goto(f"{demo_site}/docs/install.html")
    blocks = page.locator(".md-content pre > code").all_text_contents()
    assert any('data-config="/oncehub-bridge.json"' in block and block.strip().startswith("<script")
               for block in blocks), blocks
    assert "`" not in page.locator(".md-content article").text_content()
    items = page.locator(".md-content article li").all_text_contents()
    assert any(item.strip().startswith("Or set window.OnceHubBridgeConfig") for item in items), items
    copy_buttons = page.locator(".md-content pre").get_by_role("button", name="Copy to clipboard")
    assert copy_buttons.count() == len(blocks) > 3, "a code block lacks its copy button"


def test_search_finds_a_page_offline(host, demo_site):
    page = host.page
    page.set_viewport_size(WIDTHS["laptop"])
    page.goto(f"{demo_site}/docs/")
    page.get_by_role("textbox", name="Search").click()
    page.get_by_text("Type to start searching").wait_for()  # the index is loaded (from this site)
    page.get_by_role("textbox", name="Search").press_sequentially("wasm-unsafe-eval")
    first = page.locator(".md-search-result__item a").first
    # the results follow the typing: a prefix ("wasm") lists other pages first until the whole term is in
    expect(first).to_have_attribute("href", re.compile(r"(^|/)csp\.html"))
    first.click()
    assert page.locator(".md-content h1").text_content().strip().rstrip("¶") == "Content-Security-Policy"
    page.locator(".md-content mark", has_text="unsafe").first.wait_for()  # the search term, highlighted on the page


def test_the_copy_button_copies_the_snippet(host, demo_site):
    page = host.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{demo_site}/docs/install.html")
    first = page.locator(".md-content pre").first
    first.hover()
    first.get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('<script type="application/json" id="oncehub-bridge-config">')
    assert copied.strip() == first.locator("code").text_content().strip()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_without_clipping(host, demo_site, width):
    page = host.page
    page.set_viewport_size(WIDTHS[width])
    faults = {}
    for name in doc_pages(demo_site):
        page.goto(f"{demo_site}/docs/{name}")
        found = page.evaluate(LAYOUT_FAULTS, width == "phone")
        if found:
            faults[name] = found
    for name in ("install.html", "csp.html"):
        page.goto(f"{demo_site}/docs/{name}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"docs-{width}-{name[:-5]}.png"), full_page=True)
    assert faults == {}
