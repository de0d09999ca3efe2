"""Seed texts: finding a quote (whitespace aside) and the line and paragraph it stands on."""

from __future__ import annotations

import bisect
import re
from array import array
from typing import NamedTuple

_WORD = re.compile(r"\S+")
# Paragraph labels as the ASEAN overview prints them: "- 17. On trade" at a line start,
# or run into the previous paragraph after a full stop ("... AKEC Fund. 21. The Dialogue").
_PARA = re.compile(r"(?:^- |(?<=\. ))(\d{1,3})\. (?=[A-Z])", re.MULTILINE)


def fold(text: str) -> str:
    """Whitespace folded to single spaces, as quotes are compared."""
    return " ".join(text.split())


class Found(NamedTuple):
    line: int
    para: str | None


class SeedText:
    """One seed document, indexed for quote lookups."""

    def __init__(self, text: str, numbered_paragraphs: bool = False) -> None:
        self.text = text
        # offsets as compact arrays: a dataset of 50,000 records checks quotes in 500 seeds at once
        starts = array("i", [m.start() for m in _WORD.finditer(text)])
        words = [m.group() for m in _WORD.finditer(text)]
        self.folded = " ".join(words)
        # folded offset of each word, to map a folded hit back to the original text
        self._folded_starts = array("i")
        pos = 0
        for w in words:
            self._folded_starts.append(pos)
            pos += len(w) + 1
        self._orig_starts = starts
        self._line_starts = array("i", [0] + [m.end() for m in re.finditer("\n", text)])
        self._paras = [(m.start(), m.group(1)) for m in _PARA.finditer(text)] if numbered_paragraphs else []

    def _line_of(self, folded_offset: int) -> int:
        i = bisect.bisect_right(self._folded_starts, folded_offset) - 1
        orig = self._orig_starts[i] + (folded_offset - self._folded_starts[i]) if i >= 0 else 0
        return bisect.bisect_right(self._line_starts, orig)

    def _para_at(self, line: int) -> str | None:
        if not self._paras:
            return None
        offset = self._line_starts[line - 1] if line - 1 < len(self._line_starts) else len(self.text)
        # the label governing a line is the last one starting at or before the line's end
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
        best = None
        for start, label in self._paras:
            if start < end:
                best = (start, label)
        if best is None:
            return None
        del offset
        return best[1]

    def occurrences(self, quote: str) -> list[int]:
        """Lines on which the (folded) quote starts, in order."""
        q = fold(quote)
        if not q:
            return []
        lines: list[int] = []
        start = 0
        while True:
            i = self.folded.find(q, start)
            if i < 0:
                return lines
            lines.append(self._line_of(i))
            start = i + 1

    def locate(self, quote: str, line: int | None = None) -> Found | None:
        """Where the quote stands; with ``line``, only an occurrence on that line counts."""
        hits = self.occurrences(quote)
        if line is not None:
            hits = [h for h in hits if h == line]
        if not hits:
            return None
        return Found(hits[0], self._para_at(hits[0]))

    def para_of_quote(self, quote: str, line: int) -> str | None:
        """The paragraph label in force where the quote starts (for run-in labels like '21.')."""
        if not self._paras:
            return None
        q = fold(quote)
        hit = None
        start = 0
        while True:
            i = self.folded.find(q, start)
            if i < 0:
                break
            if self._line_of(i) == line:
                hit = i
                break
            start = i + 1
        if hit is None:
            return self._para_at(line)
        j = bisect.bisect_right(self._folded_starts, hit) - 1
        orig = self._orig_starts[j] if j >= 0 else 0
        label = None
        for s, lab in self._paras:
            if s <= orig:
                label = lab
        return label

    def context(self, line: int, around: int) -> list[tuple[int, str]]:
        """Lines ``line-around`` .. ``line+around`` as (number, text)."""
        lines = self.text.split("\n")
        lo, hi = max(1, line - around), min(len(lines), line + around)
        return [(n, lines[n - 1]) for n in range(lo, hi + 1)]
