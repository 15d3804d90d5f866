"""The domain of suggesting codes, free of HTTP: what a suggester takes and returns.

The HTTP layer, the panel and offline evaluation all talk to a :class:`Suggester`; the trained
model in :mod:`service.model` is one, and tests use a small fake.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from service.codesystems import CodeSystem
from service.text.types import Assertion


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the note that supports a suggestion; ``text == note[start:end]``."""

    start: int
    end: int
    text: str
    section: str
    assertion: Assertion


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A ranked code with its calibrated probability of being right."""

    system: CodeSystem
    code: str
    display: str
    score: float
    billable: bool
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class SuggestionResult:
    """Suggestions sorted by score, highest first, and warnings about the input."""

    suggestions: list[Suggestion]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """The name and version a response reports, so feedback can be tied to a model."""

    name: str
    version: str


class Suggester(Protocol):
    """Anything that turns a note into ranked code suggestions."""

    @property
    def info(self) -> ModelInfo: ...

    @property
    def systems(self) -> frozenset[CodeSystem]:
        """The code systems this suggester can rank."""
        ...

    def suggest(
        self,
        text: str,
        *,
        systems: Collection[CodeSystem],
        top_k: int,
        min_score: float,
        include_evidence: bool,
    ) -> SuggestionResult:
        """Rank codes of ``systems`` for ``text``; at most ``top_k`` per system."""
        ...

    def card(self) -> Mapping[str, object]:
        """The model card (the manifest as JSON-ready data)."""
        ...
