#!/usr/bin/env python3
"""Writes synthetic, labelled name sentences for scripts/train_names.py.

    python3 scripts/gen_name_examples.py [--out FILE] [--n 3000] [--seed 7]

The development corpora teach the name model how names look in the texts we measure; this
set teaches it the shapes those corpora hold too few of, from our own templates: a person
after a preposition and before ", who" ("a card from Ansel Varro, who …"), greetings and
vocatives, a relation or role before a name, a name in a room or bed, "pt Q. Lastname",
rosters in capitals ("LASTNAME, FIRST 81F"), ward whiteboards quoted in capitals, lower-case
typing (of a name in ordinary text too: "hey jo"); and negatives of the same
shapes that are not people: organisations, places, headings in title case, diseases named
after people, months and weekdays, charting words in capitals.

Names are drawn from the embedded public-domain lists (rules/dicts/first-names-common.txt,
surnames-common.txt) and from invented syllable words, so the model cannot learn that only
a listed name is a name. Deterministic for a given seed. Output: JSON Lines records
{"id", "text", "spans": [{"start", "end", "type": "name"}]} with character offsets.
"""

import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.join(os.path.dirname(HERE), "rules", "dicts")


def words(name):
    with open(os.path.join(DICTS, name), encoding="utf-8") as f:
        return [w.strip() for w in f if w.strip() and not w.startswith("#")]


ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "qu", "r", "s",
          "st", "t", "th", "v", "w", "z", "ch", "sh", "tr", "kl", "pr", "ol", "an", "el", "or", "is"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y", "ie"]
CODAS = ["", "n", "r", "l", "s", "th", "nd", "rk", "ck", "m", "t", "x", "ne", "lle", "by", "ton", "wick",
         "more", "dale", "ford", "ley", "stad", "berg", "ski", "ova", "ez", "ard", "ine", "elle", "o", "a"]


def invented(rng):
    w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 2))) + rng.choice(CODAS)
    return w.capitalize()


class Maker:
    def __init__(self, rng):
        self.rng = rng
        self.first = [w.capitalize() for w in words("first-names-common.txt")]
        self.last = [w.capitalize() for w in words("surnames-common.txt")]

    def given(self):
        return self.rng.choice(self.first) if self.rng.random() < 0.6 else invented(self.rng)

    def family(self):
        r = self.rng.random()
        if r < 0.5:
            return self.rng.choice(self.last)
        if r < 0.6:
            return "%s-%s" % (self.rng.choice(self.last), invented(self.rng))
        return invented(self.rng)

    def full(self):
        return "%s %s" % (self.given(), self.family())


# Positive templates: {P} is the person (full name unless the template says {G} given or {F}
# family name). Negatives have no {P}.
POSITIVE = [
    "We are so proud of {P}, who {done}.",
    "A card came today from {P}, who {done}.",
    "Congratulations to {P} on {event}!",
    "Thanks to {P} for {help}.",
    "This week we spent an hour with {P}, who {done}.",
    "{P}, {age}, {done}.",
    "{P} ({age}) {done}.",
    "Hi {G},\nThanks for writing to us.",
    "Dear {T} {F},\nYour appointment is confirmed.",
    "Thank you, {G}! We loved having you.",
    "Keep going, {G}!",
    "Good morning {G}, {question}",
    "My {rel} {P} {done}.",
    "Her {rel}, {G}, {done}.",
    "Our patient {P} {done}.",
    "{G} in bed {n} {done}.",
    "{G} in room {n} asked for {thing}.",
    "{T} {F} in room {n} {done}.",
    "Visited {T} {F} this morning.",
    "Per {T} {F}, {question}",
    "Letter from {P}: {question}",
    "Shout-out to {P}, who {done}.",
    "According to {P}, {question}",
    "Please welcome {P} to the board.",
    "Meet {P}, our volunteer of the month.",
    "In memory of {P}, who {done}.",
    "saw {g} {f} today, {done}.",
    "pt {i}. {F} in rm {n} {done}.",
    "{G} {F} signed the card.",
    "Photo: {P} with the team.",
    "Written by {P}.",
    "{P} and {P2} {done}.",
    "{P}\n{n} {Org} Lane\nApt {n}\n{Place}",
    "{P}\n\n{n} {Org} Road\n{Place} {n}{n}",
    "Was {G} so {trait} as a kid?",
    "We thanked {P} for {help}.",
    "I told {G} about {event}.",
    "{F} fans queued all night for tickets.",
    "Reading the {F} biography on the night shift.",
]
NEGATIVE = [
    "{Org} {Kind} opens a new wing this spring.",
    "Join us at the {Org} {Kind} for {event}.",
    "{Place} County Fair returns in {Month}.",
    "The {Org} Foundation thanks every donor.",
    "Our {Heading} starts on {Day}.",
    "{Heading} Returns This {Month}",
    "Learn more about {Eponym} disease at the library.",
    "{Eponym} syndrome support group meets on {Day}.",
    "Road closures on {Org} Avenue near {Place}.",
    "We moved to {Place} in {Month}.",
    "{Caps1} {Caps2}. {Caps3} {Caps4}.",
    "Visit the {Org} {Kind} gift shop.",
    "The {Dept} department is on the {Ordinal} floor.",
    "{Org} {Kind}\n{n} {Org} Road\n{Place}",
    "{Heading}\n{n} {Org} Lane",
    "We thanked {Org} {Kind} for {help}.",
    "The {Place} choir raised money for {event}.",
    "Was {Place} so {trait} in {Month}?",
]
DONE = ["finished chemo last week", "rang the bell on Friday", "walked the whole hallway",
        "turned ninety on Sunday", "came home after surgery", "ran the five-mile loop", "started rehab",
        "is back at work", "loves the garden", "wrote us a lovely note", "brought cookies for the nurses",
        "has been with us for years", "is doing much better", "went home today", "asked about visiting hours"]
EVENTS = ["the new job", "the marathon", "graduating", "the retirement party", "ten years on the unit"]
HELP = ["the flowers", "the quilts", "organizing the drive", "the kind words", "the donation"]
QUESTIONS = ["can we move the visit?", "the forms are attached.", "see you at noon.", "how was the weekend?"]
TRAITS = ["stubborn", "funny", "kind", "brave", "quiet", "cheerful", "grumpy", "busy", "calm"]
RELS = ["daughter", "son", "husband", "wife", "mother", "father", "neighbour", "grandson", "sister", "brother"]
THINGS = ["extra blankets", "the newspaper", "a decaf", "the remote", "more ice"]
TITLES = ["Mr.", "Mrs.", "Ms.", "Miss", "Mr", "Mrs", "Ms"]
KINDS = ["Hospital", "Medical Center", "Clinic", "Health", "Pharmacy", "Hospice", "Library", "School"]
HEADINGS = ["Annual Fundraising Gala", "Community Health Fair", "Spring Wellness Walk", "Volunteer Orientation",
            "Blood Drive", "Family Movie Night", "Quality Improvement Summit", "Nurse Residency Program"]
EPONYMS = ["Parkinson", "Crohn", "Addison", "Graves", "Hodgkin", "Alzheimer", "Tourette", "Cushing"]
MONTHS = ["January", "March", "April", "May", "June", "August", "October", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CAPS = ["TOLERATED", "DIET", "CALM", "COOPERATIVE", "CLEAR", "AMBER", "URINE", "AFEBRILE", "STABLE",
        "RESTING", "QUIETLY", "AMBULATING", "DENIES", "PAIN", "SKIN", "INTACT", "LUNGS", "DIMINISHED"]
DEPTS = ["Radiology", "Cardiology", "Oncology", "Pharmacy", "Billing", "Admissions"]
ORDINALS = ["second", "third", "fourth", "fifth"]


def fill(m, template, rng):
    """Returns (text, [(start, end)]) with the person spans of the filled template."""
    spans = []
    out = ""
    i = 0
    while i < len(template):
        if template[i] != "{":
            out += template[i]
            i += 1
            continue
        j = template.index("}", i)
        key = template[i + 1:j]
        i = j + 1
        person = True
        if key in ("P", "P2"):
            v = m.full()
        elif key == "G":
            v = m.given()
        elif key == "F":
            v = m.family()
        elif key == "g":
            v = m.given().lower()
        elif key == "f":
            v = m.family().lower()
        elif key == "i":
            v = rng.choice("ABCDEFGHJKLMNPRSTVW")
            # "pt Q. Lastname": the initial and the family name are one name.
            start = len(out)
            out += v
            spans.append((start, len(out)))
            continue
        else:
            person = False
            v = {
                "done": lambda: rng.choice(DONE), "event": lambda: rng.choice(EVENTS),
                "help": lambda: rng.choice(HELP), "question": lambda: rng.choice(QUESTIONS),
                "rel": lambda: rng.choice(RELS), "trait": lambda: rng.choice(TRAITS), "thing": lambda: rng.choice(THINGS),
                "T": lambda: rng.choice(TITLES), "n": lambda: str(rng.randint(2, 48)),
                "age": lambda: str(rng.randint(19, 97)), "Org": lambda: m.family(),
                "Kind": lambda: rng.choice(KINDS), "Place": lambda: invented(rng),
                "Month": lambda: rng.choice(MONTHS), "Day": lambda: rng.choice(DAYS),
                "Heading": lambda: rng.choice(HEADINGS), "Eponym": lambda: rng.choice(EPONYMS),
                "Dept": lambda: rng.choice(DEPTS), "Ordinal": lambda: rng.choice(ORDINALS),
            }.get(key, lambda: rng.choice(CAPS))()
        start = len(out)
        out += v
        if person:
            spans.append((start, len(out)))
    # An initial before ". Family", a given name before " family": one name.
    merged = []
    for s, e in spans:
        if merged and out[merged[-1][1]:s] in (". ", " "):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return out, merged


def roster(m, rng):
    """A census line in capitals: 'LASTNAME, FIRST 81F 4W-12 CHF'."""
    fam, giv = m.family().upper(), m.given().upper()
    name = "%s, %s" % (fam, giv)
    tail = " %d%s %d%s-%02d %s" % (rng.randint(20, 97), rng.choice("MF"), rng.randint(2, 9), rng.choice("NEWS"),
                                   rng.randint(1, 30), rng.choice(["CHF", "PNA", "SEPSIS", "COPD EXAC", "CELLULITIS"]))
    return name + tail, [(0, len(name))]


BOARD_FACTS = ["CHF", "PNA", "SEPSIS", "DKA", "HIP FX", "COPD", "POST OP", "NPO", "FALL RISK", "ISOLATION"]
BOARD_TASKS = ["DAILY WEIGHTS", "STRICT I/O", "TURN Q2H", "DC HOME AM", "WOUND CARE", "PT EVAL", "AMBULATE TID"]
BOARD_EMPTY = ["CLEAN", "BLOCKED", "EMPTY", "READY", "TERMINAL CLEAN", "MAINTENANCE"]


def whiteboard(m, rng):
    """A ward whiteboard or census quoted in capitals inside a mixed-case caption:
    'Board today: "RM 9 — P. HALVERSON — CHF — STRICT I/O / RM 10 — CLEAN"'."""
    out = rng.choice(["Photo from the unit: the board reads \"", "Shift note: \"", "Caption draft — board says \"",
                      "Snapshot of the census: \""])
    spans = []
    sep = rng.choice([" — ", " - ", " / "])
    for k in range(rng.randint(1, 3)):
        if k:
            out += rng.choice([" | ", "; ", " / "])
        if rng.random() < 0.3:
            # A census line: a bare room number, the name, the problem ("512 NAME CHF").
            out += "%d " % rng.randint(101, 940)
            if rng.random() < 0.75:
                name = m.family().upper()
                spans.append((len(out), len(out) + len(name)))
                out += name + " " + rng.choice(BOARD_FACTS)
            else:
                out += rng.choice(BOARD_EMPTY)
            continue
        out += "%s %d%s" % (rng.choice(["RM", "ROOM", "BED", "BAY"]), rng.randint(2, 48), sep)
        if rng.random() < 0.75:
            fam, giv = m.family().upper(), m.given().upper()
            name = rng.choice(["%s. %s" % (giv[0], fam), "%s %s." % (giv, fam[0]), fam, "%s %s" % (giv, fam)])
            spans.append((len(out), len(out) + len(name)))
            out += name + sep + rng.choice(BOARD_FACTS)
            if rng.random() < 0.6:
                out += sep + rng.choice(BOARD_TASKS)
        else:
            out += rng.choice(BOARD_EMPTY)
    out += rng.choice(["\". Great teamwork!", "\"", "\" — please blur before posting."])
    return out, spans


# A name typed in lower case in ordinary text (capitals elsewhere, so the block is mixed).
TYPED = ["Finally {g} texted me back", "LOL {g} is so funny", "Hey {g} where are you?", "Can't wait to see {g} Friday",
         "Honestly {g} should come with us", "OMG {g} laughs at everything", "Thanks {g} for the ride!",
         "Me and {g} watched the Game"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    m = Maker(rng)
    with open(a.out, "w", encoding="utf-8") as f:
        for k in range(a.n):
            r = rng.random()
            if r < 0.55:
                text, spans = fill(m, rng.choice(POSITIVE), rng)
            elif r < 0.62:
                text, spans = roster(m, rng)
            elif r < 0.68:
                text, spans = whiteboard(m, rng)
            elif r < 0.71:
                text, spans = fill(m, rng.choice(TYPED), rng)
            else:
                text, spans = fill(m, rng.choice(NEGATIVE), rng)
                spans = []
            rec = {"id": "syn-%05d" % k, "text": text,
                   "spans": [{"start": s, "end": e, "type": "name"} for s, e in spans]}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
