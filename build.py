#!/usr/bin/env python3
"""Build tooling for oncehub-bridge (Python standard library only).

    python3 build.py [build]     assemble site/dist/ from the pinned inputs in runtime.lock.json
    python3 build.py lock        re-fetch every input and rewrite runtime.lock.json
    python3 build.py serve       build site/dist/ and the docs, then serve site/ (demo at /, docs at /docs/, bundle at /dist/) on
                                 --port (8000) and the simulated booking page on --port + 1
    python3 build.py docs        build the docs site (MkDocs, Material theme) into site/docs/
    python3 build.py test        install what the tests need if missing, build, run pytest
    python3 build.py bench       build if needed, then benchmark the bundle against hand-written JS
                                 (tests/bench/run_bench.py; --runs N cold runs per page, default 5)

Inputs are fetched once with the ordinary registry clients (`npm pack`, `pip download`) into a cache
outside the repo (~/.cache/oncehub-bridge, or $ONCEHUB_BRIDGE_CACHE) and checked against the sha256 in
runtime.lock.json on every build, so a rebuild is offline and takes seconds.

This file is the command line; the work is done in tools/ (pins, inputs, wheels, bundle, serve, testing).
Other code may `import build` and use `build`, `start_server`, `start_demo_servers`, `CHROMIUM`,
`chromium_args` and `ROOT`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:  # so that `tools` imports however this file is run or imported
    sys.path.insert(0, HERE)

from tools.bundle import build  # noqa: E402
from tools.docs import build_docs  # noqa: E402
from tools.inputs import lock  # noqa: E402
from tools.project import ROOT, BuildError  # noqa: E402
from tools.serve import serve, start_demo_servers, start_server  # noqa: E402
from tools.testing import CHROMIUM, bench, chromium_args, test  # noqa: E402

__all__ = ["CHROMIUM", "ROOT", "build", "chromium_args", "main", "start_demo_servers", "start_server"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="assemble site/dist/ (the default)")
    sub.add_parser("lock", help="re-fetch every input and rewrite runtime.lock.json")
    sub.add_parser("docs", help="build the docs site into site/docs/")
    p_serve = sub.add_parser("serve", help="build, then serve the demo site/ on --port and --port + 1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    sub.add_parser("test", help="install what the tests need if missing, build, run pytest "
                                "(extra arguments go to pytest)")
    sub.add_parser("bench", add_help=False, help="build if needed, then benchmark the bundle against a hand-written JS handler "
                                 "(extra arguments go to tests/bench/run_bench.py, e.g. --runs 3)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    try:
        if args.command in (None, "build"):
            build()
        elif args.command == "lock":
            lock()
        elif args.command == "docs":
            build_docs()
        elif args.command == "serve":
            try:
                serve(args.host, args.port)
            except OSError as e:
                raise BuildError(f"cannot serve on {args.host}:{args.port}: {e}") from None
        elif args.command == "test":
            return test(extra)
        elif args.command == "bench":
            return bench(extra)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
