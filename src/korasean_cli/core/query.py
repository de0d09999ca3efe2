"""Questions asked of a Dataset: plain functions returning records or plain dicts."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from .data.dates import parse_edtf
from .data.model import EVENT_CATEGORIES, KINDS, STATUSES, Record, fund_keys
from .errors import DataError, DateError, NotFound, UsageError
from .store.dataset import Dataset

ECONOMIC_METRICS = ("trade", "trade-growth", "investment", "fdi", "fdi-growth", "ranking")


def _suggest(word: str, choices: list[str], n: int = 3) -> list[str]:
    lowered = {c.lower(): c for c in choices}
    import difflib  # only when a name is not found

    return [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)]


def _singular(word: str) -> str:
    for end, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + repl
    return word


def resolve_choice(value: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    """The choice value names, forgiving case, spaces, underscores and a plural ("Summits" ->
    a "did you mean" listing the summit categories); UsageError (exit 2) with suggestions otherwise."""
    key = "-".join(value.strip().lower().replace("_", " ").split())
    by_key = {c.lower(): c for c in choices}
    for attempt in (key, _singular(key), "-".join(_singular(w) for w in key.split("-"))):
        if attempt in by_key:
            return by_key[attempt]
    import difflib

    stem = _singular(key)
    near = [c for c in choices if stem and stem in c.lower()]  # "summit": asean-rok-summit, other-summit
    near += [c for c in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6) if c not in near]
    hint = f" (did you mean: {', '.join(near[:4])}?)" if near else ""
    many = {"category": "categories", "status": "statuses"}.get(what, what + "s")
    raise UsageError(f"unknown {what} {value!r}{hint}; valid {many}: {', '.join(choices)}")


def timeline(
    ds: Dataset,
    start: int | None = None,
    end: int | None = None,
    categories: list[str] | None = None,
    source: str | None = None,
    grep: str | None = None,
    limit: int | None = None,
    reverse: bool = False,
    statuses: list[str] | None = None,
    started: bool = False,
    undated: bool = False,
) -> list[Record]:
    """Events whose span overlaps [start, end] (day ordinals), in chronological order.

    Undated events are listed last, and only when no date range is asked for; with ``undated``,
    only they are listed. With ``started``, only events that began within the range: "since
    1994" is not an event of 2024 then, nor is a 2021-2025 plan one of 2022.
    """
    if start is not None and end is not None and start > end:
        raise UsageError("--from is after --to: swap them or widen the range")
    if undated and (start is not None or end is not None):
        raise UsageError("--undated lists the events that have no date: drop --from/--to")
    if limit is not None and limit < 1:
        # 0 is refused rather than read as "none" or as "no limit": either could be meant
        raise UsageError("--limit must be 1 or more (leave it out to list every event)")
    where, args = _event_filters(ds, categories, source, statuses)
    if undated:
        where.append("span_lo IS NULL")
    if start is not None:
        where.append("span_hi >= ?")
        args.append(start)
    if end is not None:
        where.append("span_lo <= ?")
        args.append(end)
    # undated events (no span) sort last, and any date range leaves them out; newest first reverses
    # the dated ones only
    order = "span_lo IS NULL, CASE WHEN span_lo IS NULL THEN pos ELSE -pos END" if reverse else "pos"
    begins_after = start if started else None
    if not grep and begins_after is None:  # the limit is the database's to apply: a short timeline reads only its rows
        return ds.select(" AND ".join(where), args, limit, order)
    needle = (grep or "").lower()
    events = [
        r
        for r in ds.select(" AND ".join(where), args, None, order)
        if (not needle or needle in grep_text(r)) and (begins_after is None or begins_after <= _last_start_day(r))
    ]
    return events[:limit] if limit is not None else events


def _last_start_day(r: Record) -> int:
    """The last day on which r can have started, at its date's precision: 2024 may have begun
    on 31 Dec 2024; "since 1994" and "2021/2025" began in 1994 and 2021."""
    try:
        first = parse_edtf(r.date or "").start
    except DateError:
        first = None
    if first is None:  # "../2010": the start is unknown, so it cannot be shown to fall in the range
        return -1
    return first.last_day()


def _event_filters(
    ds: Dataset, categories: list[str] | None, source: str | None, statuses: list[str] | None
) -> tuple[list[str], list[object]]:
    """The SQL conditions (and their arguments) of timeline's filters other than dates."""
    if categories:
        categories = [resolve_choice(c, EVENT_CATEGORIES, "category") for c in categories]
    if source is not None:
        source = resolve_choice(source, list(ds.sources), "source")
    where: list[str] = ["kind = 'event'"]
    args: list[object] = []
    if categories:
        where.append(f"category IN ({','.join('?' * len(categories))})")
        args.extend(categories)
    if source:
        where.append("id IN (SELECT record_id FROM citations WHERE source = ?)")
        args.append(source)
    if statuses:
        statuses = [resolve_choice(st, STATUSES, "status") for st in statuses]
        where.append(f"status IN ({','.join('?' * len(statuses))})")
        args.extend(statuses)
    return where, args


def undated_count(
    ds: Dataset,
    categories: list[str] | None = None,
    source: str | None = None,
    grep: str | None = None,
    statuses: list[str] | None = None,
) -> int:
    """How many events without a date the other filters would let through (a date range leaves them out)."""
    where, args = _event_filters(ds, categories, source, statuses)
    where.append("span_lo IS NULL")
    if not grep:
        return int(ds.rows(f"SELECT COUNT(*) FROM records WHERE {' AND '.join(where)}", args)[0][0])
    needle = grep.lower()
    return sum(1 for r in ds.select(" AND ".join(where), args) if needle in grep_text(r))


def grep_text(r: Record) -> str:
    """What --grep looks in: the title and quotes, lower-cased."""
    return (r.title + " " + " ".join(c.quote for c in r.citations)).lower()


def facts(
    ds: Dataset,
    kinds: list[str] | None = None,
    source: str | None = None,
    limit: int | None = None,
    speakers: list[str] | None = None,
) -> list[Record]:
    """Records of the given kinds (all by default), citing source if given, in dataset order.

    With speakers, only statements by one of them: each matches a speaker whose name holds its
    words, any case ("yoon" is Yoon Suk Yeol)."""
    kinds = [resolve_choice(k, KINDS, "kind") for k in kinds or []]
    if source is not None:
        source = resolve_choice(source, list(ds.sources), "source")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more (leave it out to list every record)")
    if speakers:
        if kinds and "statement" not in kinds:
            raise UsageError("--speaker selects statements: add --kind statement, or drop --kind")
        kinds = ["statement"]
    chosen = [k for k in KINDS if not kinds or k in kinds]
    where = [f"kind IN ({','.join('?' * len(chosen))})"]
    args: list[object] = list(chosen)
    if source is not None:
        where.append("id IN (SELECT record_id FROM citations WHERE source = ?)")
        args.append(source)
    if speakers:
        names = {str(r.attrs.get("speaker") or "") for r in ds.of_kind("statement")}
        wanted = sorted({n for n in names for sp in speakers if _holds_words(n, sp)})
        if not wanted:
            close = [n for n in sorted(names) if any(_near_words(n, sp) for sp in speakers)]
            raise NotFound(
                f"no statement by {', '.join(map(repr, speakers))}; speakers: {', '.join(sorted(names))}", close
            )
        where.append(f"json_extract(body, '$.attrs.speaker') IN ({','.join('?' * len(wanted))})")
        args.extend(wanted)
    return ds.select(" AND ".join(where), args, limit)


def speakers(ds: Dataset) -> list[str]:
    """Everyone the statements quote, by name."""
    return sorted({str(r.attrs.get("speaker")) for r in ds.of_kind("statement") if r.attrs.get("speaker")})


def _holds_words(name: str, asked: str) -> bool:
    """Whether every word asked is a word of the name, any case ("kim tae" is Kim Tae-hyo; "yon" is no one)."""
    have = set(name.lower().replace("-", " ").replace("(", " ").replace(")", " ").split())
    words = asked.lower().replace("-", " ").split()
    return bool(words) and all(w in have for w in words)


def _near_words(name: str, asked: str) -> bool:
    import difflib

    have = name.lower().split()
    return any(difflib.get_close_matches(w, have, n=1, cutoff=0.7) for w in asked.lower().split())


def show(ds: Dataset, record_id: str) -> Record:
    if not record_id.strip():
        raise UsageError("the record id is empty: give an id as the other commands print it (e.g. fund-akcf)")
    r = ds.get(record_id)
    if r is None:
        raise NotFound(f"no record with id {record_id!r}", _suggest(record_id, ds.ids()))
    return r


# -- funds ---------------------------------------------------------------------------


def funds(ds: Dataset) -> list[Record]:
    return list(ds.of_kind("fund"))


def contributions_to(ds: Dataset, fund_id: str) -> list[Record]:
    return ds.contributions_to(fund_id)


def find_fund(ds: Dataset, name: str) -> Record:
    """A fund by id, acronym, name or alias, any case; NotFound with suggestions."""
    key = " ".join(name.lower().split())
    if not key:
        raise UsageError("the fund name is empty: give an acronym, id or name, or no NAME for every fund")
    found = ds.fund_named(key)
    if found is not None:
        return found
    candidates: dict[str, Record] = {}
    for f in funds(ds):
        for k in fund_keys(f.id, f.attrs):
            candidates[k] = f  # a later fund of the same name wins, as in the store
    if key in candidates:
        return candidates[key]
    partial = {f.id: f for k, f in candidates.items() if key and key in k}
    if len(partial) == 1:
        return next(iter(partial.values()))
    by_words = _fund_by_words(ds, name, candidates)
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


def _fund_by_words(ds: Dataset, name: str, candidates: dict[str, Record]) -> Record | None:
    """The one fund whose name has the same words as name, as search reads words ("Korea" is
    "ROK", "Future Oriented" is "Future-Oriented"), else the one whose name holds them all."""
    from .search.rank import index_for
    from .search.words import tokens

    # one-word alternatives as classes ("Korea", "ROK", "Seoul" are one word here), each named by its least member
    parent: dict[str, str] = {}

    def root(t: str) -> str:
        while parent.get(t, t) != t:
            t = parent[t]
        return t

    for key, alts in index_for(ds).expansions().items():
        for alt, _ in alts:
            if len(key) == 1 and len(alt) == 1:
                a, b = sorted((root(key[0]), root(alt[0])))
                parent[b] = a

    def words(text: str) -> set[str]:
        return {root(t) for t in tokens(text)}

    want = words(name)
    if not want:
        return None
    same: dict[str, Record] = {}
    holding: dict[str, Record] = {}
    for k, f in candidates.items():
        have = words(k)
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
        total = math.fsum(float(c.attrs["amount"]) for c in items)
        if not math.isfinite(total):  # never with validated amounts (at most 1e18 each)
            raise DataError(f"the {cur} contributions to this fund are too large to add up")
        out.append(
            {
                "derived": True,
                "currency": cur,
                "amount": total,
                "of": [c.id for c in items],
                "how": "sum of the stated one-off and initial contributions; recurring ones are not added",
            }
        )
    return out


# -- trade and other figures ----------------------------------------------------------


def trade(
    ds: Dataset, year: int | None = None, metric: str | None = None, derived: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """Economic figures (trade, investment, FDI, growth, rankings), each with whose figure it is.

    With ``derived``, figures the data implies are added, marked as derived: the previous
    year's value implied by a value and its stated growth rate.
    """
    metrics: tuple[str, ...] = ECONOMIC_METRICS
    if metric is not None:
        metric = resolve_choice(metric, ECONOMIC_METRICS, "metric")
        metrics = (metric,)
    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more (leave it out to list every figure)")
    wanted = ECONOMIC_METRICS if derived else metrics  # a derived value may need a figure of another metric
    by_metric = f"kind = 'figure' AND json_extract(body, '$.attrs.metric') IN ({','.join('?' * len(wanted))})"
    figs = ds.select(by_metric, wanted, limit if not derived and year is None else None)
    rows: list[dict[str, Any]] = [{"record": r, "derived": False} for r in figs if r.attrs.get("metric") in metrics]
    if derived:
        rows += [d for d in _derive(figs) if d["metric"] in metrics]
    if year is not None:
        if not 1 <= year <= 9999:
            raise UsageError(f"year out of range: {year if abs(year) < 10**12 else 'that'} (use a year from 1 to 9999)")
        rows = [row for row in rows if _covers_year(row, year)]
    return rows[:limit] if limit is not None else rows


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
                point = parse_edtf(value_rec.date)
            except DateError:
                continue
            year = (point.start or point.end).year  # type: ignore[union-attr]  # one end is always known
            if year <= 1:  # the year before 0001 is not a date
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
                    "date": f"{year - 1:04d}",
                    "how": f"{value_rec.id} / (1 + {g.attrs['value']}/100), from {g.id}; rounded",
                    "from": [value_rec.id, g.id],
                }
            )
    return out


# -- glossary and sources -----------------------------------------------------------------


def glossary(ds: Dataset, term: str | None = None, limit: int | None = None) -> list[Record]:
    """Glossary entries by name (any case); with term, the entries it names (exactly, else in part)."""
    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more (leave it out to list every entry)")
    if term is None:
        return ds.select("kind = 'term'", (), limit, order="sort_name, pos")
    terms = ds.select("kind = 'term'", (), None, order="sort_name, pos")
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
    ids += [src for rel, src in ds.linking_to(r.id) if rel == "differs"]
    return list(dict.fromkeys(ids))


def with_differing_next(ds: Dataset, ranked: list[Any], key: Callable[[Any], Record]) -> list[tuple[Any, str | None]]:
    """Where two sources differ, both are shown: each item whose record another source contradicts
    is followed directly by that source's record, when it is in the list at all (lower down).
    Pairs (item, the id of the record it was moved up to follow, or None)."""
    by_id = {key(x).id: x for x in ranked}
    where = {rid: k for k, rid in enumerate(by_id)}
    out: list[tuple[Any, str | None]] = []
    placed: set[str] = set()
    for x in ranked:
        r = key(x)
        if r.id in placed:
            continue
        out.append((x, None))
        placed.add(r.id)
        others = differing_ids(ds, r)
        for other in others:
            if other in by_id and other not in placed:
                # named only when it jumps over something: already next, it is in score order
                jumped = any(rid not in placed for rid in list(by_id)[where[r.id] + 1 : where[other]])
                out.append((by_id[other], r.id if jumped else None))
                placed.add(other)
    return out


def _linking_to(ds: Dataset, r: Record) -> list[Record]:
    """Records that link to r, in dataset order."""
    found = [ds.get(src) for _rel, src in ds.linking_to(r.id)]
    return list({x.id: x for x in found if x is not None}.values())


def conflicts(ds: Dataset) -> list[tuple[Record, Record]]:
    """Every place where two sources disagree: each pair of records linked as differing, once,
    in dataset order of the first."""
    pairs: list[tuple[Record, Record]] = []
    seen: set[frozenset[str]] = set()
    for _rel, a_id, b_id in ds.rows(
        "SELECT l.relation, l.from_id, l.to_id FROM links l JOIN records r ON r.id = l.from_id"
        " WHERE l.relation = 'differs' ORDER BY r.pos"
    ):
        key = frozenset((a_id, b_id))
        a, b = ds.get(a_id), ds.get(b_id)
        if key in seen or a is None or b is None:
            continue
        seen.add(key)
        pairs.append((a, b) if (a.span or (0, 0)) <= (b.span or (0, 0)) else (b, a))
    return pairs


# -- search -----------------------------------------------------------------------------


def answer(ds: Dataset, query: str, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[Any]:
    """What `search` shows: the best `limit` hits, and where two sources differ, both: a record
    another source contradicts is followed directly by that source's record (out of score order;
    its Hit's `follows` names the record it differs from), when the query finds it at all (a few
    more hits than asked are ranked to look for it)."""
    from .search.rank import index_for

    hits = index_for(ds).search(query, limit + DIFFERING_ROOM, kinds)
    paired = with_differing_next(ds, hits, lambda h: h.record)
    return [h._replace(follows=follows) if follows else h for h, follows in paired[:limit]]


DIFFERING_ROOM = 5
