"""One vocabulary: the engine's types, the database's choices and the enums agree."""

from typing import get_args

from divert.eligibility import vocabulary as engine
from divert.field.models import Referral
from divert.vocabulary import Disposition, Pathway, disposition_word


def test_the_engine_and_the_database_use_the_same_pathway_words():
    assert tuple(p.value for p in Pathway) == engine.PATHWAYS
    assert [c for c, _ in Referral.Pathway.choices] == [p.value for p in Pathway]
    assert Referral.Pathway.SOCIAL_CONTACT.label == "Social contact"


def test_the_engine_and_the_importers_use_the_same_disposition_words():
    assert tuple(d.value for d in Disposition) == get_args(engine.Disposition)


def test_court_spellings_map_to_our_words_and_unknown_ones_do_not():
    assert disposition_word("GUILTY  PLEA") == "convicted"
    assert disposition_word("Not Guilty") == "acquitted"
    assert disposition_word("deferred adjudication") is None
