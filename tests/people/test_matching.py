import datetime

from divert.people.matching import Candidate, name_keys, query_keys, rank, score

ROBERT = Candidate(1, ("Robert Smith", "Bobby Tables"), datetime.date(1984, 2, 29))


def test_a_nickname_and_a_swapped_order_meet_the_same_keys():
    assert query_keys("Bob Smith") & name_keys("Robert", "Smith")
    assert query_keys("Smith Robert") & name_keys("Robert", "Smith")


def test_each_part_of_a_hyphenated_surname_is_keyed():
    assert {"L:G650", "L:S530"} <= name_keys("Michelle", "Graham-Smith")


def test_a_typo_still_scores_high_and_a_stranger_low():
    assert score("Robrt Smith", ROBERT) > 80
    assert score("John Doe", ROBERT) < 50


def test_an_exact_birth_date_outranks_a_same_year_one_even_when_names_tie():
    same_year = Candidate(0, ("Robert Smith",), datetime.date(1984, 7, 1))
    ranked = rank("Robert Smith", [same_year, ROBERT], datetime.date(1984, 2, 29))
    assert [c.person_id for c, _ in ranked] == [1, 0]
    assert all(s <= 100 for _, s in ranked)


def test_day_and_month_swapped_counts_as_a_likely_slip():
    person = Candidate(2, ("Ann Lee",), datetime.date(1990, 3, 4))
    assert score("Ann Lee", person, datetime.date(1990, 4, 3)) > score(
        "Ann Lee", person, datetime.date(1991, 4, 3)
    )
