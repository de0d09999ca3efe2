"""Questions asked of a Dataset: plain functions returning records or plain dicts."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from .dates import parse_edtf
from .errors import NotFound, UsageError
from .humanize import event_row
from .model import EVENT_CATEGORIES, KINDS, Dataset, Record, fund_keys

ECONOMIC_METRICS = ("trade", "trade-growth", "investment", "fdi", "fdi-growth", "ranking")


def _suggest(word: str, choices: list[str], n: int = 3) -> list[str]:
    lowered = {c.lower(): c for c in choices}
    import difflib  # only when a name is not found

    return [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)]


class EventList(Sequence[Record]):
    """Events chosen by a query: positions among the dataset's events, decoded only when read.

    From a compiled store, ``rows`` and ``json_text`` come ready-made, so a timeline of
    any length is printed without building its records.
    """

    def __init__(self, ds: Dataset, positions: list[int]) -> None:
        self.ds = ds
        self.positions = positions
        store = ds.store
        self._base = store.meta["kinds"].get("event", (0, 0))[0] if store is not None else 0

    def __len__(self) -> int:
        return len(self.positions)

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | Sequence[Record]:
        if isinstance(i, slice):
            return [self._record(k) for k in self.positions[i]]
        return self._record(self.positions[i])

    def __iter__(self) -> Iterator[Record]:
        if self.ds.store is None or len(self.positions) > 64:
            events = self.ds.of_kind("event")
            return (events[k] for k in self.positions)
        return (self._record(k) for k in self.positions)

    def _record(self, k: int) -> Record:
        if self.ds.store is None:
            return self.ds.of_kind("event")[k]
        return self.ds.records[self._base + k]

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """Display cells of each event (humanize.event_row), in order."""
        store = self.ds.store
        if store is None:
            return [event_row(r) for r in self]
        # each event's cells are an item of their own: a short timeline of a big dataset reads
        # only its own rows
        decode = store.decode
        return [
            decode(item, "an event row") for lo, hi in self._position_runs() for item in store.items("ev_row", lo, hi)
        ]

    def json_text(self) -> list[bytes | memoryview] | None:
        """The events' --json list, exactly as emit_json prints it, in pieces; None without a store.

        Stored fragments end with the list separator, so a run of consecutive events is one
        slice of the store: a whole timeline is copied, not rebuilt.
        """
        if self.ds.store is None:
            return None
        if not self.positions:
            return [b"[]\n"]
        runs: list[bytes | memoryview] = list(self._runs("ev_json"))
        runs[-1] = memoryview(runs[-1])[: len(runs[-1]) - len(_SEP)]  # a view: no copy of the whole
        return [b"[\n", *runs, b"\n]\n"]

    def plain_text(self) -> list[bytes] | None:
        """The events' plain lines (text.plain_line, newline-ended) in pieces; None without a store."""
        if self.ds.store is None:
            return None
        return self._runs("ev_plain") if self.positions else []

    def _runs(self, section: str) -> list[bytes]:
        """The items of an indexed event section at self.positions, one piece per consecutive run."""
        store = self.ds.store
        return [store.span(section, lo, hi) for lo, hi in self._position_runs()]

    def _position_runs(self) -> list[tuple[int, int]]:
        """self.positions as runs of consecutive positions, [lo, hi) each."""
        pos = self.positions
        if not pos:
            return []
        if pos[-1] - pos[0] == len(pos) - 1 and all(b - a == 1 for a, b in zip(pos, pos[1:], strict=False)):
            return [(pos[0], pos[-1] + 1)]  # a date range: one run
        out = []
        run = 0
        for j in range(1, len(pos) + 1):
            if j == len(pos) or pos[j] != pos[j - 1] + 1:
                out.append((pos[run], pos[j - 1] + 1))
                run = j
        return out


_SEP = b",\n"


def timeline(
    ds: Dataset,
    start: int | None = None,
    end: int | None = None,
    categories: list[str] | None = None,
    source: str | None = None,
    grep: str | None = None,
    limit: int | None = None,
    reverse: bool = False,
) -> EventList:
    """Events whose span overlaps [start, end] (day ordinals), in chronological order.

    Undated events are listed last, and only when no date range is asked for.
    """
    if start is not None and end is not None and start > end:
        raise UsageError("--from is after --to: swap them or widen the range")
    if limit is not None and limit < 1:
        # 0 is refused rather than read as "none" or as "no limit": either could be meant
        raise UsageError("--limit must be 1 or more (leave it out to list every event)")
    if categories:
        for c in categories:
            if c not in EVENT_CATEGORIES:
                raise UsageError(f"unknown category {c!r}; valid categories: {', '.join(EVENT_CATEGORIES)}")
    if source is not None and source not in ds.sources:
        raise UsageError(f"unknown source {source!r}; valid sources: {', '.join(ds.sources)}")
    los, his = _event_spans(ds)
    # undated events span (UNDATED): after every end, before every start, so any range drops them
    if start is None and end is None:
        keep = list(range(len(los)))
    elif end is None:
        keep = [k for k, hi in enumerate(his) if hi >= start]  # type: ignore[operator]
    elif start is None:
        keep = [k for k, lo in enumerate(los) if lo <= end]
    else:
        keep = [k for k, (lo, hi) in enumerate(zip(los, his, strict=True)) if hi >= start and lo <= end]
    store = ds.store
    events = ds.of_kind("event") if store is None else ()
    if categories:
        if store is None:
            keep = [k for k in keep if events[k].category in categories]
        else:
            wanted = {EVENT_CATEGORIES.index(c) for c in categories}
            cats = store.raw("ev_cat")
            keep = [k for k in keep if cats[k] in wanted]
    if source:
        if store is None:
            keep = [k for k in keep if any(c.source == source for c in events[k].citations)]
        else:
            srcs = store.obj("ev_src")
            keep = [k for k in keep if source in srcs[k]]
    if grep:
        needle = grep.lower()
        if store is None:
            from .compiled import grep_text

            keep = [k for k in keep if needle in grep_text(events[k])]
        else:
            texts = store.items("ev_grep")
            keep = [k for k in keep if needle in str(texts[k], "utf-8")]
    if reverse:
        from .compiled import UNDATED

        dated = [k for k in keep if los[k] != UNDATED[0]]
        keep = dated[::-1] + [k for k in keep if los[k] == UNDATED[0]]
    return EventList(ds, keep[:limit] if limit is not None else keep)


def _event_spans(ds: Dataset) -> tuple[Sequence[int], Sequence[int]]:
    """First and last day of every event, in order; compiled.UNDATED for an undated one."""
    from .compiled import UNDATED

    store = ds.store
    if store is None:
        spans = [r.span or UNDATED for r in ds.of_kind("event")]
        return [lo for lo, _ in spans], [hi for _, hi in spans]
    flat = store.array("ev_span", "q")
    return flat[0::2], flat[1::2]


def facts(ds: Dataset, kinds: list[str] | None = None, source: str | None = None) -> list[Record]:
    for k in kinds or []:
        if k not in KINDS:
            raise UsageError(f"unknown kind {k!r}; valid kinds: {', '.join(KINDS)}")
    if source is not None and source not in ds.sources:
        raise UsageError(f"unknown source {source!r}; valid sources: {', '.join(ds.sources)}")
    chosen = [k for k in KINDS if not kinds or k in kinds]
    return [
        r for kind in chosen for r in ds.of_kind(kind) if source is None or any(c.source == source for c in r.citations)
    ]


def show(ds: Dataset, record_id: str) -> Record:
    r = ds.get(record_id)
    if r is None:
        raise NotFound(f"no record with id {record_id!r}", _suggest(record_id, [x.id for x in ds.records]))
    return r


# -- funds ---------------------------------------------------------------------------


def funds(ds: Dataset) -> list[Record]:
    return list(ds.of_kind("fund"))


def contributions_to(ds: Dataset, fund_id: str) -> list[Record]:
    store = ds.store
    if store is not None:  # the store lists each fund's contributions
        return [ds.records[i] for i in store.lookup("by_fund", fund_id) or ()]
    return [r for r in ds.of_kind("contribution") if r.attrs.get("fund") == fund_id]


def find_fund(ds: Dataset, name: str) -> Record:
    """A fund by id, acronym, name or alias, any case; NotFound with suggestions."""
    key = " ".join(name.lower().split())
    store = ds.store
    if store is not None and key:
        i = store.lookup("fund_names", key)
        if i is not None:
            return ds.records[i]
    candidates: dict[str, Record] = {}
    for f in funds(ds):
        for k in fund_keys(f.id, f.attrs):
            candidates[k] = f  # a later fund of the same name wins, as in the store's index
    if key in candidates:
        return candidates[key]
    partial = {f.id: f for k, f in candidates.items() if key and key in k}
    if len(partial) == 1:
        return next(iter(partial.values()))
    by_words = _fund_by_words(name, candidates)
    if by_words is not None:
        return by_words
    labels = sorted({f.attrs.get("acronym") or f.id for f in funds(ds)})
    sugg = _suggest(name, [k for k in candidates]) or []
    pretty = []
    for s in sugg:
        f = candidates[s]
        pretty.append(f.attrs.get("acronym") or f.id)
    if len(partial) > 1:
        pretty = sorted(p.attrs.get("acronym") or p.id for p in partial.values())
    raise NotFound(
        f"no fund called {name!r}; funds: {', '.join(labels)}",
        list(dict.fromkeys(pretty)),
    )


def _fund_by_words(name: str, candidates: dict[str, Record]) -> Record | None:
    """The one fund whose name has the same words as name, as search reads words ("Korea" is
    "ROK", "Future Oriented" is "Future-Oriented"), else the one whose name holds them all."""
    from .search import tokens

    want = set(tokens(name))
    if not want:
        return None
    same: dict[str, Record] = {}
    holding: dict[str, Record] = {}
    for k, f in candidates.items():
        have = set(tokens(k))
        if have == want:
            same[f.id] = f
        elif want < have:
            holding[f.id] = f
    for found in (same, holding):
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            return None  # more than one: the user is asked which
    return None


class FundStory(NamedTuple):
    fund: Record
    predecessors: list[Record]  # funds merged into this one
    successor: Record | None  # the fund this one was merged into
    contributions: list[Record]
    totals: list[dict[str, Any]]  # computed sums, only where well defined


def fund_story(ds: Dataset, name: str) -> FundStory:
    f = find_fund(ds, name)
    preds = [ds.get(x) for x in f.attrs.get("merged_from") or []]
    succ = ds.get(f.attrs["merged_into"]) if f.attrs.get("merged_into") else None
    contribs = contributions_to(ds, f.id)
    return FundStory(f, [p for p in preds if p is not None], succ, contribs, _totals(contribs))


def _totals(contribs: list[Record]) -> list[dict[str, Any]]:
    """Sum of one-off and initial amounts per currency, the only sum the data supports.

    Annual or "doubled to" amounts have no stated end, so they are never added up.
    """
    by_cur: dict[str, list[Record]] = {}
    for c in contribs:
        if c.attrs.get("basis") in ("initial", "one-off"):
            by_cur.setdefault(str(c.attrs.get("currency")), []).append(c)
    out = []
    for cur, items in by_cur.items():
        if len(items) < 2:
            continue
        out.append(
            {
                "derived": True,
                "currency": cur,
                "amount": sum(float(c.attrs["amount"]) for c in items),
                "of": [c.id for c in items],
                "how": "sum of the stated one-off and initial contributions; recurring ones are not added",
            }
        )
    return out


# -- trade and other figures ----------------------------------------------------------


def trade(
    ds: Dataset, year: int | None = None, metric: str | None = None, derived: bool = False
) -> list[dict[str, Any]]:
    """Economic figures (trade, investment, FDI, growth, rankings), each with whose figure it is.

    With ``derived``, figures the data implies are added, marked as derived: the previous
    year's value implied by a value and its stated growth rate.
    """
    metrics: tuple[str, ...] = ECONOMIC_METRICS
    if metric is not None:
        if metric not in ECONOMIC_METRICS:
            raise UsageError(f"unknown metric {metric!r}; valid metrics: {', '.join(ECONOMIC_METRICS)}")
        metrics = (metric,)
    figs = [r for r in ds.of_kind("figure") if r.attrs.get("metric") in ECONOMIC_METRICS]
    rows: list[dict[str, Any]] = [{"record": r, "derived": False} for r in figs if r.attrs.get("metric") in metrics]
    if derived:
        rows += [d for d in _derive(figs) if d["metric"] in metrics]
    if year is not None:
        rows = [row for row in rows if _covers_year(row, year)]
    return rows


def _covers_year(row: dict[str, Any], year: int) -> bool:
    date = row["record"].date if not row["derived"] else row["date"]
    if not date:
        return False
    d = parse_edtf(date)
    lo = d.start.year if d.start else -9999
    hi = d.end.year if d.end else 9999
    return lo <= year <= hi


def _derive(figs: list[Record]) -> list[dict[str, Any]]:
    """Previous-year values implied by a value and its growth rate over that year."""
    out = []
    growth_of = {"trade": "trade-growth", "fdi": "fdi-growth"}
    for value_rec in figs:
        gm = growth_of.get(str(value_rec.attrs.get("metric")))
        if not gm or value_rec.attrs.get("value") is None or not value_rec.date:
            continue
        for g in figs:
            if g.attrs.get("metric") != gm or g.date != value_rec.date or g.attrs.get("value") is None:
                continue
            if set(c.source for c in g.citations) != set(c.source for c in value_rec.citations):
                continue
            try:
                year = int(value_rec.date[:4])
            except ValueError:
                continue
            prev = float(value_rec.attrs["value"]) / (1 + float(g.attrs["value"]) / 100)
            out.append(
                {
                    "derived": True,
                    "record": value_rec,
                    "id": f"derived-{value_rec.id}-previous-year",
                    "metric": value_rec.attrs["metric"],
                    "title": f"{value_rec.title} (implied, {year - 1})",
                    "value": round(prev, -6) if prev > 1e7 else round(prev, 2),
                    "unit": value_rec.attrs.get("unit"),
                    "date": str(year - 1),
                    "how": f"{value_rec.id} / (1 + {g.attrs['value']}/100), from {g.id}; rounded",
                    "from": [value_rec.id, g.id],
                }
            )
    return out


# -- glossary and sources -----------------------------------------------------------------


def glossary(ds: Dataset, term: str | None = None) -> list[Record]:
    terms = list(ds.of_kind("term"))
    terms.sort(key=lambda r: str(r.attrs.get("term", "")).lower())
    if term is None:
        return terms
    key = term.strip().lower()
    if not key:  # '' would match every term without an expansion: a silent wrong answer
        raise UsageError("the term is empty: give an acronym or a name, or no TERM for the whole glossary")
    exact = [
        r
        for r in terms
        if key
        in [str(r.attrs.get("term", "")).lower(), str(r.attrs.get("expansion") or "").lower(), r.id]
        + [str(v).lower() for v in r.attrs.get("variants") or []]
    ]
    if exact:
        return exact
    part = [r for r in terms if key and key in (r.title + " " + " ".join(r.attrs.get("variants") or [])).lower()]
    if part:
        return part
    raise NotFound(
        f"no glossary entry for {term!r}",
        _suggest(term, [str(r.attrs.get("term", "")) for r in terms]),
    )


def related(ds: Dataset, r: Record) -> list[tuple[str, Record]]:
    """Records linked to r: ('differs', x) where sources disagree, ('see also', x) otherwise."""
    out: list[tuple[str, Record]] = []
    seen = {r.id}
    for rel, ids in (("differs", r.differs_from), ("see also", r.see_also)):
        for i in ids:
            x = ds.get(i)
            if x is not None and x.id not in seen:
                out.append((rel, x))
                seen.add(x.id)
    for x in _linking_to(ds, r):  # links are followed both ways
        if x.id in seen:
            continue
        if r.id in x.differs_from:
            out.append(("differs", x))
            seen.add(x.id)
        elif r.id in x.see_also:
            out.append(("see also", x))
            seen.add(x.id)
    return out


def differing_ids(ds: Dataset, r: Record) -> list[str]:
    """Ids of the records whose sources disagree with r's, either way round (no record is built)."""
    ids = list(r.differs_from)
    store = ds.store
    if store is None:
        ids += [x.id for x in ds.records if r.id in x.differs_from]
    else:
        ids += [src for rel, src in store.lookup("links", r.id) or () if rel == "differs"]
    return list(dict.fromkeys(ids))


def with_differing_next(ds: Dataset, ranked: list[Any], key: Callable[[Any], Record]) -> list[tuple[Any, str | None]]:
    """Where two sources differ, both are shown: each item whose record another source contradicts
    is followed directly by that source's record, when it is in the list at all (lower down).
    Pairs (item, the id of the record it was moved up to follow, or None)."""
    by_id = {key(x).id: x for x in ranked}
    where = {rid: k for k, rid in enumerate(by_id)}
    incoming = _differs_into(ds) if ds.store is None else None
    out: list[tuple[Any, str | None]] = []
    placed: set[str] = set()
    for x in ranked:
        r = key(x)
        if r.id in placed:
            continue
        out.append((x, None))
        placed.add(r.id)
        others = differing_ids(ds, r) if incoming is None else [*r.differs_from, *incoming.get(r.id, ())]
        for other in others:
            if other in by_id and other not in placed:
                # named only when it jumps over something: already next, it is in score order
                jumped = any(rid not in placed for rid in list(by_id)[where[r.id] + 1 : where[other]])
                out.append((by_id[other], r.id if jumped else None))
                placed.add(other)
    return out


def _differs_into(ds: Dataset) -> dict[str, list[str]]:
    """id -> the ids of the records that say they differ from it (once per call, without a store)."""
    into: dict[str, list[str]] = {}
    for x in ds.records:
        for target in x.differs_from:
            into.setdefault(target, []).append(x.id)
    return into


def _linking_to(ds: Dataset, r: Record) -> list[Record]:
    """Records that may link to r, in dataset order: from the store's link index, or all."""
    store = ds.store
    if store is None:
        return list(ds.records)
    found = {src for _rel, src in store.lookup("links", r.id) or ()}
    positions = [store.lookup("ids", x) for x in found]
    return [ds.records[i] for i in sorted(p for p in positions if p is not None)]
