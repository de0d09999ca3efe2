"""The work behind `korasean sources`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

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
    from ..render import Column, emit_blocks, emit_json, emit_rows, write

    style = style.lower() if style is not None else None  # names of styles and formats: any case
    fmt = styled_format(style, fmt, as_json, "reference", markup)
    ds = dataset(data)
    if source_id is not None:
        s = ds.sources.get(source_id.strip())
        if s is None:
            import difflib

            raise NotFound(f"no source {source_id!r}", difflib.get_close_matches(source_id, list(ds.sources), 3, 0.4))
        if style is not None:
            from ...core.data.citations import format_source

            write(format_source(s, style, markup=markup))
            return None
        if fmt in ("json", "jsonl"):
            emit_json(source_dict(s))
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
        from ...core.data.citations import format_sources

        write(format_sources([(s, []) for s in ds.sources.values()], style, markup))
        return None
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher or "",
            "author": s.author or "",
            "date": (display(s.date) if s.date else "") + (" (inferred)" if "date" in s.inferred else ""),
            "file": s.file,
        }
        for s in ds.sources.values()
    ]
    columns = [
        Column("ID", "id"),
        Column("Title", "title"),
        Column("Publisher", "publisher", optional=True),
        Column("Author", "author", optional=True),
        Column("Date", "date"),
    ]
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("File", "file"))
    emit_rows(rows, columns, fmt, [source_dict(s) for s in ds.sources.values()], title="Sources")
    return None
