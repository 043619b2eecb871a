"""The assessment instrument: a site's questions as data, validated on load. Pure Python.

An instrument is a versioned TOML file (instruments/*.toml, docs/assessment-instrument.md):
sections, then questions, each naming its section, type, choices, whether it is required and
whether its answer is health information (hidden from everyone the access policy does not let
see health detail). A broken file is refused naming the key and its line, as policy files are.

>>> inst = load_instrument("instruments/default.toml")
>>> inst.key, inst.question("living_situation").section
(('divert-default', '1'), 'housing')
>>> inst.check_answers({"living_situation": "shelter"})["living_situation"]
'shelter'
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from divert.eligibility.errors import PolicyError, friendly_message
from divert.eligibility.loading import _TOML_LINE, _display_key, _line_for, key_lines

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=300)]
QuestionType = Literal["text", "choice", "multi", "yes_no", "number", "date"]
TEXT_MAX = 1000  # a short answer; case notes hold the long story


class InstrumentError(PolicyError):
    """An instrument file that cannot be used; names the key and line like a policy error."""


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Table):
    key: Key
    label: Text


class Section(_Table):
    key: Key
    title: Text
    # Every answer in a health section is health information unless a question says otherwise.
    health: StrictBool = False


class Question(_Table):
    key: Key
    section: Key
    text: Text
    type: QuestionType
    choices: list[Choice] = []
    required: StrictBool = False
    health: StrictBool | None = None  # None: as its section says
    min: float | None = None
    max: float | None = None
    help: str = Field("", max_length=300)

    @model_validator(mode="after")
    def _choices_fit_type(self) -> Question:
        has_choices = self.type in ("choice", "multi")
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.type} question needs at least two choices")
        if not has_choices and self.choices:
            raise ValueError(f"a {self.type} question takes no choices")
        keys = [c.key for c in self.choices]
        if len(set(keys)) != len(keys):
            raise ValueError("a choice key is listed twice")
        if (self.min is not None or self.max is not None) and self.type != "number":
            raise ValueError("min and max are for number questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class Instrument(_Table):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=60)]
    version: Annotated[int, Field(gt=0)] | Annotated[str, Field(pattern=r"^[0-9][0-9.]*$")]
    title: Text
    sections: list[Section] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, str(self.version))

    @cached_property
    def _by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    def question(self, key: str) -> Question:
        return self._by_key[key]

    def is_health(self, key: str) -> bool:
        q = self._by_key[key]
        if q.health is not None:
            return q.health
        return next(s.health for s in self.sections if s.key == q.section)

    def in_section(self, section: str) -> list[Question]:
        return [q for q in self.questions if q.section == section]

    def check_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers, cleaned to stored form; raises AnswerError naming each bad question.

        Blank answers are dropped; a required question left blank is an error.
        """
        problems: dict[str, str] = {}
        cleaned: dict[str, Any] = {}
        for key in answers:
            if key not in self._by_key:
                problems[key] = "not a question in this instrument"
        for q in self.questions:
            value = answers.get(q.key)
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "" or value == []:
                if q.required:
                    problems[q.key] = "an answer is required"
                continue
            try:
                cleaned[q.key] = _clean(q, value)
            except ValueError as exc:
                problems[q.key] = str(exc)
        if problems:
            raise AnswerError(problems)
        return cleaned


class AnswerError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {m}" for k, m in problems.items()))


def _clean(q: Question, value: Any) -> Any:
    keys = [c.key for c in q.choices]
    if q.type == "text":
        if not isinstance(value, str):
            raise ValueError("give text")
        value = value.strip()
        if len(value) > TEXT_MAX:
            raise ValueError(f"keep it under {TEXT_MAX} characters")
        return value
    if q.type == "choice":
        if value not in keys:
            raise ValueError(f"choose one of: {', '.join(keys)}")
        return value
    if q.type == "multi":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in keys for v in value):
            raise ValueError(f"choose from: {', '.join(keys)}")
        return [k for k in keys if k in value]  # the instrument's order, no repeats
    if q.type == "yes_no":
        if value in (True, "yes", "true"):
            return True
        if value in (False, "no", "false"):
            return False
        raise ValueError("answer yes or no")
    if q.type == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("give a number") from None
        if isinstance(value, bool) or number != number or number in (float("inf"), -float("inf")):
            raise ValueError("give a number")
        if q.min is not None and number < q.min:
            raise ValueError(f"at least {q.min:g}")
        if q.max is not None and number > q.max:
            raise ValueError(f"at most {q.max:g}")
        return int(number) if number.is_integer() else number
    # date
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError("give a date as YYYY-MM-DD") from None
    if not 1900 <= day.year <= 2100:
        raise ValueError("the year must be between 1900 and 2100")
    return day.isoformat()


def parse_instrument(text: str, source: str = "<instrument>") -> Instrument:
    """Validate instrument TOML text; raises InstrumentError naming key and line."""
    return parse_toml(text, source, Instrument, InstrumentError, _inconsistencies)


def parse_toml(text: str, source: str, model: type, error: type, check: Any) -> Any:
    """TOML text validated as `model`, then by `check` (the model's cross-field rules);
    raises `error` (a PolicyError) naming each bad key and its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = int(m.group(1)) if m else None
        raise error(f"not valid TOML: {exc}", line=line, source=source) from None
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = tuple(part for part in e["loc"] if part != "[key]")
            # Union members (version) add their type name to the location; drop it.
            loc = tuple(p for p in loc if not (isinstance(p, str) and p[:1].isupper()))
            loc = tuple(p for p in loc if p not in ("int", "str") and "-" not in str(p))
            problems.append((loc, friendly_message(e, noun="key")))
        raise _error(problems, text, source, error) from None
    problems = check(parsed)
    if problems:
        raise _error(problems, text, source, error)
    return parsed


def _inconsistencies(inst: Instrument) -> list[tuple[tuple, str]]:
    """Keys repeated, and questions naming a section that does not exist."""
    return key_problems(
        inst.sections, "sections", "section", inst.questions, "questions", "question"
    )


def key_problems(
    parents: list, parents_at: str, parent: str, children: list, children_at: str, child: str
) -> list[tuple[tuple, str]]:
    """Keys listed twice among the parents (sections, measures) or the children (questions,
    items), and children whose `parent` field names no parent; each with its path."""
    problems: list[tuple[tuple, str]] = []
    keys: set[str] = set()
    for i, p in enumerate(parents):
        if p.key in keys:
            problems.append(((parents_at, i, "key"), f"{parent} {p.key!r} is listed twice"))
        keys.add(p.key)
    seen: set[str] = set()
    for i, c in enumerate(children):
        if getattr(c, parent) not in keys:
            problems.append(((children_at, i, parent), f"unknown {parent} {getattr(c, parent)!r}"))
        if c.key in seen:
            problems.append(((children_at, i, "key"), f"{child} {c.key!r} is listed twice"))
        seen.add(c.key)
    return problems


def _error(
    problems: list[tuple[tuple, str]], text: str, source: str, error: type = InstrumentError
) -> PolicyError:
    lines = key_lines(text)
    found = [
        {"key": _display_key(loc), "line": _line_for(loc, lines), "message": message}
        for loc, message in problems
    ]
    first = found[0]
    return error(
        first["message"], key=first["key"], line=first["line"], source=source, problems=found
    )


def load_instrument(path: str | Path) -> Instrument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstrumentError(f"cannot read instrument: {exc.strerror}", source=str(path)) from None
    return parse_instrument(text, source=str(path))
