"""Seed texts: finding a quote (whitespace aside) and the line and paragraph it stands on.

Work and memory are bounded by the seed's size, not by what a dataset asks of it: the text
is folded (whitespace runs to one space) once, in pieces of about 500 characters whose
starts are remembered, so a hit in the folded text maps back to its place in the original
by walking at most one piece; a quote that occurs on many lines is followed over at most
``MAX_LINES`` of them; and every search adds what it scanned to ``work``, for the validator's budget.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from typing import NamedTuple

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
# Paragraph labels as the ASEAN overview prints them: "- 17. On trade" at a line start,
# or run into the previous paragraph after a full stop ("... AKEC Fund. 21. The Dialogue").
_PARA = re.compile(r"(?:^- |(?<=\. ))(\d{1,3})\. (?=[A-Z])", re.MULTILINE)
_STEP = 512  # characters per piece: a hit maps back to the text by walking at most one piece
MAX_LINES = 20  # distinct lines a quote is followed over


def fold(text: str) -> str:
    """Whitespace folded to single spaces, as quotes are compared."""
    return " ".join(text.split())


class Found(NamedTuple):
    line: int
    offset: int  # where the quote starts in the original text


class SeedText:
    """One seed document, indexed for quote lookups."""

    def __init__(self, text: str, numbered_paragraphs: bool = False) -> None:
        self.text = text
        self.work = 0  # characters scanned by searches, for the caller's budget
        code = "q" if len(text) >= 1 << 31 else "i"
        self._piece_orig = array(code)  # start of each piece in the text
        self._piece_line = array(code)  # the line it starts on
        self._word_orig = array(code)  # start of the first word of each piece that has one
        self._word_fold = array(code)  # that word's offset in the folded text
        pieces: list[str] = []
        n, pos, line, folded_len = len(text), 0, 1, 0
        while pos < n:
            end = min(n, pos + _STEP)
            if end < n and not (text[end - 1].isspace() or text[end].isspace()):
                m = _SPACE.search(text, end)  # never cut a word in two
                end = m.start() if m else n
            self._piece_orig.append(pos)
            self._piece_line.append(line)
            first = _WORD.search(text, pos, end)
            if first is not None:
                piece = " ".join(text[pos:end].split())
                if pieces:
                    folded_len += 1  # the space between two pieces stands for whitespace in the text
                self._word_orig.append(first.start())
                self._word_fold.append(folded_len)
                pieces.append(piece)
                folded_len += len(piece)
            line += text.count("\n", pos, end)
            pos = end
        self.folded = " ".join(pieces)
        del pieces
        self._para_starts = array(code)
        self._para_labels: list[str] = []
        if numbered_paragraphs:
            labels: dict[str, str] = {}
            for m in _PARA.finditer(text):
                self._para_starts.append(m.start())
                self._para_labels.append(labels.setdefault(m.group(1), m.group(1)))

    # -- offsets ------------------------------------------------------------------------------

    def _to_orig(self, f: int) -> int:
        """The offset in the text of folded offset f (which is not a folded space)."""
        i = bisect_right(self._word_fold, f) - 1
        at = self._word_fold[i]
        for m in _WORD.finditer(self.text, self._word_orig[i]):
            word = m.end() - m.start()
            if f < at + word:
                return m.start() + (f - at)
            at += word + 1
        return len(self.text)  # pragma: no cover - f is inside the folded text

    def _to_folded(self, o: int) -> int:
        """The folded offset of the first word that starts at or after offset o of the text."""
        i = bisect_right(self._word_orig, o) - 1
        if i < 0:
            return 0
        at = self._word_fold[i]
        for m in _WORD.finditer(self.text, self._word_orig[i]):
            if m.start() >= o:
                return at
            at += m.end() - m.start() + 1
        return len(self.folded)

    def line_of(self, o: int) -> int:
        """The 1-based line that offset o of the text stands on."""
        i = bisect_right(self._piece_orig, o) - 1
        if i < 0:
            return 1
        return self._piece_line[i] + self.text.count("\n", self._piece_orig[i], o)

    def _line_start(self, line: int) -> int:
        """The offset where a line starts (len(text) past the last line)."""
        i = bisect_left(self._piece_line, line) - 1  # the last piece that starts on an earlier line
        if i < 0:
            return 0
        pos, at = self._piece_orig[i], self._piece_line[i]
        while at < line:
            nl = self.text.find("\n", pos)
            if nl < 0:
                return len(self.text)
            pos, at = nl + 1, at + 1
        return pos

    # -- quotes -------------------------------------------------------------------------------

    def occurrences(self, quote: str, line: int | None = None, most: int = MAX_LINES) -> list[Found]:
        """Where the (folded) quote starts, the first hit of each line, in order.

        Without ``line``, at most ``most`` lines are followed; with it, the search stops at the
        first hit on that line or after it.
        """
        q = fold(quote)
        found: list[Found] = []
        if not q:
            return found
        folded = self.folded
        start = 0
        while len(found) < most or line is not None:
            i = folded.find(q, start)
            self.work += (len(folded) if i < 0 else i + len(q)) - start + 1
            if i < 0:
                break
            o = self._to_orig(i)
            self.work += _STEP
            hit = Found(self.line_of(o), o)
            found.append(hit)
            if line is not None and hit.line >= line:
                break
            nl = self.text.find("\n", o)  # on to the next line: a line counts once
            if nl < 0:
                break
            start = max(i + 1, self._to_folded(nl + 1))
        return found

    def para_at(self, offset: int) -> str | None:
        """The paragraph label in force at an offset of the text (the last one starting at or before it)."""
        i = bisect_right(self._para_starts, offset) - 1
        return self._para_labels[i] if i >= 0 else None

    def context(self, line: int, around: int) -> list[tuple[int, str]]:
        """Lines ``line-around`` .. ``line+around`` as (number, text)."""
        last = self.text.count("\n") + 1
        lo, hi = max(1, line - around), min(last, line + around)
        out = []
        pos = self._line_start(lo)
        for n in range(lo, hi + 1):
            end = self.text.find("\n", pos)
            end = len(self.text) if end < 0 else end
            out.append((n, self.text[pos:end]))
            pos = end + 1
        return out
