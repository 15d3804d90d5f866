"""The one documented format for labelled notes: JSON Lines, one note per line.

Each line is an object::

    {"id": "case-1", "text": "...", "codes": [{"system": "ICD-10-CM", "code": "E11.9"}],
     "mentions": [{"system": "ICD-10-CM", "code": "E11.9", "start": 10, "end": 27}]}

``system`` is one of ``ICD-10-CM``, ``ICD-10-PCS``, ``CPT``, ``HCPCS``; codes are normalised on
read (``e119`` becomes ``E11.9``) and duplicates after normalisation are dropped. ``mentions`` is
optional: character spans of ``text`` that support one of the note's codes (possibly approximate,
e.g. a whole sentence). Unknown keys are refused, so a misspelt field fails loudly.

Errors name the file, the line and the field, never the note text: a labelled file is patient
data and error messages end up in logs.
"""

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from service.codesystems import CodeSystem, normalize_code

__all__ = [
    "JsonlFormatError",
    "LabelledCode",
    "LabelledNote",
    "Mention",
    "iter_jsonl",
    "read_jsonl",
    "write_jsonl",
]

# Letters, digits and an optional dot: anything else is a typo, not a code of any system.
_CODE_PATTERN = re.compile(r"[A-Z0-9]+(\.[A-Z0-9]+)?")


class JsonlFormatError(ValueError):
    """A labelled-notes file that does not follow the format, located by line and field."""

    def __init__(self, path: Path, line: int, field: str, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        super().__init__(f"{path}:{line}: {field}: {message}")


def _normalised(system: CodeSystem, code: str) -> str:
    normal = normalize_code(system, code)
    if not _CODE_PATTERN.fullmatch(normal):
        # The message shows the shape that is expected, not the value (which could be anything).
        raise ValueError("not a code: expected letters and digits with an optional dot")
    return normal


def _normalised_if_system(code: str, info: ValidationInfo) -> str:
    system = info.data.get("system")
    # Without a valid system the error is reported on `system`; nothing to normalise against.
    return _normalised(system, code) if isinstance(system, CodeSystem) else code


class LabelledCode(BaseModel):
    """A code assigned to a note."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system: CodeSystem
    code: str = Field(min_length=1, max_length=16)

    @field_validator("code")
    @classmethod
    def _normalise(cls, code: str, info: ValidationInfo) -> str:
        return _normalised_if_system(code, info)


class Mention(BaseModel):
    """A character span ``text[start:end]`` of the note that supports one of its codes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system: CodeSystem
    code: str = Field(min_length=1, max_length=16)
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @field_validator("code")
    @classmethod
    def _normalise(cls, code: str, info: ValidationInfo) -> str:
        return _normalised_if_system(code, info)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class LabelledNote(BaseModel):
    """A note with its codes and, optionally, the spans that support them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    text: str
    codes: tuple[LabelledCode, ...] = ()
    mentions: tuple[Mention, ...] = ()

    @field_validator("codes")
    @classmethod
    def _dedupe(cls, codes: tuple[LabelledCode, ...]) -> tuple[LabelledCode, ...]:
        # `e11.9` and `E119` are the same code once normalised; keep the first, in file order.
        return tuple(dict.fromkeys(codes))

    @model_validator(mode="after")
    def _mentions_fit(self) -> Self:
        known = {(c.system, c.code) for c in self.codes}
        # A model-level error has no location of its own, so the message names the mention.
        for index, mention in enumerate(self.mentions):
            if mention.end > len(self.text):
                raise ValueError(f"mentions.{index} ends after the end of the text")
            if (mention.system, mention.code) not in known:
                raise ValueError(f"mentions.{index} supports a code not among the note's codes")
        return self


def _first_error(error: ValidationError) -> tuple[str, str]:
    """The field and message of the first error, without the offending input."""
    details = error.errors(include_input=False, include_url=False, include_context=False)
    first = details[0]
    field = ".".join(str(part) for part in first["loc"]) or "(note)"
    return field, first["msg"]


def iter_jsonl(path: Path) -> Iterator[LabelledNote]:
    """Yield the notes of a labelled JSONL file in file order, validating each line.

    Blank lines are skipped. Raises :class:`JsonlFormatError` on the first invalid line and on a
    repeated ``id``.
    """
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw: Any = json.loads(line)
            except json.JSONDecodeError as error:
                # `msg` holds the parser's reason and no part of the line.
                raise JsonlFormatError(
                    path, number, "(line)", f"invalid JSON: {error.msg}"
                ) from None
            if not isinstance(raw, dict):
                raise JsonlFormatError(path, number, "(line)", "expected a JSON object")
            try:
                note = LabelledNote.model_validate(raw)
            except ValidationError as error:
                field, message = _first_error(error)
                raise JsonlFormatError(path, number, field, message) from None
            if note.id in seen:
                raise JsonlFormatError(path, number, "id", "repeats the id of an earlier line")
            seen.add(note.id)
            yield note


def read_jsonl(path: Path) -> list[LabelledNote]:
    """Read and validate a whole labelled JSONL file (see :func:`iter_jsonl`)."""
    return list(iter_jsonl(path))


def write_jsonl(path: Path, notes: Iterable[LabelledNote]) -> None:
    """Write notes to ``path``, one per line, in the given order.

    The file is written next to its destination and renamed into place, so a reader never sees
    half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        for note in notes:
            out.write(json.dumps(note.model_dump(mode="json"), ensure_ascii=False))
            out.write("\n")
    partial.replace(path)
