"""What the demo tests need besides the harness: the served demo, a visitor's booking, layout checks, screenshots."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "demo"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
VISITOR = {"Name": "Jane Doe", "Email": "jane.doe@example.com", "Phone": "+1 202 555 0143",
           "Anything we should know?": "Keen to see the GA4 part."}

# What a visitor would see as broken, in a page or its booking iframe: the page scrolls sideways; text overflows its
# box; a box that is not a code or JSON view hides part of its content behind a scroll bar (the sticky inspector
# cutting off its own bottom); a word broken mid-word across two lines (`sha256_em|ail_address`), where a break
# after a hyphen or at a <wbr> (which splits the text node) is fine; a paragraph ending on a lone word.
LAYOUT_CHECK = r"""() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${innerWidth}`);
  const name = el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + el.className : ""}`;
  const shown = el => el.getClientRects().length && !el.closest("details:not([open]) > :not(summary)") &&
                      getComputedStyle(el).visibility !== "hidden";
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el) || el.matches("textarea, input, select, iframe, script, style")) continue;
    const style = getComputedStyle(el);
    if (!el.closest("pre") && ["auto", "scroll", "hidden"].includes(style.overflowY) &&
        el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0) {
      problems.push(`${name(el)} hides its bottom: ${el.scrollHeight} > ${el.clientHeight}`);
    }
    if (["auto", "scroll"].includes(style.overflowX)) continue;
    const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (hasText && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)}: ${el.scrollWidth} > ${el.clientWidth} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  const lineOf = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    const rect = range.getClientRects()[0];
    return rect ? Math.round(rect.top + rect.height / 2) : null;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !shown(parent) || parent.closest("textarea, script, style")) continue;
    for (const word of node.textContent.matchAll(/\S{2,}/g)) {
      for (let i = word.index + 1; i < word.index + word[0].length; i++) {
        const before = lineOf(node, i - 1), here = lineOf(node, i);
        if (before !== null && here !== null && here > before + 2 && !"-/".includes(node.textContent[i - 1])) {
          problems.push(`${name(parent)}: "${word[0]}" broken mid-word after "${node.textContent.slice(word.index, i)}"`);
          break;
        }
      }
    }
  }
  for (const el of document.body.querySelectorAll("p, li, dd, h1, h2, h3")) {
    if (!shown(el) || el.closest("pre, textarea") || el.querySelector("pre, ul, ol, dl, div, details, p")) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = [...range.getClientRects()].map(r => Math.round(r.bottom)).filter((b, i, all) => all.indexOf(b) === i);
    const words = el.textContent.trim().split(/\s+/);
    if (lines.length < 2 || words.length < 4) continue;
    const last = Math.max(...lines), walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let onLast = 0;
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const word of node.textContent.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(node, word.index); r.setEnd(node, word.index + word[0].length);
        const rects = [...r.getClientRects()];
        if (rects.length && Math.round(rects[rects.length - 1].bottom) === last) onLast++;
      }
    }
    if (onLast === 1) problems.push(`${name(el)} ends on a lone word: "${words[words.length - 1]}"`);
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    """Horizontal overflow of the page, and cut-off text, in the page and in its booking iframe."""
    problems = page.evaluate(LAYOUT_CHECK)
    for frame in page.frames[1:]:
        problems += [f"booking frame: {p}" for p in frame.evaluate(LAYOUT_CHECK)]
    return problems


def assert_layout_holds(page, name: str) -> None:
    """Screenshot into test-results/demo/<name>.png, then check the layout and that the inspector shows."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    # From the top: Chromium does not repaint a cross-origin iframe scrolled out of view for a full-page shot.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    problems = layout_problems(page)
    assert problems == [], f"layout problems in {name}: {problems}"
    if page.locator("#inspector").count():
        box = page.locator("#inspector").bounding_box()
        assert page.locator("#inspector").is_visible() and box and box["width"] >= 300, f"inspector hidden in {name}"


def book_a_slot(page, confirmed_in_frame: bool = True) -> str | None:
    """As a visitor: pick the second slot, fill the form, submit; returns the booking id the page shows (None for
    a booking page that sends the whole window elsewhere instead)."""
    frame = page.frame_locator("iframe.booking-frame")
    frame.get_by_role("group", name="Start time").get_by_role("button").nth(1).click()
    for label, value in VISITOR.items():
        frame.get_by_label(label).fill(value)
    frame.get_by_role("button", name="Schedule meeting").click()
    if not confirmed_in_frame:
        return None
    booked = frame.locator("#booking-id")
    booked.wait_for()
    return booked.text_content()


def documented_csp(which: int) -> str:
    """A policy line from docs/csp.md (0: the strictest, 1: PyScript's), so the docs and this test cannot drift."""
    text = (ROOT / "docs" / "csp.md").read_text()
    return re.findall(r"^Content-Security-Policy: (.+)$", text, re.M)[which]
