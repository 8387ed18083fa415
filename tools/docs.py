"""The docs site: docs/*.md built by MkDocs with the Material theme (mkdocs.yml) into site/docs/, where the demo
server serves it at /docs/ (`python3 build.py docs`; `serve` runs it first).

The docs tool lives in the project's environment (.venv, tools/environment.py), so the first run fills that once.
docs/config.md is generated from the config models (`python -m bridge.schema`); a unit test keeps it current.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tools.environment import ensure_environment
from tools.project import ROOT, SITE, BuildError, log, run

CONFIG = ROOT / "mkdocs.yml"
DOCS_SITE = SITE / "docs"


def build_docs(python: Path | None = None) -> Path:
    """Build the docs site into site/docs/ (strict: a broken link or a page missing from the nav fails the build).
    Returns the folder. `python` is an interpreter that has the docs tool; .venv's by default."""
    python = python or ensure_environment("docs")
    t0 = time.monotonic()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # the theme's notice about its successor, on every build
    try:
        run([str(python), "-m", "mkdocs", "build", "--quiet", "--clean", "--config-file", str(CONFIG),
             "--site-dir", str(DOCS_SITE)], cwd=ROOT, env=env)
    except BuildError as e:
        raise BuildError(f"the docs did not build: {e}") from None
    pages = len(list(DOCS_SITE.glob("*.html")))
    log("docs", f"{pages} pages built into {DOCS_SITE.relative_to(ROOT)}/ ({time.monotonic() - t0:.1f} s)")
    return DOCS_SITE
