#!/usr/bin/env python3
"""Deterministic synthetic corpus generator for phiscan benchmarks and recall checks.

Usage:
    python3 scripts/gen_corpus.py --seed 42 --size 100M --out /tmp/corpus [--density 0.5]
                                  [--truth PATH] [--jobs N] [--force]

Writes a tree of files (1 KB .. 5 MB, most small, a few large) whose total size is about
--size (K/M/G suffixes, powers of 1024):

    comms/newsletters/*.md, comms/press/*.md|.txt   newsletters and press-release drafts
    notes/<dept>/*.txt                               clinical-style notes ("Pt is a 67 yo M ...")
    social/<platform>/*.txt                          short social-media posts (emoji, hashtags)
    exports/csv/*.csv                                CSV exports (patient, lab, mailing, stats)
    exports/json/*.json|.jsonl                       JSON / JSON Lines exports

Text is built from templates and word pools: mostly non-PHI prose (with harmless numeric
decoys: times, money, room numbers, ICD codes, versions) with synthetic PHI planted at
--density identifiers per KB on average (default 0.5; clinical notes and exports get more,
comms and social posts less, some files none). Every planted item is obviously fake:

    name       invented/common first+last names (a few with accents: multi-byte UTF-8)
    ssn        random but structurally valid (area 001-665, group 01-99, serial 0001-9999)
    phone      NXX-555-01xx fictional numbers      email   @example.com / @example.org
    date       MM/DD/YYYY, M/D/YYYY, "March 3, 2021", ISO 2021-03-03
    mrn        labelled ("MRN: 4821937"; the span is the number)
    zip        with context ("Springfield, IL 62704", "ZIP 02139"; the span is the ZIP)
    address    "1234 Maple Street"                  age     over 89 ("92-year-old", "age 94")
    npi        10 digits, valid Luhn with the 80840 prefix
    card       4111... / 5555... test numbers, valid Luhn
    ip         192.0.2.x, 198.51.100.x, 203.0.113.x, 2001:db8::/32
    url        https://example.org/...            diagnosis / medication   from fixed pools

Ground truth goes to <dirname(out)>/<basename(out)>.truth.jsonl (outside the scanned tree)
or --truth PATH: one JSON object per planted item, sorted by path then offset:

    {"path": "notes/cardiology/note-00017.txt", "start": 812, "end": 823,
     "type": "date", "value": "03/14/2024"}

start/end are UTF-8 byte offsets into the written file; the script asserts
file_bytes[start:end] == value.encode() for every item before writing the truth file.
"value" is an extra field for debugging.

Deterministic: the same --seed, --size and --density give byte-identical output (every
file has its own random.Random seeded from (seed, index); no clock, no hash randomisation,
results are collected in plan order whatever --jobs is). The tree is generated in
<out>.partial and renamed to <out> when complete. An existing non-empty <out> is an error
unless --force (which deletes it first).

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import time
import unicodedata

KB = 1024
MIN_FILE = 1 * KB
MAX_FILE = 5 * KB * KB

TYPES = ["name", "ssn", "phone", "email", "date", "mrn", "zip", "address", "age",
         "npi", "card", "ip", "url", "diagnosis", "medication"]

# --------------------------------------------------------------------------------------------
# Word pools (filler). Filler never contains names, diagnoses or medications from the planted
# pools, so the truth file lists every occurrence of those.
# --------------------------------------------------------------------------------------------

ORGS = ["Riverside Community Hospital", "Lakeview Health", "Northbridge Medical Center",
        "Cedar Valley Clinic", "St. Brigid's Health System", "Maplewood Family Practice",
        "Granite Peak Regional Hospital", "Bayshore Health Partners", "Willow Creek Medical Group",
        "Summit Children's Hospital", "Prairie Rose Health", "Eastgate Community Clinic"]
ORG_SHORT = ["Riverside", "Lakeview", "Northbridge", "Cedar Valley", "St. Brigid's", "Maplewood",
             "Granite Peak", "Bayshore", "Willow Creek", "Summit", "Prairie Rose", "Eastgate"]
FOUNDATIONS = ["Harbor Light Foundation", "Community Health Trust", "Blue Ridge Fund",
               "Northern Lights Philanthropy", "Evergreen Health Foundation", "the state health department"]
PROGRAMS = ["community wellness program", "mobile mammography unit", "fall prevention program",
            "heart health series", "nutrition education initiative", "maternal health program",
            "vaccination clinic", "blood drive", "caregiver support group", "telehealth pilot",
            "smoking cessation class", "healthy aging workshop", "school-based health program",
            "food pharmacy", "peer mentoring program", "sleep health study", "walking club"]
EVENTS = ["5K fun run", "health fair", "open house", "ribbon-cutting ceremony", "town hall",
          "volunteer appreciation dinner", "benefit gala", "farmers market", "career fair",
          "family movie night", "community breakfast", "book drive", "coat drive", "golf outing"]
DEPTS = ["emergency department", "pediatrics unit", "oncology wing", "cardiology clinic",
         "behavioral health unit", "pharmacy", "radiology department", "maternity ward",
         "rehabilitation center", "intensive care unit", "orthopedics clinic", "wound care center",
         "infusion center", "sleep lab", "primary care office", "urgent care center"]
ROLES = ["nurses", "volunteers", "physicians", "pharmacists", "community health workers",
         "board members", "staff members", "medical students", "respiratory therapists",
         "social workers", "chaplains", "environmental services staff", "interpreters"]
TITLES = ["chief nursing officer", "hospital president", "medical director", "board chair",
          "director of community relations", "vice president of operations", "chief executive",
          "head of patient experience", "volunteer coordinator"]
TIMES = ["this spring", "last quarter", "in the coming months", "over the summer",
         "earlier this year", "next fall", "this week", "later this month", "last weekend",
         "before the holidays", "in January", "by the end of the year", "this past winter"]
ADJS = ["new", "expanded", "award-winning", "state-of-the-art", "community-based", "bilingual",
        "free", "redesigned", "year-round", "volunteer-led", "family-friendly", "accessible",
        "low-cost", "walk-in", "evidence-based", "grant-funded"]
VERBS_PAST = ["launched", "expanded", "celebrated", "completed", "opened", "welcomed",
              "renewed", "unveiled", "announced", "relaunched", "hosted", "finished"]
PLACES = ["the main campus", "the downtown clinic", "the north tower", "our Eastside location",
          "the community center", "the public library", "the Lincoln Park pavilion",
          "the west entrance", "the outpatient pavilion", "the Elm Hall auditorium",
          "the parking garage rooftop", "the café on level 2", "the wellness center"]
TOPICS = ["de-escalation", "trauma-informed care", "infection control", "patient privacy",
          "motivational interviewing", "safe lifting", "cultural humility", "emergency preparedness",
          "medication safety", "plain-language communication", "hand hygiene"]
FREEBIES = ["T-shirts", "water bottles", "blood pressure checks", "flu shots", "coffee",
            "reusable bags", "books for kids", "healthy snacks", "bike helmets"]
HEADLINES = ["A Season of Growth", "Caring Close to Home", "News from the Wards", "Community Corner",
             "Volunteer Spotlight", "Stories of Hope", "By the Numbers", "What's New This Month",
             "Building a Healthier Tomorrow", "Notes from Leadership", "Upcoming Events",
             "Around the Campus", "Giving Back", "Quality and Safety Update"]
SECTIONS = ["Highlights", "Upcoming Events", "Staff News", "From the Foundation", "Patient Stories",
            "Facilities Update", "Quality Corner", "Thank You", "Save the Date", "In the Community"]
HASHTAGS = ["HealthyCommunity", "NursesWeek", "ThankYouVolunteers", "WellnessWednesday",
            "CommunityHealth", "HeartMonth", "BeatTheFlu", "WeAreRiverside", "CareTeam",
            "PatientStories", "GiveBlood", "FallPrevention", "MentalHealthMatters"]
PLATFORMS = ["facebook", "instagram", "linkedin", "x", "nextdoor"]
EMOJI = ["💙", "🎉", "👏", "🙌", "❤️", "🌟", "🏥", "🩺", "🎗️", "🌷", "☀️", "😊", "📣"]
FACTS = ["Washing your hands for 20 seconds cuts the spread of germs",
         "A short walk after meals helps steady energy levels",
         "Most adults need seven or more hours of sleep",
         "Drinking water before meals can help with portion control",
         "Regular screenings catch problems early",
         "Stretching for five minutes a day improves balance",
         "Sunscreen is needed even on cloudy days",
         "Climbing stairs for ten minutes counts as moderate exercise",
         "Laughter really can lower stress hormones",
         "Our pharmacists can review all your prescriptions in one visit"]
# Clinical filler: symptoms and findings only (no planted diagnosis or medication names).
SYMPTOMS = ["shortness of breath", "dyspnea on exertion", "bilateral lower extremity edema",
            "chest tightness", "productive cough", "fatigue", "dizziness", "poor appetite",
            "orthopnea", "intermittent palpitations", "generalized weakness", "low-grade fevers",
            "nausea", "right knee pain", "worsening confusion", "decreased urine output"]
LUNG = ["bibasilar crackles", "clear breath sounds bilaterally", "scattered expiratory wheezes",
        "diminished breath sounds at the right base", "no increased work of breathing"]
HEART = ["regular rate and rhythm, no murmurs", "irregularly irregular rhythm",
         "2/6 systolic murmur at the left sternal border", "S3 present", "normal S1 and S2"]
PLANS = ["continue diuresis, daily weights, strict I/O, and reassess in AM",
         "advance diet as tolerated and encourage ambulation",
         "PT/OT evaluation, fall precautions",
         "repeat BMP in the morning and replete electrolytes as needed",
         "wean oxygen to keep SpO2 above 92%",
         "case management consult for discharge planning",
         "hold anticoagulation pending procedure", "titrate home regimen and recheck in 2 weeks"]
ICD = ["E11.9", "I50.23", "C50.911", "I63.9", "J44.1", "J18.9", "I48.91", "N18.3", "F32.9",
       "I10", "Z79.4", "R06.02", "M17.11", "K21.9"]
SEX = ["M", "F"]

# Planted pools.
FIRST = ["Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Olivia", "Daniel", "Priya",
         "Samuel", "Grace", "Mohammed", "Emily", "Carlos", "Hannah", "Kwame", "Sofia", "Thomas",
         "Mei", "Ethan", "Fatima", "Lucas", "Nora", "Isaac", "Chloe", "Dmitri", "Ruth", "Omar",
         "José", "Zoë", "Renée", "Björn", "Siobhán", "Anaïs", "Tomás", "Łucja"]
LAST = ["Nguyen", "Okafor", "Smith", "Johnson", "Kowalski", "Haddad", "Patel", "Brennan",
        "Martinez", "Lindqvist", "Abernathy", "Fairweather", "Quintero", "Ashworth", "Delacroix",
        "Thornbury", "Okonkwo", "Vasquez", "Whitlock", "Yamamoto", "Castellano", "Pemberton",
        "García", "Müller", "Núñez", "O'Donnell", "Sørensen", "Ibáñez"]
MIDDLE = "ABCDEFGHJKLMNPRSTW"
STREETS = ["Maple", "Oak", "Cedar", "Elm", "Washington", "Lincoln", "Park", "Lakeview", "Highland",
           "Sunset", "Mill", "Church", "Spring", "Ridge", "Willow", "Chestnut", "Harbor", "Orchard"]
SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Boulevard", "Court",
            "Way", "Place"]
CITIES = [("Springfield", "IL"), ("Riverton", "WY"), ("Fairview", "OR"), ("Franklin", "TN"),
          ("Greenville", "SC"), ("Madison", "WI"), ("Clinton", "IA"), ("Salem", "MA"),
          ("Georgetown", "TX"), ("Arlington", "VA"), ("Bristol", "CT"), ("Dover", "DE")]
AREA_CODES = ["212", "312", "415", "617", "702", "206", "801", "303", "404", "503", "614", "919"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DIAGNOSES = ["diabetes", "type 2 diabetes", "CHF", "congestive heart failure", "breast cancer",
             "stroke", "COPD", "pneumonia", "atrial fibrillation", "lung cancer", "hypertension",
             "chronic kidney disease", "major depressive disorder", "HIV", "hepatitis C",
             "asthma", "Alzheimer's disease", "sepsis", "myocardial infarction", "prostate cancer"]
MEDS = ["metformin", "lisinopril", "atorvastatin", "warfarin", "apixaban", "furosemide",
        "insulin glargine", "amlodipine", "metoprolol", "sertraline", "levothyroxine", "albuterol",
        "gabapentin", "prednisone", "omeprazole", "tamoxifen", "losartan"]
DOSES = ["5 mg", "10 mg", "20 mg", "25 mg", "40 mg", "81 mg", "500 mg", "1000 mg", "12.5 mg"]


def ascii_fold(s: str) -> str:
    s = s.replace("Ł", "L").replace("ł", "l").replace("ø", "o").replace("Ø", "O")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def luhn_check_digit(payload: str) -> str:
    """Digit d such that payload + d passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# --------------------------------------------------------------------------------------------
# Planted value generators: r -> str
# --------------------------------------------------------------------------------------------

def g_name(r):
    if r.random() < 0.8:
        return f"{r.choice(FIRST)} {r.choice(LAST)}"
    return f"{r.choice(FIRST)} {r.choice(MIDDLE)}. {r.choice(LAST)}"


def g_name_listed(r):
    """Export-style name: sometimes "Last, First" (quoted by the CSV writer)."""
    return f"{r.choice(LAST)}, {r.choice(FIRST)}" if r.random() < 0.3 else g_name(r)


def g_first(r):
    return r.choice(FIRST)


def g_last(r):
    return r.choice(LAST)


def g_ssn(r):
    while True:
        a, g, s = r.randint(1, 665), r.randint(1, 99), r.randint(1, 9999)
        if (a, g, s) not in ((78, 5, 1120), (219, 9, 9999)):
            break
    k = r.random()
    if k < 0.85:
        return f"{a:03d}-{g:02d}-{s:04d}"
    if k < 0.95:
        return f"{a:03d} {g:02d} {s:04d}"
    return f"{a:03d}{g:02d}{s:04d}"


def g_phone(r):
    ac, line = r.choice(AREA_CODES), f"01{r.randint(0, 99):02d}"
    k = r.random()
    if k < 0.35:
        return f"({ac}) 555-{line}"
    if k < 0.7:
        return f"{ac}-555-{line}"
    if k < 0.82:
        return f"{ac}.555.{line}"
    if k < 0.92:
        return f"+1 {ac} 555 {line}"
    return f"1-{ac}-555-{line}"


def g_email(r):
    f, l = ascii_fold(r.choice(FIRST)).lower(), ascii_fold(r.choice(LAST)).lower().replace("'", "")
    dom = r.choice(["example.com", "example.org", "mail.example.com", "example.org"])
    k = r.random()
    if k < 0.5:
        return f"{f}.{l}@{dom}"
    if k < 0.8:
        return f"{f[0]}{l}{r.randint(1, 99)}@{dom}"
    return f"{l}_{f}@{dom}"


def _ymd(r, y0, y1):
    return r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28)


def _fmt_date(r, y, m, d):
    k = r.random()
    if k < 0.45:
        return f"{m:02d}/{d:02d}/{y}"
    if k < 0.6:
        return f"{m}/{d}/{y}"
    if k < 0.8:
        return f"{MONTHS[m - 1]} {d}, {y}"
    return f"{y}-{m:02d}-{d:02d}"


def g_date(r):
    return _fmt_date(r, *_ymd(r, 2018, 2025))


def g_dob(r):
    return _fmt_date(r, *_ymd(r, 1925, 2015))


def g_mrn(r):
    n = r.randint(6, 10)
    return str(r.randint(10 ** (n - 1), 10 ** n - 1))


def g_zip(r):
    z = f"{r.randint(1001, 99950):05d}"
    return z if r.random() < 0.85 else f"{z}-{r.randint(1, 9999):04d}"


def g_address(r):
    s = f"{r.randint(1, 9999)} {r.choice(STREETS)} {r.choice(SUFFIXES)}"
    return s if r.random() < 0.85 else f"{s}, Apt {r.randint(1, 40)}{r.choice('ABCD')}"


def g_age(r):
    n = r.randint(90, 104)
    return r.choice([f"{n}-year-old", f"{n} year old", f"{n} years old", f"age {n}", f"{n} yo",
                     f"{n}-year-old"])


def g_npi(r):
    base = str(r.choice([1, 2])) + "".join(str(r.randint(0, 9)) for _ in range(8))
    npi = base + luhn_check_digit("80840" + base)
    assert luhn_ok("80840" + npi)
    return npi


def g_card(r):
    base = r.choice(["4111", "5555"]) + "".join(str(r.randint(0, 9)) for _ in range(11))
    num = base + luhn_check_digit(base)
    assert luhn_ok(num)
    k = r.random()
    if k < 0.5:
        return num
    sep = " " if k < 0.8 else "-"
    return sep.join(num[i:i + 4] for i in range(0, 16, 4))


def g_ip(r):
    k = r.random()
    if k < 0.3:
        return f"192.0.2.{r.randint(1, 254)}"
    if k < 0.6:
        return f"198.51.100.{r.randint(1, 254)}"
    if k < 0.9:
        return f"203.0.113.{r.randint(1, 254)}"
    return f"2001:db8::{r.randint(1, 0xffff):x}"


def g_url(r):
    host = r.choice(["example.org", "www.example.org", "portal.example.org", "records.example.org"])
    k = r.random()
    if k < 0.35:
        return f"https://{host}/patients/{r.randint(100000, 9999999)}"
    if k < 0.6:
        return f"https://{host}/chart?mrn={r.randint(100000, 9999999)}&visit={r.randint(1, 99)}"
    if k < 0.8:
        slug = f"{ascii_fold(r.choice(FIRST)).lower()}-{ascii_fold(r.choice(LAST)).lower()}"
        return f"https://{host}/stories/{slug.replace(chr(39), '')}"
    return f"http://{host}/files/{r.choice(['discharge', 'labs', 'imaging'])}/{r.randint(1000, 99999)}.pdf"


def g_diag(r):
    return r.choice(DIAGNOSES)


def g_med(r):
    return r.choice(MEDS)


PHI = {  # slot -> (type, generator)
    "name": ("name", g_name), "lname": ("name", g_name_listed), "first": ("name", g_first), "last": ("name", g_last),
    "ssn": ("ssn", g_ssn), "phone": ("phone", g_phone), "email": ("email", g_email),
    "date": ("date", g_date), "dob": ("date", g_dob), "mrn": ("mrn", g_mrn), "zip": ("zip", g_zip),
    "address": ("address", g_address), "age": ("age", g_age), "npi": ("npi", g_npi),
    "card": ("card", g_card), "ip": ("ip", g_ip), "url": ("url", g_url),
    "diagnosis": ("diagnosis", g_diag), "med": ("medication", g_med),
}


def _clock(r):
    h = r.randint(1, 12)
    return f"{h}:{r.choice(['00', '15', '30', '45'])} {r.choice(['a.m.', 'p.m.'])}"


FILL = {  # slot -> generator (non-PHI)
    "org": lambda r: r.choice(ORGS), "orgs": lambda r: r.choice(ORG_SHORT),
    "foundation": lambda r: r.choice(FOUNDATIONS), "program": lambda r: r.choice(PROGRAMS),
    "event": lambda r: r.choice(EVENTS), "dept": lambda r: r.choice(DEPTS),
    "role": lambda r: r.choice(ROLES), "title": lambda r: r.choice(TITLES),
    "time": lambda r: r.choice(TIMES), "adj": lambda r: r.choice(ADJS),
    "verb": lambda r: r.choice(VERBS_PAST), "place": lambda r: r.choice(PLACES),
    "topic": lambda r: r.choice(TOPICS), "freebie": lambda r: r.choice(FREEBIES),
    "fact": lambda r: r.choice(FACTS), "hashtag": lambda r: r.choice(HASHTAGS),
    "emoji": lambda r: r.choice(EMOJI), "symptom": lambda r: r.choice(SYMPTOMS),
    "lung": lambda r: r.choice(LUNG), "heart": lambda r: r.choice(HEART),
    "plan": lambda r: r.choice(PLANS), "icd": lambda r: r.choice(ICD), "sex": lambda r: r.choice(SEX),
    "dose": lambda r: r.choice(DOSES), "city": lambda r: r.choice(CITIES)[0],
    "num": lambda r: str(r.randint(2, 480)), "small": lambda r: str(r.randint(2, 14)),
    "yo": lambda r: str(r.randint(19, 88)),
    "bignum": lambda r: f"{r.randint(1, 98)},{r.randint(0, 999):03d}",
    "pct": lambda r: f"{r.randint(3, 96)}%", "year": lambda r: str(r.randint(2015, 2025)),
    "money": lambda r: r.choice([f"${r.randint(2, 95)},{r.randint(0, 9)}00",
                                 f"${r.randint(1, 9)}.{r.randint(1, 9)} million",
                                 f"${r.randint(150, 990)},000"]),
    "clock": _clock, "room": lambda r: f"{r.randint(1, 9)}{r.choice('ABCDEFW')}{r.randint(10, 99)}",
    "ext": lambda r: str(r.randint(2000, 7999)), "ver": lambda r: f"{r.randint(1, 4)}.{r.randint(0, 19)}.{r.randint(0, 9)}",
    "ticket": lambda r: f"INC-{r.randint(10000, 99999)}", "order": lambda r: f"{r.randint(100, 999)}-{r.randint(1000, 9999)}",
    "bp": lambda r: f"{r.randint(96, 178)}/{r.randint(54, 98)}", "hr": lambda r: str(r.randint(52, 128)),
    "rr": lambda r: str(r.randint(12, 28)), "spo2": lambda r: str(r.randint(86, 100)),
    "o2": lambda r: r.choice(["room air", "2L NC", "4L NC", "BiPAP"]),
    "na": lambda r: str(r.randint(128, 146)), "k": lambda r: f"{r.randint(30, 56) / 10:.1f}",
    "cr": lambda r: f"{r.randint(6, 34) / 10:.1f}", "bnp": lambda r: str(r.randint(40, 4200)),
    "temp": lambda r: f"{r.randint(970, 1025) / 10:.1f}", "ordinal": lambda r: r.choice(["first", "second", "third", "tenth", "25th", "50th"]),
    "state": lambda r: r.choice(CITIES)[1],
    # Decoys shaped like identifiers that validators must reject (never in the truth file).
    "badssn": lambda r: f"{r.choice([r.randint(900, 999), 0, 666]):03d}-{r.randint(0, 99):02d}-{r.randint(0, 9999):04d}",
    "badcard": lambda r: _bad_luhn("4111" + "".join(str(r.randint(0, 9)) for _ in range(12))),
}


def _bad_luhn(num: str) -> str:
    """num with its last digit changed so that the Luhn check fails."""
    return num if not luhn_ok(num) else num[:-1] + str((int(num[-1]) + 5) % 10)

SLOT_RE = re.compile(r"\{(\w+)\}")


def compile_templates(texts):
    """Each template becomes (tokens, n_phi); tokens are str literals or ('f'|'p', slot)."""
    out = []
    for t in texts:
        toks, pos, nphi = [], 0, 0
        for m in SLOT_RE.finditer(t):
            if m.start() > pos:
                toks.append(t[pos:m.start()])
            s = m.group(1)
            if s in PHI:
                toks.append(("p", s))
                nphi += 1
            elif s in FILL:
                toks.append(("f", s))
            else:
                raise KeyError(f"unknown slot {{{s}}} in template: {t}")
            pos = m.end()
        if pos < len(t):
            toks.append(t[pos:])
        out.append((toks, nphi))
    return out


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------

class Composer:
    """A sentence built from one random template per slot list (thousands of combinations)."""

    def __init__(self, *slot_lists, weight=0.5):
        self.lists = [compile_templates(x) for x in slot_lists]
        self.weight = weight  # chance of composing instead of picking a fixed template


# Subjects come capitalised; after an opener the first letter of a literal subject is lowered.
_OPENERS = ["This spring, ", "Thanks to our donors, ", "In a first for the region, ",
            "After months of planning, ", "Once again, ", "Despite a busy season, ",
            "With support from the {foundation}, ", "As promised in our last issue, ",
            "In partnership with local schools, ", "Earlier this year, ", "Quietly, ",
            "For the {small}th year in a row, ", "In {year}, ", "Just before the holidays, "]
_SUBJ = ["{org}", "Our {role}", "The {dept} team", "A group of {num} {role}", "The {program} team",
         "The {title}", "Members of the {dept}", "Volunteers from {orgs}", "Our {adj} {program}"]
_VP = [" {verb} a {adj} {program}", " hosted a {event} at {place}", " trained {num} {role} in {topic}",
       " raised {money} for the {program}", " welcomed {num} new {role}",
       " cut wait times in the {dept} by {pct}", " handed out {bignum} {freebie}",
       " partnered with the {foundation} on a {adj} {program}", " reached {bignum} residents in {small} counties",
       " opened a {adj} space at {place}", " earned national recognition for work in {topic}",
       " served {bignum} meals at the {event}", " finished renovating {place}",
       " collected {bignum} pounds of food for local pantries", " launched a {adj} newsletter for {role}"]
_TRAIL = ["", "", " {time}", " at {place}", ", with support from the {foundation}",
          " — the first effort of its kind in the region", ", according to the {title}",
          ", and more is planned for {year}", " despite staffing shortages", " with help from {num} {role}",
          " ({pct} more than planned)", ", a milestone the {title} called “long overdue”"]
_END = [".", ".", ".", ".", "!"]
COMMS_COMPOSED = Composer(_OPENERS + [""] * 14, _SUBJ, _VP, _TRAIL, _END, weight=0.55)

_NSUBJ = ["Shortness of breath", "Dyspnea on exertion", "Lower extremity edema", "Chest tightness",
          "Cough", "Fatigue", "Dizziness", "Appetite", "Confusion", "Pain", "Urine output",
          "Oxygen requirement", "Wound drainage", "Mobility", "Sleep"]
_NSTATUS = [" improving", " unchanged", " slightly worse", " resolved", " stable", " waxing and waning",
            " much better", " back to baseline"]
_NWHEN = [" since admission", " overnight", " over the past {small} days", " after diuresis", " with PT",
          " per pt", " per nursing", " since the last visit", " on current regimen", ""]
_NTAIL = [".", "; will continue to monitor.", "; plan unchanged.", ", per daughter at bedside.",
          "; reassess in AM.", "; discussed with attending."]
NOTE_COMPOSED = Composer(_NSUBJ, _NSTATUS, _NWHEN, _NTAIL, weight=0.3)

COMMS_FIXED = compile_templates([
    "{org} {verb} its {adj} {program} {time}.",
    "More than {num} {role} joined the {event} at {place}, raising {money} for the {program}.",
    "The {dept} saw a {pct} increase in visits compared with {year}.",
    "Registration for the {event} opens {time}; spots are limited to {num} participants.",
    "As part of our commitment to the community, {org} will host a {event} at {place} {time}.",
    "Thanks to a {money} grant from the {foundation}, the {program} will expand to {small} additional sites.",
    "Parking is available in Garage {room} — please allow extra time on event days.",
    "Questions? Stop by the front desk at {place} or ask any member of the {dept} team.",
    "Our {role} completed {bignum} hours of training in {topic} {time}.",
    "“We’re proud of what our {role} have accomplished,” said the {title}.",
    "Flu shots are available at {place} from {clock} to {clock} on weekdays.",
    "The café at {place} now offers {adj} menu options, including vegetarian and low-sodium choices.",
    "Construction on {place} is on schedule and should wrap up {time}.",
    "The {program} served {bignum} neighbors in {year}, up {pct} from the year before.",
    "Volunteers logged {bignum} hours {time} — that’s the equivalent of {small} full-time staff.",
    "Patient satisfaction scores in the {dept} reached {pct}, the highest in {small} years.",
    "The {title} thanked the {role} for their flexibility during the move to {place}.",
    "Tickets for the {event} are {money} and include dinner, music, and a silent auction.",
    "Wear comfortable shoes: the {event} route starts at {place} and loops back by {clock}.",
    "This issue was prepared by the communications team (draft v{ver}, ticket {ticket}).",
    "A reminder that the {dept} has moved to Room {room}; the old entrance is closed.",
    "Our {adj} {program} is open to anyone over 18, and no referral is needed.",
    "Since {year}, {org} has trained {num} {role} in {topic}.",
    "The board approved a {money} investment in the {dept}, to be completed {time}.",
    "Free {freebie} will be handed out at the {event} while supplies last.",
    "To volunteer, call the main switchboard and ask for extension {ext}.",
    "The {event} drew a record crowd despite the rain, and the {role} kept everyone dry and smiling.",
    "Research from the {dept} was presented at a national conference {time}.",
    "Staff are reminded to complete the annual {topic} module by the end of the month.",
    "Donations of {freebie} can be dropped off at {place} through Friday.",
    "The {org} board will meet at {clock} in the Elm Hall auditorium; the meeting is open to the public.",
    "We are grateful to the {foundation} for its continued support of the {program}.",
    "Check-in for the {event} begins at {clock}; the program starts promptly at {clock}.",
    "Order #{order} for new wheelchairs has shipped and should arrive {time}.",
    "Our {role} speak {small} languages, and interpreters are available around the clock.",
    "Nearly {pct} of respondents said the {program} helped them feel more connected.",
    "Every dollar raised at the {event} stays here, supporting the {dept} and the {program}.",
    "The naïve assumption that small clinics can’t innovate was put to rest {time}.",
    "If you have ideas for the next issue, reply to this draft or leave a note in the {dept} break room.",
    "The {event} has been rescheduled because of the weather; watch this space for the new date.",
    "Meet the {role} behind the {program}: {num} people, {small} shifts a week, one mission.",
    "Renovations at {place} will add {num} parking spaces and a covered drop-off area.",
    "Our {dept} now offers evening hours until {clock} on Tuesdays and Thursdays.",
    "The results of the staff survey are in: {pct} say they would recommend {orgs} as a place to work.",
    "Bring the whole family — the {event} features face painting, a bounce house, and a petting zoo.",
    "A new shuttle runs every {small} minutes between {place} and {place}.",
    "Our {role} were honored at the state association’s annual meeting {time}.",
    "Budget season is here; department leads should submit requests by the end of the month.",
    "Facilities request {badssn} covers the new signage at {place}.",
    "Shipment tracking number {badcard} — the new infusion chairs arrive {time}.",
])
COMMS_PLAIN = (COMMS_FIXED, COMMS_COMPOSED)

COMMS_PHI = compile_templates([
    "When {name} arrived at the {dept}, she had just been diagnosed with {diagnosis}.",
    "{name}, a {age} grandmother from {city}, says the {program} changed her life.",
    "Photo caption: {name} celebrates at {place} after finishing treatment for {diagnosis}.",
    "For more information, contact {name} at {phone} or {email}.",
    "{name} was discharged on {date} and is already back to gardening.",
    "Her care team started her on {med}, and she has not been readmitted since {date}.",
    "Please RSVP to {email} by {date}.",
    "Mail donations to {address}, {city}, {state} {zip}.",
    "Read the full story at {url}.",
    "TODO before publishing: remove her SSN {ssn} from the consent scan.",
    "Draft note: patient story approved by {name} (MRN: {mrn}).",
    "The gala raised enough to cover the treatment of {name}, a {age} veteran living with {diagnosis}.",
    "Staging site for this draft: {url} (internal host {ip}).",
    "Donor receipt: gift charged to card {card} on {date}.",
    "Dr. {name} (NPI {npi}) led the team that treated her {diagnosis}.",
    "Born on {dob}, {name} is the program’s oldest graduate.",
    "Call {phone} to book a screening; the line is staffed from {clock} to {clock}.",
    "{name} and her husband still live at {address}, where they raised five children.",
    "At {age}, {name} credits her daily walks and her {med} for keeping her going.",
    "Send photos to {email} — please include a signed release.",
    "Zip code {zip} had the highest turnout at the {event}.",
])

NOTE_PLAIN = compile_templates([
    "Pt reports {symptom} for {small} days, worse with exertion.",
    "Denies fever, chills, nausea, or vomiting.",
    "Vitals: T {temp}, BP {bp}, HR {hr}, RR {rr}, SpO2 {spo2}% on {o2}.",
    "Lungs with {lung}; heart {heart}.",
    "Labs notable for Na {na}, K {k}, Cr {cr}, BNP {bnp}.",
    "Plan: {plan}.",
    "Discussed plan with pt and family at bedside; all questions answered.",
    "Follow up with PCP in {small} weeks.",
    "A/P: {yo} yo {sex} with {symptom}, likely multifactorial.",
    "Pt is a {yo} yo {sex} presenting with {symptom} and {symptom}.",
    "Abdomen soft, nontender, nondistended; +BS.",
    "Extremities: trace edema bilaterally, pulses 2+.",
    "Neuro: A&O x3, no focal deficits.",
    "Code status: full code, confirmed with pt.",
    "Billing code {icd} reviewed; documentation supports level {small} visit.",
    "Seen and examined with the attending; agree with the resident's assessment.",
    "Pt ambulated {num} feet in the hallway with a rolling walker and standby assist.",
    "Diet: cardiac, 2 g sodium, 1.5 L fluid restriction.",
    "Skin intact; no pressure injuries noted on sacrum or heels.",
    "Pain {small}/10, controlled with scheduled acetaminophen.",
    "Overnight: no acute events per nursing.",
    "Room {room}, bed {small}; fall risk bracelet in place.",
    "Tele reviewed: sinus rhythm with occasional PVCs.",
    "CXR with mild vascular congestion, no focal consolidation.",
    "Echo pending; cardiology aware.",
    "Glucose {num} this AM; sliding scale adjusted.",
    "Tolerating PO, voiding without difficulty, +flatus.",
    "Pt anxious about discharge; SW to see today.",
    "PT recommends home with {small} visits per week.",
    "Urine culture pending; no dysuria.",
    "Incision clean, dry, and intact; staples in place.",
    "Weight down {small} lb since admission.",
    "I/O: {bignum} mL in, {bignum} mL out over 24 h.",
    "Pt asked good questions about diet and activity at home.",
    "Specimen accession {badssn} sent to reference lab.",
    "Device serial {badcard} checked by biomed.",
])
NOTE_PLAIN = (NOTE_PLAIN, NOTE_COMPOSED)

NOTE_PHI = compile_templates([
    "Pt is a {yo} yo {sex} admitted {date} with {diagnosis} exacerbation.",
    "Home meds include {med} {dose} daily and {med} {dose} BID.",
    "Started {med} {dose} daily; will monitor renal function.",
    "Pt is a {age} {sex} with {diagnosis}, lives alone at {address}.",
    "Emergency contact: {name} (daughter), {phone}.",
    "Registration verified SSN {ssn} and insurance on {date}.",
    "Referred by {name}, MD (NPI {npi}).",
    "Pt's son can be reached at {email}.",
    "Outside records faxed {date}; see {url}.",
    "Chart accessed from workstation {ip}.",
    "Hx of {diagnosis} diagnosed {date}, on {med}.",
    "PMH: {diagnosis}, {diagnosis}.",
    "Discharged to home, {city}, {state} {zip}, with VNA follow-up.",
    "Copay collected on card {card}.",
    "Pt {name} tolerated the procedure well.",
    "Last seen in clinic on {date} for {diagnosis}.",
    "Family meeting held with {name} and {name}.",
])

NOTE_HEADER_PHI = compile_templates([
    "Patient: {name}\tDOB: {dob}\tMRN: {mrn}\n",
    "PATIENT NAME: {name}\nMRN: {mrn}\nADMIT DATE: {date}\n",
    "Name: {name}   DOB: {dob}\n",
    "MRN# {mrn}   Visit date: {date}\n",
])
NOTE_HEADER_PLAIN = compile_templates([
    "ENCOUNTER NOTE — {dept}\n",
    "PROGRESS NOTE ({dept})\n",
    "H&P — admitting service: hospital medicine\n",
    "Nursing shift note, Room {room}\n",
])

SOCIAL_PLAIN = compile_templates([
    "So proud of our {role} at {orgs}! {emoji} #{hashtag}",
    "Join us {time} for the {event} at {place}. Free {freebie} for the first {num} guests! {emoji}",
    "Did you know? {fact}. #{hashtag}",
    "Huge thanks to everyone who came out to the {event} {emoji}{emoji} We raised {money}!",
    "Our {adj} {program} is now open at {place}. No appointment needed. #{hashtag} #{hashtag}",
    "Happy #{hashtag} to all the {role} who make {orgs} special {emoji}",
    "Reminder: the {dept} is moving to Room {room} {time}. Signs will point the way!",
    "Behind the scenes with our {role} {emoji} #{hashtag}",
    "We’re hiring {role}! Apply online and join a team that cares. #{hashtag}",
    "Weekend hours for urgent care: {clock} – {clock}. Stay safe out there {emoji}",
])
SOCIAL_PHI = compile_templates([
    "Happy birthday to our favorite patient {name}! {emoji} Still dancing at {age}!",
    "Welcome home, {name}! After weeks fighting {diagnosis}, she's back with family {emoji}",
    "Call {phone} to book your screening. #{hashtag}",
    "Congrats to {name} on finishing chemo for {diagnosis}! {emoji} #{hashtag}",
    "DM us or email {email} to share your story {emoji}",
    "Full story: {url} #{hashtag}",
    "Shoutout to {name} in the {dept} — she never misses a day {emoji}",
    "Big day for {name}: first walk since the {diagnosis} {emoji}",
])

# --------------------------------------------------------------------------------------------
# Document builder with byte-offset tracking
# --------------------------------------------------------------------------------------------


def json_esc(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)[1:-1]


class Doc:
    __slots__ = ("r", "parts", "pos", "spans", "dens", "planted", "phase", "esc")

    def __init__(self, r: random.Random, dens_per_kb: float):
        self.r = r
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[tuple[int, int, str, str]] = []
        self.dens = dens_per_kb / KB          # planted items per byte for this file
        self.planted = 0
        self.phase = r.random()              # first item lands uniformly in [0, 1/density)
        self.esc = None                      # filler escaper (JSON strings)

    def add(self, s: str):
        self.parts.append(s)
        self.pos += len(s) if s.isascii() else len(s.encode("utf-8"))

    def plant(self, value: str, typ: str):
        if self.esc is not None and self.esc(value) != value:
            raise AssertionError(f"planted value needs escaping: {value!r}")
        start = self.pos
        self.add(value)
        self.spans.append((start, self.pos, typ, value))
        self.planted += 1

    def want_phi(self) -> bool:
        """Debt controller: plant when the file is behind its target density."""
        return self.dens > 0 and self.planted + 1 <= self.dens * self.pos + self.phase

    def render(self, tmpl):
        toks, _ = tmpl
        r, esc = self.r, self.esc
        for t in toks:
            if t.__class__ is str:
                self.add(esc(t) if esc else t)
            elif t[0] == "f":
                v = FILL[t[1]](r)
                self.add(esc(v) if esc else v)
            else:
                typ, gen = PHI[t[1]]
                self.plant(gen(r), typ)

    def sentence(self, plain, phi):
        """One sentence: a PHI template when behind the density target, else filler.
        plain is a template list or (template list, Composer)."""
        r = self.r
        if self.want_phi():
            self.render(r.choice(phi))
        elif plain.__class__ is tuple:
            fixed, comp = plain
            if r.random() < comp.weight:
                for i, lst in enumerate(comp.lists):
                    t = r.choice(lst)
                    if i == 1 and self.parts and self.parts[-1].endswith(", ") and t[0][0].__class__ is str:
                        # subject after an opener: lower its first letter (same byte length)
                        toks = list(t[0])
                        toks[0] = toks[0][0].lower() + toks[0][1:]
                        t = (toks, t[1])
                    self.render(t)
            else:
                self.render(r.choice(fixed))
        else:
            self.render(r.choice(plain))

    def data(self) -> bytes:
        return "".join(self.parts).encode("utf-8")


# --------------------------------------------------------------------------------------------
# File kinds
# --------------------------------------------------------------------------------------------


def gen_comms(d: Doc, target: int, markdown: bool):
    r = d.r
    if markdown:
        d.add(f"# {r.choice(HEADLINES)}\n\n")
        d.add(f"*{r.choice(ORGS)} — internal draft, do not distribute*\n\n")
    else:
        d.add(f"FOR IMMEDIATE RELEASE\n\n{r.choice(ORGS).upper()} {r.choice(VERBS_PAST).upper()} "
              f"{r.choice(PROGRAMS).upper()}\n\n")
    while d.pos < target:
        k = r.random()
        if markdown and k < 0.12:
            d.add(f"## {r.choice(SECTIONS)}\n\n")
        elif markdown and k < 0.25:
            for _ in range(r.randint(2, 5)):
                d.add("- ")
                d.sentence(COMMS_PLAIN, COMMS_PHI)
                d.add("\n")
            d.add("\n")
        else:
            for j in range(r.randint(2, 7)):
                if j:
                    d.add(" ")
                d.sentence(COMMS_PLAIN, COMMS_PHI)
            d.add("\n\n")
    if not markdown:
        d.add("###\n")


def gen_note(d: Doc, target: int):
    r = d.r
    while d.pos < target:
        d.render(r.choice(NOTE_HEADER_PHI) if d.want_phi() else r.choice(NOTE_HEADER_PLAIN))
        d.add("\n")
        for section in r.sample(["S:", "O:", "HPI:", "Exam:", "Labs:", "A/P:", "Course:"], r.randint(2, 4)):
            d.add(section + " ")
            for j in range(r.randint(2, 6)):
                if j:
                    d.add(" ")
                d.sentence(NOTE_PLAIN, NOTE_PHI)
            d.add("\n")
        d.add("\n" + "-" * 60 + "\n\n")


def gen_social(d: Doc, target: int, platform: str):
    r = d.r
    while d.pos < target:
        d.add(f"[{platform}] scheduled {r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} {_clock(r)}\n")
        d.sentence(SOCIAL_PLAIN, SOCIAL_PHI)
        if r.random() < 0.4:
            d.add(" ")
            d.sentence(SOCIAL_PLAIN, SOCIAL_PHI)
        d.add(f"\n{r.randint(0, 900)} likes · {r.randint(0, 80)} comments\n\n")


# CSV schemas: (header, list of column specs). A spec is ('p', slot) for a PHI column that is
# filled only when the density controller allows (otherwise the redaction marker), or
# ('f', fn) for a filler column.
def _visit(r):
    return f"V{r.randint(2019, 2025)}-{r.randint(0, 999999):06d}"


CSV_SCHEMAS = [
    ("visit_id,patient_name,mrn,dob,phone,diagnosis,department,los_days,total_charges,payer,disposition",
     [("f", _visit), ("p", "lname"), ("p", "mrn"), ("p", "dob"), ("p", "phone"), ("p", "diagnosis"),
      ("f", lambda r: r.choice(DEPTS)), ("f", lambda r: str(r.randint(0, 21))),
      ("f", lambda r: f"{r.randint(300, 98000)}.{r.randint(0, 99):02d}"),
      ("f", lambda r: r.choice(["Medicare", "Medicaid", "Commercial", "Self-pay", "VA"])),
      ("f", lambda r: r.choice(["Home", "SNF", "Home w/ services", "AMA", "Rehab", "Expired"]))]),
    ("sample_id,collected,test,result,units,ref_range,icd10,mrn,ordering_npi",
     [("f", lambda r: f"S{r.randint(0, 99999999):08d}"), ("p", "date"),
      ("f", lambda r: r.choice(["HbA1c", "BNP", "Creatinine", "Potassium", "LDL", "TSH", "INR"])),
      ("f", lambda r: f"{r.randint(1, 500) / 10:.1f}"), ("f", lambda r: r.choice(["%", "pg/mL", "mg/dL", "mmol/L", "mIU/L"])),
      ("f", lambda r: r.choice(["4.0-5.6", "<100", "0.6-1.3", "3.5-5.1", "0.4-4.0", "0.8-1.2"])),
      ("f", lambda r: r.choice(ICD)), ("p", "mrn"), ("p", "npi")]),
    ("first_name,last_name,street,city,state,zip,email,phone,opt_in",
     [("p", "first"), ("p", "last"), ("p", "address"), ("f", lambda r: r.choice(CITIES)[0]),
      ("f", lambda r: r.choice(CITIES)[1]), ("p", "zip"), ("p", "email"), ("p", "phone"),
      ("f", lambda r: r.choice(["yes", "no"]))]),
    ("month,department,admissions,discharges,avg_los,readmit_rate,satisfaction",
     [("f", lambda r: f"{r.randint(2018, 2025)}-{r.randint(1, 12):02d}"), ("f", lambda r: r.choice(DEPTS)),
      ("f", lambda r: str(r.randint(10, 2400))), ("f", lambda r: str(r.randint(10, 2400))),
      ("f", lambda r: f"{r.randint(15, 90) / 10:.1f}"), ("f", lambda r: f"{r.randint(20, 240) / 10:.1f}%"),
      ("f", lambda r: f"{r.randint(60, 99)}")]),
    ("ticket,opened,channel,summary,patient_contact,card_on_file,client_ip",
     [("f", lambda r: f"INC-{r.randint(10000, 99999)}"), ("f", _clock),
      ("f", lambda r: r.choice(["phone", "web", "email", "walk-in"])),
      ("f", lambda r: r.choice(["billing question", "portal login", "records request", "parking refund",
                                "appointment change", "feedback"])),
      ("p", "email"), ("p", "card"), ("p", "ip")]),
]
REDACT = ["", "REDACTED", "***", "[removed]", "N/A"]


def gen_csv(d: Doc, target: int, schema_i: int):
    r = d.r
    header, cols = CSV_SCHEMAS[schema_i]
    if not any(c[0] == "p" for c in cols):
        d.dens = 0.0
    d.add(header + "\n")
    red = r.choice(REDACT)
    phi_idx = [i for i, c in enumerate(cols) if c[0] == "p"]
    while d.pos < target:
        leak = set()
        if d.want_phi():
            leak.add(r.choice(phi_idx))
            if r.random() < 0.3:
                leak.add(r.choice(phi_idx))
        for i, (kind, spec) in enumerate(cols):
            if i:
                d.add(",")
            if kind == "f":
                v = spec(r)
                d.add(f'"{v}"' if "," in v else v)
            elif i in leak:
                typ, gen = PHI[spec]
                v = gen(r)
                if "," in v:  # "Last, First", "City, ST": quote, span stays the bare value
                    d.add('"')
                    d.plant(v, typ)
                    d.add('"')
                else:
                    d.plant(v, typ)
            else:
                d.add(red)
        d.add("\n")


JSON_FIELDS = [("patient_name", "name"), ("mrn", "mrn"), ("dob", "dob"), ("phone", "phone"),
               ("email", "email"), ("ssn", "ssn"), ("address", "address"), ("zip", "zip"),
               ("diagnosis", "diagnosis"), ("medication", "med"), ("admit_date", "date")]


def gen_json(d: Doc, target: int, jsonl: bool):
    r = d.r
    d.esc = json_esc
    fields = r.sample(JSON_FIELDS, r.randint(3, 7))
    nl, ind, ind2 = ("", "", "") if jsonl else ("\n", "  ", "    ")
    sep = ", " if jsonl else ","
    if not jsonl:
        d.add("[\n")
    first = True
    while d.pos < target:
        if not jsonl and not first:
            d.add(",\n")
        first = False
        d.add(f'{ind}{{{nl}{ind2}"id": "{_visit(r)}"{sep}{nl}')
        d.add(f'{ind2}"department": "{r.choice(DEPTS)}"{sep}{nl}')
        d.add(f'{ind2}"los_days": {r.randint(0, 30)}{sep}{nl}')
        leak = set()
        if d.want_phi():
            leak.add(r.randrange(len(fields)))
        d.add(f'{ind2}"patient": {{')
        for j, (key, slot) in enumerate(fields):
            if j:
                d.add(", ")
            d.add(f'"{key}": ')
            if j in leak:
                typ, gen = PHI[slot]
                d.add('"')
                d.plant(gen(r), typ)
                d.add('"')
            else:
                d.add("null")
        d.add(f"}}{sep}{nl}")
        d.add(f'{ind2}"note": "')
        for j in range(r.randint(1, 3)):
            if j:
                d.add(" ")
            d.sentence(NOTE_PLAIN, NOTE_PHI)
        d.add(f'"{nl}{ind}}}')
        if jsonl:
            d.add("\n")
    if not jsonl:
        d.add("\n]\n")


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------

# kind: (probability, min size, max size, skew exponent, density weight)
KINDS = {
    "newsletter": (0.24, 1 * KB, 3000 * KB, 1.5, 0.6),
    "press":      (0.12, 1 * KB, 300 * KB, 1.5, 0.5),
    "note":       (0.28, 1 * KB, MAX_FILE, 1.7, 1.6),
    "social":     (0.22, 1 * KB, 8 * KB, 1.2, 0.5),
    "csv":        (0.07, 4 * KB, MAX_FILE, 1.8, 1.4),
    "json":       (0.07, 4 * KB, MAX_FILE, 1.8, 1.4),
}
NOTE_DEPTS = ["cardiology", "oncology", "hospitalist", "emergency", "geriatrics", "pulmonology"]


def parse_size(s: str) -> int:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGkmg]?)i?[Bb]?\s*", s)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {s!r} (e.g. 500K, 100M, 1G)")
    return int(float(m.group(1)) * {"": 1, "K": KB, "M": KB ** 2, "G": KB ** 3}[m.group(2).upper()])


def plan(seed: int, total: int, density: float):
    r = random.Random(f"plan:{seed}")
    names, probs = list(KINDS), [KINDS[k][0] for k in KINDS]
    files, acc, counters = [], 0, {}
    while acc < total:
        kind = r.choices(names, probs)[0]
        _, lo, hi, skew, w = KINDS[kind]
        size = int(lo * (hi / lo) ** (r.random() ** skew))
        remaining = total - acc
        if remaining - size < MIN_FILE:
            size = max(remaining, MIN_FILE)
        n = counters[kind] = counters.get(kind, 0) + 1
        if kind == "newsletter":
            rel, extra = f"comms/newsletters/{r.randint(2019, 2025)}/newsletter-{n:05d}.md", None
        elif kind == "press":
            md = r.random() < 0.5
            rel, extra = f"comms/press/release-{n:05d}.{'md' if md else 'txt'}", md
        elif kind == "note":
            rel, extra = f"notes/{r.choice(NOTE_DEPTS)}/note-{n:05d}.txt", None
        elif kind == "social":
            extra = r.choice(PLATFORMS)
            rel = f"social/{extra}/posts-{n:05d}.txt"
        elif kind == "csv":
            extra = r.choices(range(len(CSV_SCHEMAS)), [4, 2, 2, 1, 1])[0]
            rel = f"exports/csv/{['visits', 'labs', 'mailing', 'stats', 'tickets'][extra]}-{n:05d}.csv"
        else:
            extra = r.random() < 0.5
            rel = f"exports/json/records-{n:05d}.{'jsonl' if extra else 'json'}"
        # Per-file density weight: kind weight x lognormal jitter (mean 1), some files clean.
        jw = 0.0 if r.random() < 0.15 else w * r.lognormvariate(-0.125, 0.5)
        if kind == "csv" and extra == 3:
            jw = 0.0
        files.append([len(files), rel, kind, extra, size, jw])
        acc += size
    weighted = sum(f[4] * f[5] for f in files)
    scale = density * total / weighted if weighted else 0.0
    for f in files:
        f[5] *= scale  # planted items per KB for this file
    return files


def build_file(args):
    out_dir, seed, (idx, rel, kind, extra, size, dens) = args
    r = random.Random(f"file:{seed}:{idx}")
    d = Doc(r, dens)
    if kind == "newsletter":
        gen_comms(d, size, True)
    elif kind == "press":
        gen_comms(d, size, extra)
    elif kind == "note":
        gen_note(d, size)
    elif kind == "social":
        gen_social(d, size, extra)
    elif kind == "csv":
        gen_csv(d, size, extra)
    else:
        gen_json(d, size, extra)
    data = d.data()
    assert len(data) == d.pos, (rel, len(data), d.pos)
    lines = []
    for start, end, typ, value in d.spans:
        if data[start:end] != value.encode("utf-8"):
            raise AssertionError(f"{rel}: span {start}..{end} is {data[start:end]!r}, expected {value!r}")
        lines.append(json.dumps({"path": rel, "start": start, "end": end, "type": typ, "value": value},
                                ensure_ascii=False))
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    counts = {}
    for s in d.spans:
        counts[s[2]] = counts.get(s[2], 0) + 1
    return rel, len(data), counts, lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--size", type=parse_size, default=parse_size("100M"), help="total size, e.g. 500K, 100M, 1G")
    ap.add_argument("--out", required=True, help="output folder (the tree to scan)")
    ap.add_argument("--density", type=float, default=0.5, help="planted identifiers per KB (default 0.5)")
    ap.add_argument("--truth", help="truth JSONL path (default: <dirname(out)>/<basename(out)>.truth.jsonl)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--force", action="store_true", help="delete an existing --out first")
    ap.add_argument("--quiet", "-q", action="store_true")
    a = ap.parse_args(argv)

    if a.size < MIN_FILE:
        ap.error("--size must be at least 1K")
    if a.density < 0:
        ap.error("--density must be >= 0")
    out = os.path.abspath(a.out.rstrip("/") or "/")
    truth = os.path.abspath(a.truth) if a.truth else os.path.join(os.path.dirname(out), os.path.basename(out) + ".truth.jsonl")
    if truth == out or truth.startswith(out + os.sep):
        ap.error("--truth must be outside --out (it would be scanned)")
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        if not a.force:
            ap.error(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out) if os.path.isdir(out) else os.remove(out)
    partial = out + ".partial"
    if os.path.exists(partial):
        shutil.rmtree(partial)
    os.makedirs(partial)

    t0 = time.monotonic()
    files = plan(a.seed, a.size, a.density)
    work = [(partial, a.seed, tuple(f)) for f in files]
    results = []
    if a.jobs > 1 and len(work) > 1:
        with mp.get_context("fork").Pool(a.jobs) as pool:
            # Big files first for load balance; reorder to plan order afterwards.
            order = sorted(range(len(work)), key=lambda i: -work[i][2][4])
            res = pool.map(build_file, [work[i] for i in order], chunksize=1)
            results = [None] * len(work)
            for i, rres in zip(order, res):
                results[i] = rres
    else:
        results = [build_file(w) for w in work]

    os.makedirs(os.path.dirname(truth) or ".", exist_ok=True)
    entries = sorted((rel, lines) for rel, _, _, lines in results)
    with open(truth + ".tmp", "w", encoding="utf-8") as f:
        for _, lines in entries:
            for line in lines:
                f.write(line + "\n")
    os.replace(truth + ".tmp", truth)
    if os.path.exists(out):
        os.rmdir(out)  # empty, checked above
    os.rename(partial, out)
    elapsed = time.monotonic() - t0

    total_bytes = sum(r_[1] for r_ in results)
    by_type: dict[str, int] = {}
    by_kind: dict[str, list[int]] = {}
    for f, (rel, n, counts, _) in zip(files, results):
        k = by_kind.setdefault(f[2], [0, 0, 0])
        k[0] += 1
        k[1] += n
        k[2] += sum(counts.values())
        for t, c in counts.items():
            by_type[t] = by_type.get(t, 0) + c
    planted = sum(by_type.values())
    if not a.quiet:
        sizes = sorted(r_[1] for r_ in results)
        print(f"corpus   {out}")
        print(f"truth    {truth}")
        print(f"seed {a.seed}  files {len(results)}  bytes {total_bytes} ({total_bytes / KB / KB:.1f} MiB)  "
              f"median file {sizes[len(sizes) // 2] / KB:.1f} KiB  largest {sizes[-1] / KB / KB:.2f} MiB  "
              f"time {elapsed:.1f}s")
        print(f"planted  {planted} items, {planted / (total_bytes / KB):.3f} per KiB (target {a.density})")
        print("by kind:  " + "  ".join(f"{k} {v[0]} files/{v[1] / KB / KB:.1f}M/{v[2]}" for k, v in sorted(by_kind.items())))
        print("by type:  " + "  ".join(f"{t} {by_type.get(t, 0)}" for t in TYPES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
