"""korasean conflicts: every place where the sources disagree, side by side."""

from __future__ import annotations

from ..options import DataOpt, FormatOpt, JsonOpt, finish


def conflicts(fmt: FormatOpt = "auto", as_json: JsonOpt = False, data: DataOpt = None) -> None:
    """Every place where two sources disagree, side by side, with both quotes and where they stand.

    In JSON, one item per disagreement: {"records": [one record, the record that differs]}.

    Example: korasean conflicts
    """
    from ..actions.conflicts import run

    finish(run(fmt=fmt, as_json=as_json, data=data))
