"""Acceptance statistics over stored feedback, counted in the database.

The acceptance rate of a group of codes is ``accepted / suggested``: of the codes the model
showed, the share coders kept. Codes a coder added count toward ``added`` only (they are what
the model missed), and a suggestion left unreviewed counts as not accepted.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from service.codesystems import CodeSystem
from service.feedback.models import CodeRole, FeedbackCode, FeedbackRecord
from service.feedback.schemas import CodeTally, FeedbackStats, ModelTally, SystemTally, Tally

Key = tuple[str, ...]


def _counts(rows: Iterable[Row[Any]]) -> dict[Key, dict[CodeRole, int]]:
    """``{group key: {role: count}}`` from rows of ``(*key, role, count)``."""
    counts: dict[Key, dict[CodeRole, int]] = defaultdict(dict)
    for row in rows:
        *key, role, count = tuple(row)
        counts[tuple(str(part) for part in key)][CodeRole(role)] = int(count)
    return counts


def _tally(counts: dict[CodeRole, int]) -> dict[str, Any]:
    """The fields of a :class:`~service.feedback.schemas.Tally` for one group's counts."""
    suggested = counts.get(CodeRole.SUGGESTED, 0)
    accepted = counts.get(CodeRole.ACCEPTED, 0)
    return Tally(
        suggested=suggested,
        accepted=accepted,
        rejected=counts.get(CodeRole.REJECTED, 0),
        added=counts.get(CodeRole.ADDED, 0),
        acceptance_rate=accepted / suggested if suggested else None,
    ).model_dump()


def _grouped(
    session: Session, keys: Sequence[QueryableAttribute[str]], where: list[ColumnElement[bool]]
) -> dict[Key, dict[CodeRole, int]]:
    query = (
        select(*keys, FeedbackCode.role, func.count())
        .join(FeedbackRecord, FeedbackCode.record_id == FeedbackRecord.id)
        .where(*where)
        .group_by(*keys, FeedbackCode.role)
    )
    return _counts(session.execute(query))


def acceptance_stats(
    session: Session, model_version: str | None, *, code_limit: int
) -> FeedbackStats:
    """Tallies per system, per code (the ``code_limit`` most suggested) and per model version."""
    where: list[ColumnElement[bool]] = []
    if model_version is not None:
        where.append(FeedbackRecord.model_version == model_version)

    submissions_query = select(FeedbackRecord.model_version, func.count()).where(*where)
    grouped_submissions = submissions_query.group_by(FeedbackRecord.model_version)
    per_version: dict[str, int] = dict(session.execute(grouped_submissions).all())

    systems = _grouped(session, [FeedbackCode.system], where)
    codes = _grouped(session, [FeedbackCode.system, FeedbackCode.code], where)
    versions = _grouped(session, [FeedbackRecord.model_version], where)

    by_code = [
        CodeTally(system=CodeSystem(key[0]), code=key[1], **_tally(counts))
        for key, counts in codes.items()
    ]
    by_code.sort(key=lambda t: (-t.suggested, -t.added, t.system.value, t.code))
    return FeedbackStats(
        model_version=model_version,
        submissions=sum(per_version.values()),
        by_system=sorted(
            (
                SystemTally(system=CodeSystem(key[0]), **_tally(counts))
                for key, counts in systems.items()
            ),
            key=lambda t: t.system.value,
        ),
        by_code=by_code[:code_limit],
        by_model_version=sorted(
            (
                ModelTally(
                    model_version=version,
                    submissions=count,
                    **_tally(versions.get((version,), {})),
                )
                for version, count in per_version.items()
            ),
            key=lambda t: t.model_version,
        ),
    )
