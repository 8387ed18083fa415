"""What the demo tests need besides the harness: the served demo, a visitor's booking, layout checks, screenshots."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "demo"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
VISITOR = {"Name": "Jane Doe", "Email": "jane.doe@example.com", "Phone": "+1 202 555 0143",
           "Anything we should know?": "Keen to see the GA4 part."}

# Visible elements whose text overflows their box, ignoring containers that scroll by design.
OVERFLOW_CHECK = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${innerWidth}`);
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.getClientRects().length || el.closest("details:not([open]) > :not(summary)")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || ["auto", "scroll"].includes(style.overflowX)) continue;
    if (el.matches("textarea, input, select, iframe, script, style")) continue;
    const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (hasText && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${el.className}: ` +
                    `${el.scrollWidth} > ${el.clientWidth} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    """Horizontal overflow of the page, and cut-off text, in the page and in its booking iframe."""
    problems = page.evaluate(OVERFLOW_CHECK)
    for frame in page.frames[1:]:
        problems += [f"booking frame: {p}" for p in frame.evaluate(OVERFLOW_CHECK)]
    return problems


def assert_layout_holds(page, name: str) -> None:
    """Screenshot into test-results/demo/<name>.png, then check the layout and that the inspector shows."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    # From the top: Chromium does not repaint a cross-origin iframe scrolled out of view for a full-page shot.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert layout_problems(page) == [], f"layout problems in {name}"
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
