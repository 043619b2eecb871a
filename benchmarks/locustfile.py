"""The mixed load of staff at work, for locust (run by benchmarks.server_load).

Each locust user is one member of staff with a logged-in session (made by the benchmark's
set-up, so password hashing does not dominate the run), choosing among the pages their role
opens in a day, with a short think time between requests. A page counts as an error unless
it answers 200 (a redirect to the log-in page is an error too).

To add a page, add a task to the role's class: one method calling `self.page(...)`, or
`self.post(...)` for a form (the session carries a CSRF token), with a weight for how often
it is used.

    BENCH_PLAN=benchmarks/out/server_load-plan.json .venv/bin/locust -f benchmarks/locustfile.py
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from locust import FastHttpUser, between, task

if __package__ in (None, ""):  # loaded by locust as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import random_case

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
_accounts = {role: itertools.cycle(accounts) for role, accounts in PLAN["accounts"].items()}
SITE_ZONE = ZoneInfo(PLAN["zone"])


def _typed(name: str, rng: random.Random) -> str:
    """A name as an officer types it on a phone: often whole, sometimes half or with a slip."""
    roll = rng.random()
    if roll < 0.15:
        return name.split()[-1]  # the last name only
    if roll < 0.25 and len(name) > 4:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]  # one letter dropped
    return name


class Staff(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.account = next(_accounts[self.role])
        self.rng = random.Random()
        self.cookie = f"sessionid={self.account['session']}; csrftoken={self.account['csrf']}"

    def page(
        self, path: str, name: str, headers: dict | None = None, expect: tuple = (200,)
    ) -> None:
        with self.client.get(
            path,
            name=name,
            headers={"Cookie": self.cookie, **(headers or {})},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} from {path}")

    def post(self, path: str, name: str, data: dict, expect: int = 302) -> None:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.account["csrf"]}
        with self.client.post(
            path, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} from {path}")


class Officer(Staff):
    """On the street: find the person, then screen the offense (the API the phone uses)."""

    role = "officer"
    weight = 4

    @task(3)
    def lookup(self) -> None:
        person = self.rng.choice(PLAN["people"])
        path = "/field/lookup/?" + urlencode({"q": _typed(person["name"], self.rng)})
        # Search as you type: the phone asks for just the results (HTMX).
        self.page(path, "officer: lookup", headers={"HX-Request": "true"})

    @task(2)
    def screen(self) -> None:
        person = self.rng.choice(PLAN["people"])
        case = random_case(self.rng, dob=person["dob"])
        with self.client.post(
            f"/api/v1/screen?person_id={person['id']}",
            name="officer: screen (API)",
            data=json.dumps(case),
            headers={
                "Authorization": f"Bearer {self.account['token']}",
                "Content-Type": "application/json",
            },
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class CaseManager(Staff):
    """At the desk and on the street: the inbox (open, and polled for new hand-offs), their
    caseload, a participant's page, a contact logged, their alerts."""

    role = "case_manager"
    weight = 4

    @task(2)
    def inbox(self) -> None:
        self.page("/inbox/", "case manager: inbox")

    @task(3)
    def inbox_poll(self) -> None:
        # The open inbox asks every 30 s with the newest hand-off it shows: mostly nothing is
        # newer (204); now and then a new one is (the list again).
        after = 0 if self.rng.random() < 0.1 else 10**9
        self.page(
            f"/inbox/handoffs/?after={after}",
            "case manager: inbox poll",
            headers={"HX-Request": "true"},
            expect=(200, 204),
        )

    @task(2)
    def caseload(self) -> None:
        self.page("/casework/", "case manager: caseload")

    @task(3)
    def participant(self) -> None:
        enrollments = self.account["enrollments"]
        if enrollments:
            enrollment = self.rng.choice(enrollments)
            self.page(f"/casework/enrollments/{enrollment}/", "case manager: participant page")

    @task(2)
    def contact(self) -> None:
        enrollments = self.account["enrollments"]
        if enrollments:
            enrollment = self.rng.choice(enrollments)
            # The phone's form, as sent: the site's wall-clock time and a client-made id.
            when = dt.datetime.now(SITE_ZONE) - dt.timedelta(minutes=self.rng.randint(1, 90))
            self.post(
                f"/casework/enrollments/{enrollment}/contacts/new/",
                "case manager: log a contact",
                {
                    "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
                    "place": self.rng.choice(["street", "shelter", "office", "phone"]),
                    "kind": self.rng.choice(["in_person", "in_person", "phone", "attempted"]),
                    "minutes": str(self.rng.randint(5, 60)),
                    "present": "",
                    "note": "",
                    "client_id": str(uuid.uuid4()),
                },
            )

    @task(1)
    def alerts(self) -> None:
        self.page("/alerts/", "case manager: alerts")


class Supervisor(Staff):
    """Watching capacity: refusals and caseloads, the team's caseload, the workgroup agenda."""

    role = "supervisor"
    weight = 1

    @task(2)
    def capacity(self) -> None:
        self.page("/field/capacity/", "supervisor: capacity")

    @task(1)
    def team(self) -> None:
        self.page("/casework/?all=1", "supervisor: team caseload")

    @task(1)
    def workgroup(self) -> None:
        self.page("/workgroup/", "supervisor: workgroup agenda")


class Prosecutor(Staff):
    """The liaison prosecutor's queue of charge holds."""

    role = "prosecutor"
    weight = 1

    @task
    def holds(self) -> None:
        self.page("/charges/", "prosecutor: charge holds")


class ProgramManager(Staff):
    """The program's summary."""

    role = "program_manager"
    weight = 1

    @task
    def summary(self) -> None:
        self.page("/program/", "program manager: summary")
