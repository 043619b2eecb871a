"""Name lists and the nickname table used for synthetic identities and identity noise.

NICKNAMES maps a formal first name to the nicknames a booking clerk might record.
Record-linkage code may reuse it.

>>> "Bob" in NICKNAMES["Robert"]
True
"""

from __future__ import annotations

from divert.nicknames import NICKNAMES  # noqa: F401  (re-exported for synth users)

# fmt: off
MALE_FIRST = (
    "Robert", "William", "Richard", "James", "John", "Michael", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Donald", "Steven", "Andrew",
    "Kenneth", "Joshua", "Edward", "Ronald", "Timothy", "Jeffrey", "Nicholas", "Gregory",
    "Benjamin", "Samuel", "Alexander", "Jose", "Luis", "Carlos", "Juan", "Miguel", "David",
    "Brian", "Kevin", "Jason", "Eric", "Marcus", "Darnell", "Terrell", "Andre", "Jamal",
    "Tyrone", "Malik", "DeShawn", "Hector", "Raul", "Wei", "Minh", "Tuan", "Hiroshi", "Sanjay",
    "Ahmed", "Omar", "Tyler", "Kyle", "Cody", "Travis", "Dustin", "Shane", "Wayne", "Dale",
)
FEMALE_FIRST = (
    "Elizabeth", "Jennifer", "Patricia", "Margaret", "Katherine", "Susan", "Deborah",
    "Rebecca", "Kimberly", "Jessica", "Samantha", "Victoria", "Christina", "Cynthia",
    "Pamela", "Stephanie", "Angela", "Theresa", "Dorothy", "Abigail", "Mary", "Linda",
    "Barbara", "Sarah", "Karen", "Nancy", "Lisa", "Sandra", "Ashley", "Amanda", "Melissa",
    "Michelle", "Laura", "Amy", "Tamika", "Keisha", "Latoya", "Aaliyah", "Ebony", "Shanice",
    "Maria", "Rosa", "Carmen", "Guadalupe", "Lucia", "Mei", "Lan", "Thuy", "Yuki", "Priya",
    "Fatima", "Amina", "Crystal", "Brandy", "Amber", "Heather", "Tiffany", "Tonya", "Dawn",
)
SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
    "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins",
    "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz",
    "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
    "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett",
    "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel",
    "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell",
    "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher",
    "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
    "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera",
    "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro",
    "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy",
    "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns",
    "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw",
    "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner",
    "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills",
    "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto",
    "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
)
# fmt: on
