"""ConText-style assertion: which tokens fall in the scope of a negation, uncertainty, ... trigger.

How it works, per sentence (scope never crosses one):

1. Triggers are matched greedily left to right, longest phrase first, on the normalised tokens;
   the words of a multi-word trigger must be separated by spaces, ``/`` or ``-`` only. A pseudo
   trigger ("no change", "gram negative") consumes its words so they trigger nothing.
2. Each trigger's scope runs forward or backward over at most ``MAX_SCOPE`` tokens and stops at
   a terminator ("but", "however", "which", ", with", ...), at a semicolon, or at a trigger of
   another category ("no fever, history of asthma": asthma is historical, not negated). A
   trigger of the same category does not stop it ("no fever, chills or cough").
3. A token takes the highest-precedence category of the scopes covering it and of its section
   (``family_history`` gives family; ``past_medical_history`` and ``past_surgical_history`` give
   historical). Precedence: negated > family > hypothetical > possible > historical > present.
"""

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import pairwise

from service.text.assertion_rules import RULES, Direction, Rule
from service.text.tokens import tokenize
from service.text.types import Assertion, Section, Sentence, Token

MAX_SCOPE = 10

PRECEDENCE: tuple[Assertion, ...] = (
    Assertion.PRESENT,
    Assertion.HISTORICAL,
    Assertion.POSSIBLE,
    Assertion.HYPOTHETICAL,
    Assertion.FAMILY,
    Assertion.NEGATED,
)
_RANK = {a: i for i, a in enumerate(PRECEDENCE)}

SECTION_ASSERTIONS: dict[str, Assertion] = {
    "family_history": Assertion.FAMILY,
    "past_medical_history": Assertion.HISTORICAL,
    "past_surgical_history": Assertion.HISTORICAL,
}

_TIGHT_GAP = frozenset(" \t/-\u2010\u2011")


def strongest(assertions: Iterable[Assertion]) -> Assertion:
    """Return the assertion that wins under ``PRECEDENCE`` (present for none)."""
    return max(assertions, key=_RANK.__getitem__, default=Assertion.PRESENT)


def most_common(assertions: Sequence[Assertion]) -> Assertion:
    """The most frequent of ``assertions``, ties going to the strongest (present for none)."""
    return max(
        set(assertions), key=lambda a: (assertions.count(a), _RANK[a]), default=Assertion.PRESENT
    )


class AssertionRules:
    """The compiled trigger lexicon; immutable once built, so safe to share between threads."""

    def __init__(self, rules: Iterable[Rule] = RULES) -> None:
        # A word trie: matching costs one dict lookup per word whatever the lexicon's size.
        self._root = _Node()
        for rule in rules:
            node = self._root
            for token in tokenize(rule.phrase):
                node = node.children.setdefault(token.norm, _Node())
            if node.rule is not None and node.rule != rule:
                raise ValueError(f"[E-TEXT-001] two rules for the phrase {rule.phrase!r}")
            node.rule = rule

    def assign(
        self, text: str, tokens: Sequence[Token], sentences: Sequence[Sentence],
        sections: Sequence[Section],
    ) -> tuple[Assertion, ...]:  # fmt: skip
        """Return one assertion per token (what a one-token mention there would get)."""
        norms = [t.norm for t in tokens]
        starts = [t.start for t in tokens]
        gaps = [""] + [text[a.end : b.start] for a, b in pairwise(tokens)]
        ranks = self._section_ranks(starts, sections)
        first = 0
        for sentence in sentences:
            last = bisect_left(starts, sentence.end, lo=first)
            if last > first:
                self._apply_sentence(norms, gaps, first, last, ranks)
            first = last
        return tuple(PRECEDENCE[r] for r in ranks)

    @staticmethod
    def _section_ranks(starts: Sequence[int], sections: Sequence[Section]) -> list[int]:
        """Each token's rank from its section alone, given the tokens' (sorted) start offsets."""
        ranks = [0] * len(starts)
        i = 0
        for section in sections:
            floor = _RANK[SECTION_ASSERTIONS.get(section.name, Assertion.PRESENT)]
            end = bisect_left(starts, section.end, lo=i)
            ranks[i:end] = [floor] * (end - i)
            i = end
        return ranks

    def _match(
        self, norms: list[str], gaps: list[str], i: int, end: int
    ) -> tuple[int, Rule] | None:
        """The longest rule starting at token ``i`` (words joined by tight gaps only)."""
        best: tuple[int, Rule] | None = None
        node = self._root.children.get(norms[i])
        k = i
        while node is not None:
            rule = node.rule
            if rule is not None and not (rule.after_comma and "," not in gaps[i]):
                best = (k - i + 1, rule)
            k += 1
            if k >= end or not _TIGHT_GAP.issuperset(gaps[k]):
                break
            node = node.children.get(norms[k])
        return best

    def _apply_sentence(
        self, norms: list[str], gaps: list[str], start: int, end: int, ranks: list[int]
    ) -> None:
        triggers: list[tuple[int, int, Rule]] = []
        # owner[j]: the rule whose words cover token j (None outside triggers and pseudo).
        owner: dict[int, Rule] = {}
        # Most words start no trigger: looking that up here spares a call per word.
        starters = self._root.children
        i = start
        while i < end:
            found = self._match(norms, gaps, i, end) if norms[i] in starters else None
            if found is None:
                i += 1
                continue
            n, rule = found
            if rule.direction is not Direction.PSEUDO:
                triggers.append((i, i + n, rule))
                for j in range(i, i + n):
                    owner[j] = rule
            i += n
        for t_start, t_end, rule in triggers:
            if rule.category is None:
                continue
            direction = rule.direction
            if direction is Direction.EITHER:
                direction = (
                    Direction.FORWARD
                    if _opens(t_end, end, gaps, owner, rule.category)
                    else Direction.BACKWARD
                )
            rank = _RANK[rule.category]
            if direction is Direction.FORWARD:
                scope = range(t_end, min(end, t_end + MAX_SCOPE))
            else:
                scope = range(t_start - 1, max(start, t_start - MAX_SCOPE) - 1, -1)
            forward = direction is Direction.FORWARD
            for j in scope:
                # A semicolon between this token and the trigger side ends the scope.
                if ";" in gaps[j if forward else j + 1]:
                    break
                other = owner.get(j)
                if other is not None:
                    if other.category != rule.category:
                        break
                    continue
                ranks[j] = max(ranks[j], rank)


class _Node:
    __slots__ = ("children", "rule")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.rule: Rule | None = None


def _opens(j: int, end: int, gaps: list[str], owner: dict[int, Rule], category: Assertion) -> bool:
    """Whether a forward scope starting at token ``j`` would cover at least one token."""
    if j >= end or ";" in gaps[j]:
        return False
    other = owner.get(j)
    return other is None or other.category == category
