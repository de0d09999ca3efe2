"""`python -m korasean_cli` and the `korasean` console script."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli.fast import try_fast

        code = try_fast(sys.argv[1:])
        if code is None:
            from .cli.app import main as run

            code = run()
    except KeyboardInterrupt:  # Ctrl-C while importing, or after the CLI's own boundary
        code = 130
        try:
            sys.stderr.write("korasean: interrupted\n")
        except (AttributeError, OSError, ValueError):
            pass
    sys.exit(code)


if __name__ == "__main__":
    main()
