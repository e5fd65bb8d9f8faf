"""``python -m mlp.lab [--port N] [--host H] [--no-browser]``: serve the live lab."""

from __future__ import annotations

import argparse
import sys

from mlp.lab import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chainrule-lab", description=(
        "Serve chainrule's live lab: watch a network learn, its graph, weights and gradients."))
    parser.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to serve on (default 127.0.0.1: this machine only)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be from 0 to 65535, got {args.port}")
    try:
        serve(args.host, args.port, open_browser=not args.no_browser)
    except OSError as e:
        print(f"chainrule-lab: cannot serve on {args.host}:{args.port}: {e.strerror}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
