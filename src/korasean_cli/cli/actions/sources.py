"""The work behind `korasean sources`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Any, Optional

from ..common import dataset, styled_format


def run(
    source_id: Optional[str],
    style: Optional[str],
    fmt: str,
    as_json: bool,
    data: Optional[str],
    markup: str = "plain",
) -> int | None:
    from ...core.data.dates import display
    from ...core.data.serialize import source_dict
    from ...core.errors import NotFound
    from ..render import Column, emit_blocks, emit_json, emit_jsonl, emit_rows, write

    style = style.lower() if style is not None else None  # names of styles and formats: any case
    fmt = styled_format(style, fmt, as_json, "reference", markup)
    ds = dataset(data)
    _COLUMNS, _MORE_COLUMNS = _columns()
    if source_id is not None:
        s = ds.sources.get(source_id.strip())
        if s is None:
            import difflib

            raise NotFound(f"no source {source_id!r}", difflib.get_close_matches(source_id, list(ds.sources), 3, 0.4))
        if style is not None:
            from ...core.data.citations import format_source

            if fmt in ("csv", "md"):
                emit_rows(
                    [{"id": s.id, "reference": format_source(s, style, markup=markup)}],
                    [Column("ID", "id"), Column(f"Reference ({style})", "reference")],
                    fmt,
                    [],
                )
            else:
                write(format_source(s, style, markup=markup))
            return None
        if fmt in ("json", "jsonl"):
            emit_json(source_dict(s)) if fmt == "json" else emit_jsonl([source_dict(s)])
            return None
        if fmt in ("csv", "md"):  # one row: the source, as the list shows it, and all that is known of it
            emit_rows([_row(s)], [*_COLUMNS, *_MORE_COLUMNS], fmt, [])
            return None
        lines = [
            ("id", s.id),
            ("title", s.title),
            ("kind", s.kind),
            ("publisher", s.publisher or "(not stated)"),
            ("author", s.author or "(not stated)"),
            ("date", display(s.date) if s.date else "(not stated)"),
            ("file", s.file),
            ("sha256", s.sha256),
            ("stated in text", ", ".join(s.stated) or "(none)"),
        ]
        lines += [(f"inferred {k}", v) for k, v in s.inferred.items()]
        if s.note:
            lines.append(("note", s.note))
        lines += [("quote", f"“{c.quote}” (line {c.line})") for c in s.quotes]
        emit_blocks([(s.title, lines)], fmt)
        return None
    if style is not None:
        from ...core.data.citations import format_source, format_sources

        if fmt in ("csv", "md"):
            rows = [{"id": s.id, "reference": format_source(s, style, markup=markup)} for s in ds.sources.values()]
            emit_rows(rows, [Column("ID", "id"), Column(f"Reference ({style})", "reference")], fmt, [])
        else:
            write(format_sources([(s, []) for s in ds.sources.values()], style, markup))
        return None
    from ..views import date_width

    rows = [_row(s) for s in ds.sources.values()]
    columns = list(_COLUMNS)
    columns[-1] = columns[-1]._replace(min_width=date_width(row["date"] for row in rows))
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("File", "file"))
    emit_rows(rows, columns, fmt, [source_dict(s) for s in ds.sources.values()], title="Sources")
    return None


def _row(s: Any) -> dict[str, str]:
    from ...core.data.humanize import source_date

    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        "publisher": s.publisher or "",
        "author": s.author or "",
        "date": (source_date(s) if s.date else "") + (" (inferred)" if "date" in s.inferred else ""),
        "file": s.file,
        "sha256": s.sha256,
        "stated": ", ".join(s.stated),
        "inferred": "\n".join(f"{k}: {v}" for k, v in s.inferred.items()),
        "note": s.note or "",
    }


def _columns() -> tuple[list[Any], list[Any]]:
    from ..render import Column

    return (
        [
            Column("ID", "id"),
            Column("Title", "title"),
            Column("Publisher", "publisher", optional=True),
            Column("Author", "author", optional=True),
            Column("Date", "date"),
        ],
        [
            Column("File", "file"),
            Column("Kind", "kind"),
            Column("SHA-256", "sha256"),
            Column("Stated in text", "stated"),
            Column("Inferred", "inferred"),
            Column("Note", "note"),
        ],
    )
