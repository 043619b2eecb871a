"""The roles staff can hold. Pure Python so the access matrix can be read without Django."""

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    CASE_MANAGER = "case_manager"
    SUPERVISOR = "supervisor"
    PROSECUTOR = "prosecutor"
    DEFENDER = "defender"
    PROGRAM_MANAGER = "program_manager"
    EVALUATOR = "evaluator"
    ADMINISTRATOR = "administrator"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# The roles LEAD's First Golden Rule keeps health and substance-use detail from: a reader
# holding any of them gets stored text that fails the health-word check withheld.
ENFORCEMENT = frozenset({Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER})
