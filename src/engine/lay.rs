//! Health facts in lay words and procedure shapes that no term list holds.
//!
//! People who post do not write ICD-10 terms. They write that someone "fell and broke her
//! wrist", "is walking on his new knee", "got his cast off", that "her sugar's been high", or
//! that they had "thyroid checks" and a "colectomy". Each pattern is built from word classes of
//! the lexicon (body parts, injury words, things worn or put in, procedure head nouns) and
//! medical word endings, so it covers phrasings no list enumerates:
//! - injury: an injury word, an optional possessive or side, and a body part ("tore his left
//!   ACL" aside, "broke her wrist", "fractured hip", "broken arm") → diagnosis;
//! - a new or replaced part: "new knee", "hip replaced", "knee removed" → procedure;
//! - a care object in use: "his cast", "got the stitches out", "in a sling", "on crutches" →
//!   procedure (alone, "cast" and "walker" are everyday words);
//! - symptoms: a body part with a symptom word, a trouble or a state ("belly pain", "bladder
//!   problems", "stiff neck", "enlarged spleen", "her fingers went numb") → diagnosis;
//!   a part taken out ("had her tonsils out") → procedure;
//! - levels: "sugar's high", "pressure was up", "counts are low" → diagnosis;
//! - procedure shapes: a medical modifier and a procedure head ("thyroid checks", "CT scan",
//!   "knee replacements", "flu shots") and procedure word endings (-ectomy, -otomy, -ostomy,
//!   -plasty, -scopy, -graphy, -centesis) → procedure.

use super::detectors::{single_space, Chunk, DetectorRules};
use super::lexicon::{
    Shape, BODY_PART, CARE_OBJECT, CARE_TARGET, CLIN_ABBR, DIAGNOSIS, INJURY, MEDICATION, PROCEDURE, PROC_HEAD,
};
use super::Candidate;

const POSSESSIVES: &[&[u8]] = &[b"his", b"her", b"their", b"my", b"your", b"our", b"a", b"the", b"both", b"its"];
const SIDES: &[&[u8]] = &[b"left", b"right", b"lower", b"upper"];
/// Words before a care object that put it in use ("got his cast", "in a sling").
const IN_USE: &[&[u8]] = &[
    b"got", b"get", b"gets", b"getting", b"had", b"has", b"have", b"having", b"wearing", b"wears", b"wore", b"in",
    b"on", b"off", b"with", b"removed", b"remove", b"new", b"his", b"her", b"their", b"my", b"your", b"needs",
    b"needed",
];
/// Words after a care object that put it in use ("cast off", "drain out").
const IN_USE_AFTER: &[&[u8]] = &[b"off", b"out", b"removed", b"placed", b"put", b"changed", b"came", b"comes"];
/// What is done to a body part in a procedure ("hip replaced").
const DONE: &[&[u8]] = &[
    b"replaced",
    b"removed",
    b"repaired",
    b"amputated",
    b"reconstructed",
    b"fused",
    b"transplanted",
    b"pinned",
    b"set",
    b"scoped",
    b"drained",
];
/// What a body part does when it is unwell: "belly pain", "knee swelling".
const SYMPTOMS: &[&[u8]] = &[
    b"pain",
    b"pains",
    b"ache",
    b"aches",
    b"swelling",
    b"numbness",
    b"tingling",
    b"weakness",
    b"bleed",
    b"bleeding",
    b"infection",
    b"infections",
    b"cramps",
    b"spasms",
    b"stiffness",
    b"tenderness",
    b"problems",
    b"problem",
    b"trouble",
    b"troubles",
    b"condition",
    b"failure",
];
/// What a person feels in a body part besides its symptoms: "pressure in his chest".
const FELT: &[&[u8]] = &[b"pressure", b"tightness", b"burning", b"heaviness", b"lump", b"rash", b"bruising"];
/// How a body part is when it is unwell: "stiff neck", "swollen ankles".
const SYMPTOM_STATES: &[&[u8]] = &[
    b"stiff",
    b"numb",
    b"swollen",
    b"sore",
    b"aching",
    b"bleeding",
    b"infected",
    b"inflamed",
    b"paralyzed",
    b"overactive",
    b"underactive",
    b"enlarged",
    b"collapsed",
    b"blocked",
    b"clogged",
    b"herniated",
    b"ruptured",
    b"tingly",
    b"weak",
];
/// Verbs a body part's state follows: "her fingers went numb", "his legs felt weak".
const BECAME: &[&[u8]] = &[
    b"go", b"goes", b"went", b"gone", b"going", b"felt", b"feel", b"feels", b"turned", b"turns", b"got", b"gets",
    b"were", b"was", b"are", b"is",
];
/// Verbs of having something taken out: "had her tonsils out".
const HAD: &[&[u8]] = &[b"had", b"has", b"have", b"having", b"got", b"get", b"gets", b"getting"];
/// Measures people talk about as high or low.
const LEVELS: &[&[u8]] = &[
    b"sugar",
    b"sugars",
    b"glucose",
    b"pressure",
    b"bp",
    b"a1c",
    b"cholesterol",
    b"potassium",
    b"sodium",
    b"counts",
    b"platelets",
    b"iron",
    b"sats",
    b"oxygen",
    b"psa",
    b"numbers",
    b"levels",
    b"heart rate",
    b"temp",
    b"fever",
];
const LEVEL_FILLER: &[&[u8]] = &[
    b"is", b"are", b"was", b"were", b"been", b"running", b"still", b"too", b"really", b"very", b"so", b"way", b"has",
    b"have", b"got", b"gone", b"went",
];
const LEVEL_STATE: &[&[u8]] =
    &[b"high", b"low", b"up", b"down", b"elevated", b"dropping", b"spiking", b"crashing", b"sky-high", b"off"];
/// Words that say someone is under care right now ("is recovering", "was hospitalized").
const UNDER_CARE: &[&[u8]] =
    &[b"recovering", b"hospitalized", b"hospitalised", b"convalescing", b"sedated", b"intubated"];

/// Procedure word endings.
const PROCEDURE_ENDINGS: &[&str] = &[
    "ectomy", "ectomies", "otomy", "otomies", "ostomy", "ostomies", "plasty", "plasties", "scopy", "scopies", "graphy",
    "centesis", "tripsy", "pexy",
];
/// Everyday words with those endings.
const NOT_PROCEDURE: &[&str] = &[
    "photography",
    "biography",
    "geography",
    "choreography",
    "bibliography",
    "calligraphy",
    "autobiography",
    "typography",
    "cartography",
    "demography",
    "pornography",
    "lobotomy",
    "dichotomy",
    "anatomy",
    "autonomy",
    "economy",
    "astronomy",
    "taxonomy",
    "telescopy",
    "philanthropy",
];

fn strip_possessive(w: &[u8]) -> &[u8] {
    w.strip_suffix(b"'s").or_else(|| w.strip_suffix("’s".as_bytes())).unwrap_or(w)
}

/// Appends lay health facts and procedure shapes of `chunk` to `out`; `covered` tells which
/// tokens are already inside a health term.
pub fn find(chunk: &Chunk, rules: &DetectorRules, covered: &[bool], out: &mut Vec<Candidate>) {
    let toks = chunk.tokens;
    let n = toks.len();
    let mut i = 0;
    while i < n {
        if covered[i] {
            i += 1;
            continue;
        }
        let t = toks[i];
        let joined = |k: usize| chunk.joined(k);
        let part_next = |k: usize| joined(k) && toks[k + 1].flags & BODY_PART != 0;
        // A word in capitals is an acronym in ordinary text, but a word in a text written in
        // capitals ("GOT HIS CAST OFF").
        let plain = t.shape != Shape::Upper || chunk.upper(i);
        // Injury: "broke her wrist", "fractured hip", "broken left arm".
        if t.flags & INJURY != 0 && plain {
            let mut k = i;
            if joined(k) && chunk.word_in(k + 1, POSSESSIVES) {
                k += 1;
            }
            if joined(k) && chunk.word_in(k + 1, SIDES) {
                k += 1;
            }
            if joined(k) && toks[k + 1].flags & BODY_PART != 0 {
                if let Some(rule) = rules.diagnosis {
                    out.push(Candidate { rule, start: t.start, end: toks[k + 1].end, confidence: 0.7, evidence: 0 });
                }
                i = k + 2;
                continue;
            }
        }
        // A new part: "his new knee".
        if chunk.word_in(i, &[b"new", b"artificial", b"replacement"]) && joined(i) && toks[i + 1].flags & BODY_PART != 0
        {
            if let Some(rule) = rules.procedure {
                out.push(Candidate { rule, start: t.start, end: toks[i + 1].end, confidence: 0.65, evidence: 0 });
            }
            i += 2;
            continue;
        }
        // A symptom of a part: "belly pain", "knee swelling" (a term list holds "chest pain"
        // but not every part people name).
        if t.flags & BODY_PART != 0 && plain && joined(i) && chunk.word_in(i + 1, SYMPTOMS) {
            if let Some(rule) = rules.diagnosis {
                out.push(Candidate { rule, start: t.start, end: toks[i + 1].end, confidence: 0.65, evidence: 0 });
            }
            i += 2;
            continue;
        }
        // A symptom in a part: "pressure in his chest", "numbness in her left hand". The cheap
        // test first: the next word is "in".
        if joined(i) && chunk.word(i + 1).eq_ignore_ascii_case(b"in") && plain {
            let mut k = i + 1;
            if joined(k) && chunk.word_in(k + 1, POSSESSIVES) {
                k += 1;
                if joined(k) && chunk.word_in(k + 1, SIDES) {
                    k += 1;
                }
                if part_next(k) && (chunk.word_in(i, SYMPTOMS) || chunk.word_in(i, FELT)) {
                    if let Some(rule) = rules.diagnosis {
                        out.push(Candidate {
                            rule,
                            start: t.start,
                            end: toks[k + 1].end,
                            confidence: 0.6,
                            evidence: 0,
                        });
                    }
                    i = k + 2;
                    continue;
                }
            }
        }
        // A part going into a state: "her fingers went numb", "his legs felt weak".
        if t.flags & BODY_PART != 0
            && plain
            && i > 0
            && chunk.word_in(i - 1, POSSESSIVES)
            && joined(i)
            && chunk.word_in(i + 1, BECAME)
            && joined(i + 1)
            && chunk.word_in(i + 2, SYMPTOM_STATES)
        {
            if let Some(rule) = rules.diagnosis {
                out.push(Candidate { rule, start: t.start, end: toks[i + 2].end, confidence: 0.6, evidence: 0 });
            }
            i += 3;
            continue;
        }
        // A part in a state: "stiff neck", "swollen left ankle".
        // (Flags first: a word-list comparison on every token was measurable on 100 MB.)
        if (part_next(i) || part_next(i + 1)) && plain && chunk.word_in(i, SYMPTOM_STATES) {
            let k = if joined(i) && chunk.word_in(i + 1, SIDES) { i + 1 } else { i };
            if part_next(k) {
                if let Some(rule) = rules.diagnosis {
                    out.push(Candidate { rule, start: t.start, end: toks[k + 1].end, confidence: 0.6, evidence: 0 });
                }
                i = k + 2;
                continue;
            }
        }
        // A part taken out: "had his appendix out", "got her tonsils out".
        if part_next(i + 1) && joined(i) && chunk.word_in(i, HAD) && chunk.word_in(i + 1, POSSESSIVES) {
            let part = i + 2;
            if joined(part) && chunk.word_in(part + 1, &[b"out"]) {
                if let Some(rule) = rules.procedure {
                    out.push(Candidate { rule, start: t.start, end: toks[part + 1].end, confidence: 0.7, evidence: 0 });
                }
                i = part + 2;
                continue;
            }
        }
        // A part something was done to: "hip replaced", "gallbladder removed".
        // "Set" is not done to a heart or eyes ("had her heart set on it").
        if t.flags & BODY_PART != 0
            && joined(i)
            && chunk.word_in(i + 1, DONE)
            && !(chunk.word_in(i + 1, &[b"set"]) && chunk.word_in(i, &[b"heart", b"eye", b"eyes", b"sights"]))
        {
            if let Some(rule) = rules.procedure {
                out.push(Candidate { rule, start: t.start, end: toks[i + 1].end, confidence: 0.7, evidence: 0 });
            }
            i += 2;
            continue;
        }
        // A care object in use: "got his cast off", "on crutches", "her stitches".
        if t.flags & CARE_OBJECT != 0 && plain {
            let before = i > 0
                && (chunk.word_in(i - 1, IN_USE)
                    || i > 1 && chunk.word_in(i - 2, IN_USE) && chunk.word_in(i - 1, POSSESSIVES));
            let after = joined(i) && chunk.word_in(i + 1, IN_USE_AFTER);
            if before || after {
                if let Some(rule) = rules.procedure {
                    out.push(Candidate { rule, start: t.start, end: t.end, confidence: 0.65, evidence: 0 });
                }
                i += 1;
                continue;
            }
        }
        // Levels: "her sugar's been high", "pressure was up".
        let w = strip_possessive(chunk.word(i));
        if LEVELS.iter().any(|l| w.eq_ignore_ascii_case(l)) {
            let mut k = i;
            let mut steps = 0;
            while joined(k) && steps < 3 && chunk.word_in(k + 1, LEVEL_FILLER) {
                k += 1;
                steps += 1;
            }
            if joined(k) && chunk.word_in(k + 1, LEVEL_STATE) && (k > i || w.len() != chunk.word(i).len()) {
                if let Some(rule) = rules.diagnosis {
                    out.push(Candidate { rule, start: t.start, end: toks[k + 1].end, confidence: 0.65, evidence: 0 });
                }
                i = k + 2;
                continue;
            }
        }
        // Under care: "is recovering", "was hospitalized" (not "recovering from the storm": a
        // cue phrase and what follows are the diagnosis detector's).
        if chunk.word_in(i, UNDER_CARE) && !(joined(i) && chunk.word_in(i + 1, &[b"from"])) {
            if let Some(rule) = rules.procedure {
                out.push(Candidate { rule, start: t.start, end: t.end, confidence: 0.6, evidence: 0 });
            }
            i += 1;
            continue;
        }
        // Procedure shapes: "thyroid checks", "CT scan", "flu shots", "drain flush", "speech
        // therapy", "colectomy".
        if let Some(rule) = rules.procedure {
            if t.flags & PROC_HEAD != 0 && i > 0 && single_space(chunk.gap_before(i)) && !covered[i - 1] {
                let p = toks[i - 1];
                let abbreviation = p.shape == Shape::Upper && (2..=4).contains(&(p.end - p.start)) && !chunk.upper(i);
                if p.flags & (BODY_PART | CARE_OBJECT | CARE_TARGET | DIAGNOSIS | MEDICATION | PROCEDURE | CLIN_ABBR)
                    != 0
                    || abbreviation
                {
                    out.push(Candidate { rule, start: p.start, end: t.end, confidence: 0.65, evidence: 0 });
                    i += 1;
                    continue;
                }
            }
            if procedure_ending(chunk, i) {
                out.push(Candidate { rule, start: t.start, end: t.end, confidence: 0.65, evidence: 0 });
            }
        }
        i += 1;
    }
}

/// Whether token `i` ends like a procedure (-ectomy, -scopy) and is not an everyday word.
fn procedure_ending(chunk: &Chunk, i: usize) -> bool {
    let w = chunk.word(i);
    if w.len() < 7 || !matches!(chunk.tokens[i].shape, Shape::Lower | Shape::Capitalized | Shape::Upper) {
        return false;
    }
    let lower = w.to_ascii_lowercase();
    let Ok(s) = std::str::from_utf8(&lower) else { return false };
    PROCEDURE_ENDINGS.iter().any(|e| s.ends_with(e)) && !NOT_PROCEDURE.contains(&s)
}

#[cfg(test)]
mod tests {
    fn health(text: &str) -> Vec<(String, String)> {
        let engine = crate::engine::testing::builtin();
        engine
            .find(text.as_bytes())
            .into_iter()
            .filter(|c| engine.rules()[c.rule].category.is_health())
            .map(|c| (engine.rules()[c.rule].id.clone(), text[c.start..c.end].to_string()))
            .collect()
    }

    fn has(text: &str, rule: &str, span: &str) -> bool {
        health(text).iter().any(|(r, s)| r == rule && s == span)
    }

    #[test]
    fn lay_injuries_and_new_parts() {
        assert!(has("She slipped on the ice and broke her wrist.", "diagnosis", "broke her wrist"));
        assert!(has("He is back on the course with his new knee.", "procedure", "new knee"));
        assert!(has("Grandpa finally got his cast off today!", "procedure", "cast"));
        assert!(has("Mum had her hip replaced in June.", "procedure", "hip replaced"));
        assert!(has("Her sugar's been high all week.", "diagnosis", "sugar's been high"));
    }

    #[test]
    fn symptoms_and_parts_taken_out() {
        assert!(has("He came in with belly pain and a fever.", "diagnosis", "belly pain"));
        assert!(has("She woke up with a stiff neck.", "diagnosis", "stiff neck"));
        assert!(has("His swollen left ankle kept him off the court.", "diagnosis", "swollen left ankle"));
        assert!(has("Our intern had her tonsils out on Friday.", "procedure", "had her tonsils out"));
        assert!(has("He felt a tightness in his chest on the stairs.", "diagnosis", "tightness in his chest"));
        assert!(has("He felt a heaviness in his left arm at work.", "diagnosis", "heaviness in his left arm"));
        assert!(health("The pressure in the cabin dropped. The burning in our hearts for the cause.").is_empty());
        assert!(health("He had his heart set on the trip. She held her hands out.").is_empty());
        assert!(has("Her fingers went numb during the rehearsal.", "diagnosis", "fingers went numb"));
        assert!(has("Grandad has kidney trouble again.", "diagnosis", "kidney trouble"));
        assert!(has("She was treated for an underactive thyroid.", "diagnosis", "underactive thyroid"));
        assert!(has("Scans showed a clogged artery in his leg.", "diagnosis", "clogged artery"));
        assert!(health("The road went numb with traffic. Parking problems again. A blocked road.").is_empty());
    }

    #[test]
    fn procedure_shapes() {
        assert!(has("Book your annual thyroid checks now.", "procedure", "thyroid checks"));
        assert!(has("After the CT scan she went home.", "procedure", "CT scan"));
        assert!(has("He is recovering from a colectomy.", "procedure", "colectomy"));
        assert!(has("Two years after his knee reconstruction he ran again.", "procedure", "knee reconstruction"));
        assert!(has("She needs a drain flush every Monday.", "procedure", "drain flush"));
        assert!(!has("The road reconstruction ends in May.", "procedure", "road reconstruction"));
        // What a test or a therapy is of, besides a body part.
        assert!(has("He starts speech therapy after the stroke.", "procedure", "speech therapy"));
        assert!(has("Her port check is due on Tuesday.", "procedure", "port check"));
        assert!(has("Free sugar checks at the fair.", "procedure", "sugar checks"));
        assert!(!has("The port authority checks every container.", "procedure", "authority checks"));
    }

    #[test]
    fn lay_phrases_in_a_text_written_in_capitals() {
        assert!(has("SO PROUD OF MY DAD, HE CAME OFF THE VENT TODAY AND GOT HIS CAST OFF!", "procedure", "VENT"));
        assert!(has("SO PROUD OF MY DAD, HE CAME OFF THE VENT TODAY AND GOT HIS CAST OFF!", "procedure", "CAST"));
        assert!(has("UPDATE: GRANDMA BROKE HER WRIST BUT IS DOING FINE.", "diagnosis", "BROKE HER WRIST"));
    }

    #[test]
    fn everyday_words_stay_everyday() {
        assert!(health("The cast of the play took a bow. A background check is due.").is_empty());
        assert!(health("Her photography show opens Friday; the economy is up.").is_empty());
    }
}
