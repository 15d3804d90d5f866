"""What the text pipeline hands to the model: tokens, sentences, sections and assertions.

Every offset is a character offset into the text that was analysed, so ``text[start:end]`` is
always the exact span a coder's panel highlights.
"""

from dataclasses import dataclass
from enum import StrEnum


class Assertion(StrEnum):
    """How a mention relates to the patient now (the ConText categories)."""

    PRESENT = "present"
    NEGATED = "negated"
    POSSIBLE = "possible"
    HYPOTHETICAL = "hypothetical"
    HISTORICAL = "historical"
    FAMILY = "family"


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the note: its span and the normalised form the model's features use."""

    start: int
    end: int
    norm: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the note (``family_history``, ...); ``unknown`` before any header."""

    start: int
    end: int
    name: str
