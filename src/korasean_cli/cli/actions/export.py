"""The work behind `korasean export`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..common import dataset

if TYPE_CHECKING:
    from datetime import datetime

    from ...core.data.model import Record
    from ...core.store.dataset import Dataset


def run(
    fmt: Optional[str],
    output: Optional[str],
    from_: Optional[str],
    to: Optional[str],
    category: Optional[list[str]],
    source: Optional[str],
    grep: Optional[str],
    data: Optional[str],
    kind: Optional[list[str]] = None,
    started: bool = False,
) -> int | None:
    import os
    import sys

    from ...core.data.dates import parse_user_date
    from ...core.data.text import shown_path
    from ...core.errors import UsageError
    from ...core.export import formats as ex
    from ...core.query import timeline as query

    if output == "-":
        output = None
    if fmt is None:
        if output is not None:
            ext = os.path.splitext(output)[1].lower()
            fmt = _BY_EXTENSION.get(ext)
            if fmt is None:
                raise UsageError(f"cannot tell the format from {output!r}: give --format ({', '.join(ex.FORMATS)})")
        else:
            fmt = "json"
    fmt = fmt.lower()
    if fmt not in ex.FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(ex.FORMATS)}")
    if fmt in ex.FILE_ONLY and output is None:
        raise UsageError(f"--format {fmt} writes a database file: give --output FILE (e.g. -o korasean.db)")
    if output is not None:
        target = os.path.abspath(os.path.expanduser(output))
        if os.path.isdir(target):
            raise UsageError(f"--output {output!r} is a folder: give a file name")
        if not os.path.isdir(os.path.dirname(target)):
            raise UsageError(f"--output {output!r}: folder {os.path.dirname(target)!r} does not exist")
        output = target

    start = parse_user_date(from_) if from_ is not None else None
    end = parse_user_date(to, end=True) if to is not None else None
    ds = dataset(data)
    events = query(ds, start, end, category, source, grep, started=started)
    others = _others(ds, kind, fmt, start, end, source, grep)
    filters: dict[str, Any] = {"from": from_, "to": to, "category": category or [], "source": source, "grep": grep}
    if started:  # recorded only when asked for: the files of the other exports stay as they were
        filters["started"] = True

    if fmt == "sqlite":
        assert output is not None
        db, meta = ex.write_sqlite(ds, events, output, filters)
        n_others = sum(1 for r in ds.records if r.kind != "event")
        db, meta = shown_path(db), shown_path(meta)
        sys.stderr.write(f"korasean: wrote {_events(len(events))} and {n_others} other records to {db}\n")
        sys.stderr.write(f"korasean: wrote Datasette metadata to {meta} (datasette {db} -m {meta})\n")
        return None

    skipped: list[tuple[str, str]] = []
    if fmt == "json":
        text = ex.to_json(ds, events, filters, others)
    elif fmt == "jsonl":
        text = ex.to_jsonl(ds, events, others)
    elif fmt == "csv":
        text = ex.to_csv(ds, events, others)
    elif fmt == "md":
        text = ex.to_markdown(ds, events, filters, others)
    elif fmt == "ics":
        text, skipped = ex.to_ics(ds, events, _stamp())
    elif fmt == "timelinejs":
        text, skipped = ex.to_timelinejs(ds, events, filters)
    else:
        text = ex.to_html(ds, events, filters, others)

    if skipped:
        ids = ", ".join(i for i, _ in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        n = len(skipped)
        sys.stderr.write(f"korasean: {n} undated event{'s' if n != 1 else ''} left out ({fmt} needs a date): {ids}\n")
    if output is None:
        _to_stdout(text)
        return None
    _write_file(output, text)
    sys.stderr.write(f"korasean: wrote {_events(len(events) - len(skipped))} to {shown_path(output)}\n")
    return None


_BY_EXTENSION = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".ics": "ics",
    ".ical": "ics",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".html": "html",
    ".htm": "html",
}


def _events(n: int) -> str:
    return f"{n} event{'s' if n != 1 else ''}"


def _stamp() -> datetime:
    """DTSTAMP for the calendar: now, or $SOURCE_DATE_EPOCH for reproducible files."""
    import os
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def _to_stdout(text: str) -> None:
    # Exact bytes (UTF-8, the CRLFs of iCalendar kept) whatever the terminal's encoding.
    import sys

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return None
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _write_file(path: str, text: str) -> None:
    from ...core.files import write_atomically

    def fill(target: str) -> None:
        with open(target, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    write_atomically(path, fill)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _others(
    ds: Dataset,
    kinds: Optional[list[str]],
    fmt: str,
    start: Optional[int],
    end: Optional[int],
    source: Optional[str],
    grep: Optional[str],
) -> list[Record]:
    """The records of the other kinds asked for with --kind, chosen by the same date range, source and text."""
    from ...core.data.model import KINDS
    from ...core.errors import UsageError
    from ...core.query import facts, grep_text

    if not kinds:
        return []
    wanted = [k.lower().rstrip("s") if k.lower() != "all" else "all" for k in kinds]
    others = [k for k in KINDS if k != "event" and ("all" in wanted or k in wanted)]
    unknown = [k for k in wanted if k not in KINDS and k != "all"]
    if unknown:
        raise UsageError(
            f"unknown --kind {unknown[0]!r}; valid kinds: {', '.join(k for k in KINDS if k != 'event')} or all"
        )
    if others and fmt in ("ics", "timelinejs"):
        raise UsageError(f"--format {fmt} holds events only: drop --kind, or use json, jsonl, csv, md or html")
    if fmt == "sqlite":
        return []  # the database has every record of every kind anyway
    found = facts(ds, others, source)
    if start is not None or end is not None:
        found = [
            r for r in found if r.span and (start is None or r.span[1] >= start) and (end is None or r.span[0] <= end)
        ]
    if grep:
        found = [r for r in found if grep.lower() in grep_text(r)]
    return found
