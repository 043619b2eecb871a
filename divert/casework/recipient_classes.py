"""A release may name a class of recipients in words (42 CFR §2.31(a)(4)) instead of, or
beside, named organizations. divert recognises the classes it can check against its own
records, the providers in the site's services directory, and discloses to a member of one as
to a named recipient. Words it cannot check ("my treating providers") are kept as written and
disclose to no one by themselves: the case manager names the organization instead.

>>> directory_class("Service providers in the services directory")
(True, '')
>>> directory_class("housing providers in the directory")
(True, 'housing')
>>> directory_class("my treating providers")
(False, '')
"""

import re
from typing import Any

_DIRECTORY = re.compile(
    r"^(?:(?P<need>.+?)\s+)?(?:service\s+)?providers?\s+in\s+the\s+(?:services\s+)?directory$"
)


def directory_class(words: str) -> tuple[bool, str]:
    """Whether `words` name the site's directory providers, and the need they are limited to
    ("" for every provider in the directory)."""
    text = " ".join((words or "").lower().split()).strip(" .;,")
    found = _DIRECTORY.match(text)
    if found is None:
        return False, ""
    need = (found.group("need") or "").strip()
    return True, "" if need in ("service", "all", "any", "the") else need


def in_class(words: str, organization_id: int, jurisdiction_id: int) -> bool:
    """Whether the site organization belongs to the class of recipients `words` describe."""
    from divert.directory.models import Organization as DirectoryOrganization

    known, need = directory_class(words)
    if not known:
        return False
    entries: Any = DirectoryOrganization.objects.filter(
        jurisdiction_id=jurisdiction_id, partner_id=organization_id
    )
    if need:
        entries = entries.filter(services__categories__name__iexact=need).exclude(
            services__status__in=["inactive", "defunct"]
        )
    return entries.exists()
