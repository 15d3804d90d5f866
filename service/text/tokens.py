"""Word tokens and their normalised form, shared by the model's features and the evidence spans.

A word is a run of letters and digits (Unicode-aware, combining accents included), joined across
an apostrophe between letters so that ``Crohn's`` and ``don't`` stay one word. Everything else
(spaces, punctuation, symbols, ``_``) separates words and is dropped: the tokens are exactly what
features and dictionary matching look at.
"""

import re
import unicodedata
from functools import lru_cache

from service.text.types import Token

# A word character is a Unicode letter or digit. Decomposed accents ("e" + U+0301) must stay
# inside their word, but allowing combining marks makes the regex ~1.7x slower, so that variant
# only runs on texts that contain one.
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_LETTERS = r"(?:[^\W_][\u0300-\u036f]*)+"
_MARKED_WORD = re.compile(rf"{_LETTERS}(?:['\u2019]{_LETTERS})*")
_COMBINING_MARK = re.compile(r"[\u0300-\u036f]")
# The English possessive: Crohn's disease and Crohn disease must normalise alike.
_POSSESSIVE = re.compile(r"['\u2019][sS]$")


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """Return the normalised form of a word, the one ``Token.norm`` holds.

    Lower case (``casefold``), accents folded by NFKD decomposition with the combining marks
    dropped, compatibility characters decomposed (``ﬁ`` -> ``fi``, ``²`` -> ``2``), a possessive
    ``'s`` dropped and any other character that is not a letter or digit removed. So
    ``"Diabetes"`` -> ``"diabetes"``, ``"Crohn's"`` -> ``"crohn"`` (as in ``"Crohn disease"``),
    ``"don't"`` -> ``"dont"``, ``"Hématome"`` -> ``"hematome"``. The result is alphanumeric and
    may be empty only when the input has no letter or digit.
    """
    word = _POSSESSIVE.sub("", word)
    if word.isascii():
        # Fast path: most clinical English words are plain ASCII.
        return "".join(ch for ch in word.lower() if ch.isalnum())
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def tokenize(text: str) -> tuple[Token, ...]:
    """Split ``text`` into word tokens with exact character offsets (punctuation dropped)."""
    pattern = _MARKED_WORD if _COMBINING_MARK.search(text) else _PLAIN_WORD
    tokens = []
    for match in pattern.finditer(text):
        norm = normalize_word(match.group())
        if norm:
            tokens.append(Token(match.start(), match.end(), norm))
    return tuple(tokens)
