"""The work behind `korasean timeline`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format
from ..views import event_rows


def run(
    from_: Optional[str],
    to: Optional[str],
    category: Optional[list[str]],
    source: Optional[str],
    grep: Optional[str],
    status: Optional[list[str]],
    limit: Optional[int],
    reverse: bool,
    fmt: str,
    as_json: bool,
    data: Optional[str],
    chart: bool = False,
    started: bool = False,
    undated: bool = False,
) -> int | None:
    from ...core.data.dates import parse_user_date
    from ...core.query import timeline as query
    from ...core.query import undated_count

    if chart:
        from ..charts import check_chart_format

        check_chart_format(fmt, as_json)
    fmt = output_format(fmt, as_json)
    start = parse_user_date(from_) if from_ is not None else None
    end = parse_user_date(to, end=True) if to is not None else None
    ds = dataset(data)
    events = query(
        ds, start, end, category, source, grep, limit, reverse, statuses=status, started=started, undated=undated
    )
    if chart:
        from ..charts import emit, timeline_chart, width_and_glyphs

        width, glyphs = width_and_glyphs()
        from datetime import date

        first = date.fromordinal(start).year if start is not None else None
        last = date.fromordinal(end).year if end is not None else None
        title = "ASEAN–ROK timeline: events per year, by category"
        emit(timeline_chart(events, width, glyphs, title, first, last), glyphs)
        return None
    title = "ASEAN–ROK timeline: undated events" if undated else "ASEAN–ROK timeline"
    if started and start is not None:
        title += f", started from {from_}"
    event_rows(ds, events, fmt, title=title)
    if start is not None or end is not None:  # a range cannot place an undated event: say what it left out
        left_out = undated_count(ds, category, source, grep, status)
        if left_out:
            import sys

            from ..render import plural

            sys.stderr.write(
                f"korasean: note: {plural(left_out, 'undated event')} left out by the date range; "
                "list them with --undated (instead of --from/--to)\n"
            )
    return None
