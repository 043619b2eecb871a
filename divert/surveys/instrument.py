"""A survey instrument: agree-disagree items grouped into measures, as data. Pure Python.

A survey instrument is a versioned TOML file (instruments/surveys/*.toml, docs/surveys.md).
Each item belongs to one measure; each measure names who answers it (participants, officers,
community members). Answers are 1 to `len(scale)` or skipped. A respondent's score on a
measure is the mean of the items they answered, counted only when they answered at least
half of the measure's items; they agree when the score reaches `agree_at`.

>>> inst = load_survey_instrument("instruments/surveys/police-legitimacy.toml")
>>> [i.key for i in inst.items_for("officer")][:2]
['of_worth', 'of_know']
>>> inst.scores("community", inst.check_answers("community", {"pj_respect": 5, "pj_fair": 4}))
{'procedural_justice': 4.5}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from divert.assessment.instrument import key_problems, parse_toml
from divert.eligibility.errors import PolicyError

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Respondent = Literal["participant", "officer", "community"]
RESPONDENTS: dict[str, str] = {
    "participant": "Participants",
    "officer": "Officers",
    "community": "Community members",
}
DIRECTORY = Path(__file__).resolve().parents[2] / "instruments" / "surveys"


class SurveyInstrumentError(PolicyError):
    """A survey instrument file that cannot be used; names the key and line."""


class AnswerError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(_Table):
    key: Key
    title: Text
    respondents: list[Respondent] = Field(min_length=1)


class Item(_Table):
    key: Key
    measure: Key
    text: Text


class SurveyInstrument(_Table):
    id: Id
    version: StrictInt = Field(ge=1)
    title: Text
    intro: Annotated[str, Field(max_length=600)] = ""
    scale: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        min_length=2, max_length=11
    )
    agree_at: StrictInt = Field(ge=1)
    measures: list[Measure] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    def measures_for(self, respondents: str) -> list[Measure]:
        return [m for m in self.measures if respondents in m.respondents]

    def items_for(self, respondents: str) -> list[Item]:
        keys = {m.key for m in self.measures_for(respondents)}
        return [i for i in self.items if i.measure in keys]

    def check_answers(self, respondents: str, answers: dict[str, Any]) -> dict[str, int | None]:
        """The answers as stored: every item this respondent is asked, 1..len(scale) or None.

        Raises AnswerError naming each unknown item and each value off the scale."""
        asked = {i.key for i in self.items_for(respondents)}
        problems = {k: "not a question of this survey" for k in answers if k not in asked}
        clean: dict[str, int | None] = {}
        for key in sorted(asked):
            value = answers.get(key)
            if value in (None, ""):
                clean[key] = None
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if (
                isinstance(value, bool)
                or str(number) != str(value).strip()
                or not (1 <= number <= len(self.scale))
            ):
                problems[key] = f"answer with a number from 1 to {len(self.scale)}, or skip it"
                continue
            clean[key] = number
        if problems:
            raise AnswerError(problems)
        if all(v is None for v in clean.values()):
            raise AnswerError({"answers": "answer at least one question"})
        return clean

    def scores(self, respondents: str, answers: dict[str, int | None]) -> dict[str, float]:
        """Each measure's mean, for measures with at least half their items answered."""
        out: dict[str, float] = {}
        for m in self.measures_for(respondents):
            values = [answers.get(i.key) for i in self.items if i.measure == m.key]
            given = [v for v in values if v is not None]
            if given and 2 * len(given) >= len(values):
                out[m.key] = round(sum(given) / len(given), 4)
        return out


def _inconsistencies(inst: SurveyInstrument) -> list[tuple[tuple, str]]:
    problems: list[tuple[tuple, str]] = []
    if inst.agree_at > len(inst.scale):
        problems.append((("agree_at",), f"{inst.agree_at} is beyond the scale's last point"))
    problems += key_problems(inst.measures, "measures", "measure", inst.items, "items", "item")
    used = {i.measure for i in inst.items}
    for n, m in enumerate(inst.measures):
        if m.key not in used:
            problems.append((("measures", n, "key"), f"measure {m.key!r} has no items"))
    return problems


def parse_survey_instrument(text: str, source: str = "<survey>") -> SurveyInstrument:
    """Validate survey instrument TOML; raises SurveyInstrumentError naming key and line."""
    return parse_toml(text, source, SurveyInstrument, SurveyInstrumentError, _inconsistencies)


def load_survey_instrument(path: str | Path) -> SurveyInstrument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SurveyInstrumentError(
            f"cannot read survey instrument: {exc.strerror}", source=str(path)
        ) from None
    return parse_survey_instrument(text, source=str(path))


def available(directory: Path = DIRECTORY) -> dict[str, SurveyInstrument]:
    """The instruments shipped or added to the directory, by file name (without .toml)."""
    return {p.stem: load_survey_instrument(p) for p in sorted(directory.glob("*.toml"))}
