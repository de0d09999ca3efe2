"""`python -m korasean_cli` and the `korasean` console script."""

from __future__ import annotations

import sys


def main() -> None:
    from .cli.app import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
