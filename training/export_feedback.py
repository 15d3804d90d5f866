"""``python -m training export-feedback``: stored coder feedback -> labelled JSONL + a report.

Inputs: ``--database-url`` (default: the service's configured database). Outputs in ``--out``:

- ``feedback.jsonl``: one labelled note per submission that kept its note text (the service
  keeps text only with ``CODESUGGEST_FEEDBACK_STORE_TEXT=true``); its codes are the coder's
  accepted and added codes, i.e. what the coder says the note has;
- ``acceptance.json`` and ``acceptance.md``: acceptance rates per code system, per model
  version and per code, over every submission (with or without text).

The database is read, never migrated: an export must not change a production schema.
"""

import argparse
import sys
from pathlib import Path

from service.config import get_settings
from service.feedback import FeedbackStats, FeedbackStore, FeedbackUnavailableError
from training.jsonl import LabelledCode, LabelledNote, write_jsonl

JSONL_NAME = "feedback.jsonl"
REPORT_JSON_NAME = "acceptance.json"
REPORT_MD_NAME = "acceptance.md"


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1%}"


def acceptance_markdown(stats: FeedbackStats, exported: int, top_codes: int = 20) -> str:
    """A short human-readable acceptance report."""
    lines = [
        "# Coder feedback: acceptance report",
        "",
        f"{stats.submissions} submissions; {exported} kept their text and were exported "
        "as labelled notes (gold codes = accepted + added).",
        "",
        "Acceptance rate = accepted / suggested.",
        "",
        "| Model version | Submissions | Suggested | Accepted | Rejected | Added | Acceptance |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t.model_version} | {t.submissions} | {t.suggested} | {t.accepted} | {t.rejected} "
        f"| {t.added} | {_percent(t.acceptance_rate)} |"
        for t in stats.by_model_version
    ]
    lines += [
        "",
        "| Code system | Suggested | Accepted | Rejected | Added | Acceptance |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t.system.value} | {t.suggested} | {t.accepted} | {t.rejected} | {t.added} "
        f"| {_percent(t.acceptance_rate)} |"
        for t in stats.by_system
    ]
    lines += [
        "",
        f"Most suggested codes (top {top_codes}):",
        "",
        "| System | Code | Suggested | Accepted | Rejected | Added | Acceptance |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t.system.value} | {t.code} | {t.suggested} | {t.accepted} | {t.rejected} "
        f"| {t.added} | {_percent(t.acceptance_rate)} |"
        for t in stats.by_code[:top_codes]
    ]
    return "\n".join(lines) + "\n"


def export(store: FeedbackStore, out: Path) -> tuple[int, FeedbackStats]:
    """Write the JSONL and the reports into ``out``; return the notes written and the stats."""
    notes = [
        LabelledNote(
            id=review.id,
            text=review.text or "",
            codes=tuple(
                LabelledCode.model_validate({"system": s, "code": c}) for s, c in review.gold()
            ),
        )
        for review in store.reviews(with_text_only=True)
    ]
    write_jsonl(out / JSONL_NAME, notes)
    stats = store.stats(code_limit=1_000_000)
    (out / REPORT_JSON_NAME).write_text(stats.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / REPORT_MD_NAME).write_text(acceptance_markdown(stats, len(notes)), encoding="utf-8")
    return len(notes), stats


def main(argv: list[str]) -> int:
    """Run the step; 0 on success, 1 when the database cannot be read."""
    parser = argparse.ArgumentParser(
        prog="python -m training export-feedback", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the feedback database (default: the service's setting)",
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    url: str = args.database_url or get_settings().database_url
    store = FeedbackStore(url, migrate=False, retry_seconds=0)
    try:
        if not store.start():
            print("error: cannot connect to the feedback database", file=sys.stderr)
            return 1
        exported, stats = export(store, args.out)
    except FeedbackUnavailableError:
        print("error: cannot read the feedback tables (is the database migrated?)", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(
        f"{stats.submissions} submissions; wrote {exported} labelled notes to "
        f"{args.out / JSONL_NAME} and the acceptance report to {args.out / REPORT_MD_NAME}"
    )
    return 0
