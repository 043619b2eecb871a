"""The NIBRS offense vocabulary divert speaks.

Every jurisdiction maps its local statutes onto these codes, so eligibility rules,
synthetic data and evaluation can name offenses the same way everywhere.
Pure Python: no Django import, so the eligibility engine and the synthesizer can use it.

>>> OFFENSES["35A"].family
'drug'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offense:
    code: str
    name: str
    against: str  # NIBRS "crime against": person, property, society, or "" for Group B
    family: str  # divert's grouping: drug, sex_work, violent, weapons, property, other
    group: str = "A"


def _o(code: str, name: str, against: str, family: str, group: str = "A") -> Offense:
    return Offense(code, name, against, family, group)


_ALL = [
    _o("09A", "Murder and nonnegligent manslaughter", "person", "violent"),
    _o("09B", "Negligent manslaughter", "person", "violent"),
    _o("09C", "Justifiable homicide", "", "other"),
    _o("100", "Kidnapping/abduction", "person", "violent"),
    _o("11A", "Rape", "person", "violent"),
    _o("11B", "Sodomy", "person", "violent"),
    _o("11C", "Sexual assault with an object", "person", "violent"),
    _o("11D", "Fondling", "person", "violent"),
    _o("120", "Robbery", "property", "violent"),
    _o("13A", "Aggravated assault", "person", "violent"),
    _o("13B", "Simple assault", "person", "violent"),
    _o("13C", "Intimidation", "person", "violent"),
    _o("200", "Arson", "property", "violent"),
    _o("210", "Extortion/blackmail", "property", "property"),
    _o("220", "Burglary/breaking and entering", "property", "property"),
    _o("23A", "Pocket-picking", "property", "property"),
    _o("23B", "Purse-snatching", "property", "property"),
    _o("23C", "Shoplifting", "property", "property"),
    _o("23D", "Theft from building", "property", "property"),
    _o("23E", "Theft from coin-operated machine", "property", "property"),
    _o("23F", "Theft from motor vehicle", "property", "property"),
    _o("23G", "Theft of motor vehicle parts", "property", "property"),
    _o("23H", "All other larceny", "property", "property"),
    _o("240", "Motor vehicle theft", "property", "property"),
    _o("250", "Counterfeiting/forgery", "property", "property"),
    _o("26A", "False pretenses/swindle/confidence game", "property", "property"),
    _o("26B", "Credit card/ATM fraud", "property", "property"),
    _o("26C", "Impersonation", "property", "property"),
    _o("26D", "Welfare fraud", "property", "property"),
    _o("26E", "Wire fraud", "property", "property"),
    _o("26F", "Identity theft", "property", "property"),
    _o("26G", "Hacking/computer invasion", "property", "property"),
    _o("26H", "Money laundering", "society", "property"),
    _o("270", "Embezzlement", "property", "property"),
    _o("280", "Stolen property offenses", "property", "property"),
    _o("290", "Destruction/damage/vandalism of property", "property", "property"),
    _o("35A", "Drug/narcotic violations", "society", "drug"),
    _o("35B", "Drug equipment violations", "society", "drug"),
    _o("36A", "Incest", "person", "violent"),
    _o("36B", "Statutory rape", "person", "violent"),
    _o("370", "Pornography/obscene material", "society", "other"),
    _o("39A", "Betting/wagering", "society", "other"),
    _o("39B", "Operating/promoting/assisting gambling", "society", "other"),
    _o("39C", "Gambling equipment violations", "society", "other"),
    _o("39D", "Sports tampering", "society", "other"),
    _o("40A", "Prostitution", "society", "sex_work"),
    _o("40B", "Assisting or promoting prostitution", "society", "sex_work"),
    _o("40C", "Purchasing prostitution", "society", "sex_work"),
    _o("510", "Bribery", "property", "property"),
    _o("520", "Weapon law violations", "society", "weapons"),
    _o("64A", "Human trafficking, commercial sex acts", "person", "violent"),
    _o("64B", "Human trafficking, involuntary servitude", "person", "violent"),
    _o("720", "Animal cruelty", "society", "other"),
    _o("90A", "Bad checks", "", "other", "B"),
    _o("90B", "Curfew/loitering/vagrancy violations", "", "other", "B"),
    _o("90C", "Disorderly conduct", "", "other", "B"),
    _o("90D", "Driving under the influence", "", "other", "B"),
    _o("90E", "Drunkenness", "", "other", "B"),
    _o("90F", "Family offenses, nonviolent", "", "other", "B"),
    _o("90G", "Liquor law violations", "", "other", "B"),
    _o("90H", "Peeping tom", "", "other", "B"),
    _o("90I", "Runaway", "", "other", "B"),
    _o("90J", "Trespass of real property", "", "other", "B"),
    _o("90Z", "All other offenses", "", "other", "B"),
]

OFFENSES: dict[str, Offense] = {o.code: o for o in _ALL}

# Codes LEAD was designed for; the rest can only ever disqualify or be history.
LEAD_TARGET_CODES = frozenset({"35A", "35B", "40A"})

ACTIVITIES = (
    "possess",
    "use",
    "subsistence_sale",
    "sale_for_profit",
    "manufacture",
    "solicit",
    "promote",
    "purchase",
    "other",
)

DRUGS = (
    "heroin",
    "fentanyl",
    "other_opioid",
    "prescription_opioid_pills",
    "cocaine",
    "crack",
    "methamphetamine",
    "cannabis",
    "other",
)


class UnknownOffenseCode(ValueError):
    """A code that is not in the NIBRS vocabulary."""


def offense(code: str) -> Offense:
    """Look up a NIBRS code, raising UnknownOffenseCode with the code in the message.

    >>> offense("40a").name
    'Prostitution'
    """
    key = code.strip().upper()
    try:
        return OFFENSES[key]
    except KeyError:
        raise UnknownOffenseCode(f"unknown NIBRS offense code {code!r}") from None


def codes_in_family(family: str) -> frozenset[str]:
    return frozenset(o.code for o in _ALL if o.family == family)
