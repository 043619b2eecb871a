"""Formal first names and the nicknames people go by, for matching and for synthetic noise.

Pure Python. Matching puts a nickname back to its formal name ("Bob" -> "Robert");
the synthesizer goes the other way.

>>> "Bob" in NICKNAMES["Robert"]
True
"""

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Richard": ("Rick", "Dick", "Rich"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Johnny", "Jack"),
    "Michael": ("Mike", "Mikey"),
    "Joseph": ("Joe", "Joey"),
    "Thomas": ("Tom", "Tommy"),
    "Charles": ("Charlie", "Chuck"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Donald": ("Don", "Donnie"),
    "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Kenneth": ("Ken", "Kenny"),
    "Joshua": ("Josh",),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Ronald": ("Ron", "Ronnie"),
    "Timothy": ("Tim", "Timmy"),
    "Jeffrey": ("Jeff",),
    "Nicholas": ("Nick",),
    "Gregory": ("Greg",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Alexander": ("Alex",),
    "Jose": ("Pepe",),
    "Elizabeth": ("Liz", "Beth", "Betty"),
    "Jennifer": ("Jen", "Jenny"),
    "Patricia": ("Pat", "Patty", "Tricia"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Susan": ("Sue", "Suzy"),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky",),
    "Kimberly": ("Kim",),
    "Jessica": ("Jess",),
    "Samantha": ("Sam",),
    "Victoria": ("Vicky", "Tori"),
    "Christina": ("Tina", "Chris"),
    "Cynthia": ("Cindy",),
    "Pamela": ("Pam",),
    "Stephanie": ("Steph",),
    "Angela": ("Angie",),
    "Theresa": ("Terri", "Tess"),
    "Dorothy": ("Dot", "Dottie"),
    "Abigail": ("Abby",),
}
