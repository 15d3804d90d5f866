"""Sentence spans: a line break always ends a sentence, and so does a full stop before a capital.

CodiEsp's English notes are one sentence per line, but some lines hold several ("... 25.8 sec.
Biochemistry: ..."), and assertion scope must not run from one into the next.
"""

import re

from service.text.types import Sentence

# Every line break str.splitlines() knows, so CRLF and Unicode separators end sentences too.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# End punctuation, optional closing quotes/brackets, whitespace, then what starts a sentence.
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]\u201d\u2019]*(?=\s+[\"'(\[\u201c\u2018]?[A-Z0-9])")
# The word just before the full stop; abbreviations and initials ("Dr.", "J.") do not end one.
# Matched on the reversed text before the stop, as its first word (see _last_word).
_FIRST_WORD = re.compile(r"\W*(\w+)")
_ABBREVIATIONS = frozenset(
    {"dr", "drs", "mr", "mrs", "ms", "prof", "st", "vs", "eg", "ie", "etc", "approx", "fig", "no",
     "nos", "ref", "cf", "al", "ca", "inc", "jr", "sr", "mt", "dept", "univ", "min", "max", "resp"}
)  # fmt: skip


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Return the sentences of ``text`` in order, trimmed of surrounding whitespace.

    Every non-blank character belongs to exactly one sentence; blank lines give none.
    """
    sentences: list[Sentence] = []
    line_start = 0
    for match in _LINE_BREAK.finditer(text):
        _split_line(text, line_start, match.start(), sentences)
        line_start = match.end()
    _split_line(text, line_start, len(text), sentences)
    return tuple(sentences)


def _split_line(text: str, start: int, end: int, out: list[Sentence]) -> None:
    line = text[start:end]
    piece_start = 0
    for match in _SENTENCE_END.finditer(line):
        word = _last_word(line, piece_start, match.start() + 1)
        if (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS:
            continue
        _append_trimmed(line, start, piece_start, match.end(), out)
        piece_start = match.end()
    _append_trimmed(line, start, piece_start, len(line), out)


def _last_word(line: str, start: int, end: int) -> str:
    r"""The last run of word characters in ``line[start:end]`` ("" if there is none).

    What ``re.search(r"(\w+)\W*$")`` finds, but read backwards from ``end``: a forward search
    tries every offset from ``start`` in turn, which made long lines quadratic.
    """
    found = _FIRST_WORD.match(line[start:end][::-1])
    return found.group(1)[::-1] if found else ""


def _append_trimmed(line: str, offset: int, start: int, end: int, out: list[Sentence]) -> None:
    piece = line[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return
    lead = len(piece) - len(stripped)
    out.append(Sentence(offset + start + lead, offset + start + len(piece.rstrip())))
