"""Render docs/*.md into simple HTML pages for the demo site (standard library only, no CDN, no fonts).

Handles the Markdown the docs use: headings, paragraphs, fenced code, lists, tables, block quotes, inline code,
links (``x.md`` links become ``x.html``), bold and italics. ``docs/README.md`` becomes ``index.html``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_INLINE = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*]*?)\*(?![\w*])"
    r"|<(?P<auto>https?://[^>\s]+)>"
)
_LIST_ITEM = re.compile(r"^(\s*)([-*]|\d+\.)\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def page_name(md_name: str) -> str:
    """The HTML file a Markdown file becomes."""
    return "index.html" if md_name.lower() == "readme.md" else md_name[:-3] + ".html"


def _href(target: str) -> str:
    """Where a link goes on the demo site: sibling ``x.md`` -> ``x.html``; ``../site/x`` -> ``/x`` (served)."""
    path, hash_, fragment = target.partition("#")
    if "://" not in path and "/" not in path and path.endswith(".md"):
        path = page_name(path)
    elif path.startswith("../site/"):
        path = "/" + path.removeprefix("../site/")
    return html.escape(path + hash_ + fragment, quote=True)


def inline(text: str) -> str:
    """Inline Markdown of one line or paragraph as HTML."""
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        if m.group("code"):
            out.append(f"<code>{html.escape(m.group('code_text').strip(), quote=False)}</code>")
        elif m.group("link_text"):
            out.append(f'<a href="{_href(m.group("href"))}">{inline(m.group("link_text"))}</a>')
        elif m.group("bold"):
            out.append(f"<strong>{inline(m.group('bold'))}</strong>")
        elif m.group("em"):
            out.append(f"<em>{inline(m.group('em'))}</em>")
        else:
            url = html.escape(m.group("auto"), quote=True)
            out.append(f'<a href="{url}">{url}</a>')
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", text).lower()).strip("-")


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)]


def _table(lines: list[str]) -> str:
    head = "".join(f"<th>{inline(c)}</th>" for c in _cells(lines[0]))
    body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in _cells(row)) + "</tr>" for row in lines[2:])
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _list(lines: list[str]) -> str:
    """A (possibly nested) list from its lines."""
    html_out, stack = [], []  # stack of (indent, tag)
    for line in lines:
        m = _LIST_ITEM.match(line)
        if not m:  # a continuation line of the previous item
            html_out[-1] = html_out[-1] + " " + inline(line.strip())
            continue
        indent, tag = len(m.group(1)), "ol" if m.group(2)[0].isdigit() else "ul"
        while stack and stack[-1][0] > indent:
            html_out.append(f"</li></{stack.pop()[1]}>")
        if not stack or stack[-1][0] < indent:
            html_out.append(f"<{tag}>")
            stack.append((indent, tag))
        else:
            html_out.append("</li>")
        html_out.append(f"<li>{inline(m.group(3))}")
    while stack:
        html_out.append(f"</li></{stack.pop()[1]}>")
    return "".join(html_out).replace("<ul></li>", "<ul>").replace("<ol></li>", "<ol>")


def markdown(text: str) -> tuple[str, str]:
    """(title, body HTML) of a Markdown document."""
    lines, blocks, title, i = text.splitlines(), [], "", 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("<!--"):  # an HTML comment (e.g. "generated, do not edit"): not shown
            while i < len(lines) and "-->" not in lines[i]:
                i += 1
            i += 1
        elif line.startswith("```"):
            lang, code = line[3:].strip(), []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            cls = f' class="language-{html.escape(lang)}"' if lang else ""
            blocks.append(f"<pre><code{cls}>{html.escape(chr(10).join(code), quote=False)}</code></pre>")
            i += 1
        elif line.startswith("    ") and line.strip():  # an indented code block
            code = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                code.append(lines[i][4:])
                i += 1
            blocks.append(f"<pre><code>{html.escape(chr(10).join(code).rstrip(), quote=False)}</code></pre>")
        elif m := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line):
            level, content = len(m.group(1)), inline(m.group(2))
            title = title or re.sub(r"<[^>]+>", "", content)
            blocks.append(f'<h{level} id="{_slug(content)}">{content}</h{level}>')
            i += 1
        elif line.startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
            start = i
            while i < len(lines) and lines[i].startswith("|"):
                i += 1
            blocks.append(_table(lines[start:i]))
        elif _LIST_ITEM.match(line) and not line.startswith("    "):
            start = i
            while i < len(lines) and lines[i].strip() and (_LIST_ITEM.match(lines[i]) or lines[i].startswith(" ")):
                i += 1
            blocks.append(_list(lines[start:i]))
        elif line.startswith(">"):
            quote = []
            while i < len(lines) and lines[i].startswith(">"):
                quote.append(lines[i][1:].strip())
                i += 1
            blocks.append(f"<blockquote><p>{inline(' '.join(quote))}</p></blockquote>")
        elif not line.strip():
            i += 1
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#{1,6}\s|```|\||>)", lines[i]) \
                    and not _LIST_ITEM.match(lines[i]):
                para.append(lines[i].strip())
                i += 1
            blocks.append(f"<p>{inline(' '.join(para))}</p>")
    return title, "\n".join(blocks)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="../demo/docs.css"></head>
<body><header class="docs-bar"><a class="brand" href="../">oncehub-bridge</a><nav aria-label="Docs">{nav}</nav></header>
<main class="doc">
{body}
</main></body></html>
"""


def render_all(src: Path, dest: Path) -> list[Path]:
    """Render every ``src/*.md`` into ``dest``; returns the pages written (stale pages are removed)."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.html"):
        old.unlink()
    sources = sorted(src.glob("*.md"), key=lambda p: (p.name.lower() != "readme.md", p.name))
    rendered = {md: markdown(md.read_text(encoding="utf-8")) for md in sources}
    labels = {md: "Overview" if md.name.lower() == "readme.md" else html.escape(title or md.stem)
              for md, (title, _) in rendered.items()}
    nav = " ".join(f'<a href="{page_name(md.name)}">{labels[md]}</a>' for md in sources)
    written = []
    for md, (title, body) in rendered.items():
        out = dest / page_name(md.name)
        title = title or md.stem
        title = title if "oncehub-bridge" in title else f"{title} · oncehub-bridge docs"
        out.write_text(PAGE.format(title=html.escape(title), nav=nav, body=body), encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    for page in render_all(root / "docs", root / "site" / "docs"):
        print(page.relative_to(root))
