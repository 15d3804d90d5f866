"""``python -m training export-feedback``: labelled JSONL from submissions that kept text."""

import json
from pathlib import Path

from service.feedback import FeedbackIn, FeedbackStore
from tests.feedback.conftest import NOTE, submission
from training.__main__ import main as training_main
from training.export_feedback import JSONL_NAME, REPORT_JSON_NAME, REPORT_MD_NAME
from training.jsonl import read_jsonl


def _fill(url: str) -> str:
    store = FeedbackStore(url, store_text=True)
    try:
        assert store.start()
        kept, _ = store.add(FeedbackIn.model_validate(submission(text=NOTE)))
        store.add(FeedbackIn.model_validate(submission(model_version="2.0.0")))  # no text
    finally:
        store.close()
    return kept


def test_export_writes_notes_with_text_and_the_acceptance_report(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    kept_id = _fill(url)
    out = tmp_path / "out"

    assert training_main(["export-feedback", "--database-url", url, "--out", str(out)]) == 0

    [note] = read_jsonl(out / JSONL_NAME)
    assert note.id == kept_id
    assert note.text == NOTE
    # Gold = accepted + added; the rejected R07.9 is not a code of the note.
    assert {(c.system.value, c.code) for c in note.codes} == {
        ("ICD-10-CM", "E11.9"),
        ("CPT", "99213"),
        ("ICD-10-CM", "I10"),
    }
    report = json.loads((out / REPORT_JSON_NAME).read_text())
    assert report["submissions"] == 2
    assert {t["model_version"] for t in report["by_model_version"]} == {"1.0.0", "2.0.0"}
    markdown = (out / REPORT_MD_NAME).read_text()
    assert "2 submissions; 1 kept their text" in markdown
    assert "| ICD-10-CM | E11.9 | 2 | 2 | 0 | 0 | 100.0% |" in markdown


def test_export_fails_cleanly_on_a_database_without_feedback_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert training_main(["export-feedback", "--database-url", url, "--out", str(tmp_path)]) == 1
    assert not (tmp_path / JSONL_NAME).exists()
