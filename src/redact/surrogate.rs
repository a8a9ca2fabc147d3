//! Surrogates: realistic, obviously synthetic stand-ins that keep a document readable.
//!
//! A redacted post still has to read like a post, and an export still has to load: a name
//! becomes another name, a date another date, a phone a phone. Every stand-in is visibly fake
//! to anyone who looks (invented surnames such as `Sampleton`, SSNs in the never-issued 9xx
//! area, 555-01xx phones, `.example` mail domains, documentation IP ranges, Luhn-valid test
//! cards) and consistent within one document: the same person (full name, surname alone,
//! "Mr. X", handle) gets the same stand-in everywhere, and every date moves by one offset, so
//! intervals survive. The choices come from a seed: random per document unless the caller
//! fixes it (`--seed`), then the same input always gives the same output.

use crate::finding::Category;
use std::collections::{HashMap, HashSet};

/// Given names for stand-ins: common and neutral, so a surrogate reads naturally.
const GIVEN: &[&str] = &[
    "Alex", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Quinn", "Avery", "Rowan", "Skyler", "Emery", "Harper",
    "Parker", "Reese", "Sawyer", "Finley", "Dakota", "Kendall", "Logan", "Peyton", "Remy", "Sage", "Tatum", "Blair",
];

/// Surnames for stand-ins: invented, so no reader mistakes one for a real person.
const FAMILY: &[&str] = &[
    "Sampleton",
    "Exampleby",
    "Testwood",
    "Mockridge",
    "Placeholt",
    "Fakington",
    "Dummerby",
    "Specimont",
    "Loremson",
    "Ipsumford",
    "Proxley",
    "Standish-Fake",
    "Surrogate",
    "Synthson",
    "Decoyne",
    "Stubbins",
    "Fixtureau",
    "Mockwell",
    "Trialson",
    "Pseudova",
    "Fictorel",
    "Madeupson",
    "Notreal",
    "Inventor",
];

/// Place names for stand-ins (towns, facility prefixes, streets): invented too.
const PLACES: &[&str] = &[
    "Sampleton",
    "Exampleville",
    "Testford",
    "Mockbury",
    "Placeholder Falls",
    "Loremfield",
    "Ipsum Heights",
    "Fakesdale",
    "Dummyport",
    "Specimen Springs",
];

/// Words a facility name ends in that say what it is, not which one: kept.
const FACILITY_WORDS: &[&str] = &[
    "hospital",
    "clinic",
    "center",
    "centre",
    "medical",
    "health",
    "healthcare",
    "pharmacy",
    "hospice",
    "practice",
    "institute",
    "infirmary",
    "care",
    "home",
    "nursing",
    "rehabilitation",
    "rehab",
    "general",
    "memorial",
    "regional",
    "community",
    "university",
    "children's",
    "childrens",
    "urgent",
    "family",
    "surgery",
    "surgical",
    "cancer",
    "heart",
    "and",
    "&",
    "of",
    "the",
];

/// Street type and unit words in an address: kept, so the address keeps its shape.
const STREET_WORDS: &[&str] = &[
    "st",
    "st.",
    "street",
    "ave",
    "ave.",
    "avenue",
    "rd",
    "rd.",
    "road",
    "blvd",
    "blvd.",
    "boulevard",
    "dr",
    "dr.",
    "drive",
    "ln",
    "ln.",
    "lane",
    "way",
    "ct",
    "ct.",
    "court",
    "pl",
    "pl.",
    "place",
    "ter",
    "terrace",
    "cir",
    "circle",
    "pkwy",
    "parkway",
    "hwy",
    "highway",
    "apt",
    "apt.",
    "suite",
    "ste",
    "ste.",
    "unit",
    "#",
    "n",
    "s",
    "e",
    "w",
    "n.",
    "s.",
    "e.",
    "w.",
    "north",
    "south",
    "east",
    "west",
];

/// Titles before a name, kept in front of the stand-in ("Mr. X" stays "Mr. Y").
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "mister", "madam"];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Returns a fresh random seed from the operating system (a fixed one if it cannot answer).
pub fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    match getrandom::fill(&mut b) {
        Ok(()) => u64::from_le_bytes(b),
        Err(_) => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |d| d.as_nanos() as u64),
    }
}

/// Mixes 64 bits (splitmix64's finaliser).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stand-ins of one document: the seed, the date offset and every choice made so far.
#[derive(Debug)]
pub struct Surrogates {
    seed: u64,
    /// Days every date moves by (never zero).
    shift: i64,
    given: HashMap<String, String>,
    family: HashMap<String, String>,
    used: HashSet<String>,
    values: HashMap<(Category, String), String>,
}

impl Surrogates {
    /// Starts a document's stand-ins from `seed`.
    pub fn new(seed: u64) -> Surrogates {
        let r = mix(seed ^ 0xD47E);
        // 30 to 364 days, either way: enough to hide the real date, small enough to keep seasons
        // plausible.
        let days = 30 + (r % 335) as i64;
        let shift = if r >> 63 == 1 { -days } else { days };
        Surrogates {
            seed,
            shift,
            given: HashMap::new(),
            family: HashMap::new(),
            used: HashSet::new(),
            values: HashMap::new(),
        }
    }

    /// Returns the number of days dates move by in this document.
    pub fn day_shift(&self) -> i64 {
        self.shift
    }

    fn hash(&self, salt: &str, key: &str) -> u64 {
        let mut h: u64 = 0xCBF2_9CE4_8422_2325;
        for b in salt.bytes().chain([0]).chain(key.bytes()) {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01B3);
        }
        mix(h ^ self.seed)
    }

    /// Picks an entry of `list` for `key`, one no other key of this document has.
    fn pick(&mut self, list: &[&str], salt: &str, key: &str) -> String {
        let start = self.hash(salt, key) as usize;
        for i in 0..list.len() {
            let c = list[(start + i) % list.len()];
            if self.used.insert(format!("{salt}:{c}")) {
                return c.to_string();
            }
        }
        // Every entry taken: number them so two people never share one.
        let n = self.used.len();
        format!("{}{n}", list[start % list.len()])
    }

    fn given_for(&mut self, word: &str) -> String {
        let key = word.to_lowercase();
        if let Some(s) = self.given.get(&key) {
            return s.clone();
        }
        let s = self.pick(GIVEN, "given", &key);
        self.given.insert(key, s.clone());
        s
    }

    fn family_for(&mut self, word: &str) -> String {
        let key = word.to_lowercase();
        if let Some(s) = self.family.get(&key) {
            return s.clone();
        }
        let s = self.pick(FAMILY, "family", &key);
        self.family.insert(key, s.clone());
        s
    }

    /// Registers a name seen in full ("Jane Roe", "Roe, Jane") before stand-ins are written, so
    /// that "Roe" alone and "Mr. Roe" later map to the same stand-in surname.
    pub fn learn_name(&mut self, value: &str) {
        let (_, words) = split_title(value);
        let (given, family) = given_family(&words);
        if let (Some(g), Some(f)) = (given, family) {
            self.given_for(g);
            self.family_for(f);
        }
    }

    /// Returns the stand-in for `value` of `category`; the same value always gets the same one.
    pub fn replace(&mut self, category: Category, value: &str) -> String {
        let key = (category, value.trim().to_lowercase());
        if let Some(s) = self.values.get(&key) {
            return s.clone();
        }
        let s = match category {
            Category::Name => self.name(value),
            Category::Date => self.date(value).unwrap_or_else(|| tag(category)),
            Category::Age => self.age(value),
            Category::Ssn => self.digits(value, "ssn", Some("9")),
            Category::Phone | Category::Fax => phone(value, self.hash("phone", &key.1)),
            Category::Email => self.email(value),
            Category::Url => self.url(value),
            Category::Ip => self.ip(value),
            Category::Zip => self.digits(value, "zip", Some("000")),
            Category::Location => self.place(value),
            Category::Facility => self.facility(value),
            Category::Address => self.address(value),
            Category::Account if is_card(value) => self.card(value),
            Category::Mrn
            | Category::Account
            | Category::HealthPlan
            | Category::License
            | Category::Vehicle
            | Category::Device
            | Category::OtherId => self.id(value),
            // A health fact has no harmless look-alike: a different diagnosis would change what
            // the text says. It is tagged.
            Category::Diagnosis | Category::Medication | Category::Procedure => tag(category),
        };
        self.values.insert(key, s.clone());
        s
    }

    fn name(&mut self, value: &str) -> String {
        let trimmed = value.trim();
        if let Some(handle) = trimmed.strip_prefix('@').or_else(|| trimmed.strip_prefix("u/")) {
            let prefix = &trimmed[..trimmed.len() - handle.len()];
            let g = self.given_for(handle).to_lowercase();
            let f = self.family_for(handle).to_lowercase();
            return format!("{prefix}{g}_{f}");
        }
        let (title, words) = split_title(trimmed);
        if words.is_empty() {
            return tag(Category::Name);
        }
        let comma = trimmed.contains(',');
        let (given, family) = given_family(&words);
        let mut out = Vec::new();
        if let Some(t) = title {
            out.push(t.to_string());
        }
        match (given, family) {
            (Some(g), Some(f)) => {
                let gs = self.given_for(g);
                let fs = self.family_for(f);
                // Middle names and initials: a stand-in initial.
                let middles: Vec<String> = words[1..words.len() - 1]
                    .iter()
                    .filter(|w| !is_suffix(w))
                    .map(|w| {
                        let m = self.given_for(w);
                        if w.trim_end_matches('.').chars().count() <= 1 {
                            format!("{}.", m.chars().next().unwrap_or('X'))
                        } else {
                            m
                        }
                    })
                    .collect();
                if comma {
                    out.push(format!("{},", case_like(f, &fs)));
                    out.push(case_like(g, &gs));
                    out.extend(middles);
                } else {
                    out.push(case_like(g, &gs));
                    out.extend(middles);
                    out.push(case_like(f, &fs));
                }
            }
            _ => {
                let w = words[0];
                let key = w.to_lowercase();
                let s = if title.is_some() || self.family.contains_key(&key) {
                    self.family_for(w)
                } else if self.given.contains_key(&key) {
                    self.given_for(w)
                } else {
                    self.family_for(w)
                };
                out.push(case_like(w, &s));
            }
        }
        out.join(" ")
    }

    fn age(&mut self, value: &str) -> String {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse::<i64>() else { return tag(Category::Age) };
        // Ages of 90 and over are one group under HIPAA; below that, a nearby age.
        let new = if n >= 90 {
            90
        } else {
            let d = (self.hash("age", &digits) % 3) as i64 + 1;
            if n > 3 && self.hash("age-sign", &digits) & 1 == 0 {
                n - d
            } else {
                n + d
            }
        };
        replace_first_number(value, &new.to_string())
    }

    /// Replaces every digit (from a per-value stream), the first ones by `lead` when given.
    fn digits(&mut self, value: &str, salt: &str, lead: Option<&str>) -> String {
        let mut h = self.hash(salt, value);
        let lead: Vec<char> = lead.unwrap_or("").chars().collect();
        let mut k = 0;
        value
            .chars()
            .map(|c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                let d = if k < lead.len() {
                    lead[k]
                } else {
                    h = mix(h);
                    char::from(b'0' + (h % 10) as u8)
                };
                k += 1;
                d
            })
            .collect()
    }

    fn id(&mut self, value: &str) -> String {
        let mut h = self.hash("id", value);
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::with_capacity(value.len());
        let mut first_digit = true;
        for (i, &c) in chars.iter().enumerate() {
            h = mix(h);
            if c.is_ascii_digit() {
                // A leading zero may be dropped by a spreadsheet: the first digit is never one.
                let d = if first_digit { 1 + h % 9 } else { h % 10 };
                first_digit = false;
                out.push(char::from(b'0' + d as u8));
            } else if c.is_ascii_alphabetic() {
                // A run of letters is a prefix (`MRN`, `MH`) naming the site, not the person.
                let run = |j: usize| chars.get(j).is_some_and(|x| x.is_ascii_alphabetic());
                if (i > 0 && run(i - 1)) || run(i + 1) {
                    out.push(c);
                } else {
                    let l = b'A' + (h % 26) as u8;
                    out.push(if c.is_ascii_lowercase() { char::from(l.to_ascii_lowercase()) } else { char::from(l) });
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn card(&mut self, value: &str) -> String {
        let n = value.chars().filter(char::is_ascii_digit).count();
        let mut h = self.hash("card", value);
        // A 4 (the test cards' network) and random digits, then the Luhn check digit.
        let mut digits: Vec<u32> = vec![4];
        while digits.len() < n - 1 {
            h = mix(h);
            digits.push((h % 10) as u32);
        }
        digits.push(luhn_check_digit(&digits));
        let mut it = digits.into_iter();
        value
            .chars()
            .map(|c| if c.is_ascii_digit() { char::from_digit(it.next().unwrap_or(0), 10).unwrap_or('0') } else { c })
            .collect()
    }

    fn email(&mut self, value: &str) -> String {
        let local = value.split('@').next().unwrap_or(value);
        let g = self.given_for(&format!("mail:{local}")).to_lowercase();
        let f = self.family_for(&format!("mail:{local}")).to_lowercase();
        let prefix = if value.to_ascii_lowercase().starts_with("mailto:") { "mailto:" } else { "" };
        format!("{prefix}{g}.{f}@mail.example")
    }

    fn url(&mut self, value: &str) -> String {
        let scheme = value.find("://").map_or("", |i| &value[..i + 3]);
        let n = self.hash("url", value) % 1000;
        format!("{scheme}www.site{n}.example/")
    }

    fn ip(&mut self, value: &str) -> String {
        let h = self.hash("ip", value);
        if value.contains(':') {
            format!("2001:db8::{:x}", h % 0xffff + 1)
        } else {
            format!("192.0.2.{}", h % 254 + 1)
        }
    }

    fn place(&mut self, value: &str) -> String {
        let p = self.pick(PLACES, "place", &value.to_lowercase());
        case_like(value, &p)
    }

    fn facility(&mut self, value: &str) -> String {
        let words: Vec<&str> = value.split_whitespace().collect();
        let generic = |w: &str| FACILITY_WORDS.contains(&w.to_lowercase().as_str());
        let keep_from = words.iter().position(|w| generic(w)).unwrap_or(words.len());
        let kept: Vec<&str> = words[keep_from..].to_vec();
        let p = self.pick(PLACES, "facility", &value.to_lowercase());
        if kept.is_empty() {
            format!("{p} Clinic")
        } else {
            format!("{p} {}", kept.join(" "))
        }
    }

    fn address(&mut self, value: &str) -> String {
        let street = self.pick(&PLACES[..6], "street", &value.to_lowercase());
        let mut h = self.hash("address", value);
        let mut out: Vec<String> = Vec::new();
        let mut named = false;
        for w in value.split_whitespace() {
            let lw = w.to_lowercase();
            let core = lw.trim_end_matches(',');
            if w.chars().any(|c| c.is_ascii_digit()) {
                let s: String = w
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if c.is_ascii_digit() {
                            h = mix(h);
                            char::from(b'0' + if i == 0 { 1 + h % 9 } else { h % 10 } as u8)
                        } else {
                            c
                        }
                    })
                    .collect();
                out.push(s);
                named = false;
            } else if STREET_WORDS.contains(&core) || core.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase()) {
                // Street types, units, directions and state codes stay.
                out.push(w.to_string());
                named = false;
            } else if !named {
                let comma = if w.ends_with(',') { "," } else { "" };
                out.push(format!("{street}{comma}"));
                named = true;
            } else if w.ends_with(',') {
                if let Some(last) = out.last_mut() {
                    last.push(',');
                }
            }
        }
        out.join(" ")
    }

    /// Returns the date moved by the document's offset, written as the original was, if its
    /// format is one phiscan reads back (numeric, or with a month name).
    pub fn date(&self, value: &str) -> Option<String> {
        let v = value.trim();
        numeric_date(v, self.shift).or_else(|| named_date(v, self.shift))
    }
}

pub use crate::finding::tag;

fn split_title(value: &str) -> (Option<&str>, Vec<&str>) {
    let words: Vec<&str> = value.split_whitespace().collect();
    match words.first() {
        Some(w) if words.len() > 1 && TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()) => {
            (Some(w), words[1..].to_vec())
        }
        _ => (None, words),
    }
}

fn is_suffix(w: &str) -> bool {
    matches!(w.trim_end_matches([',', '.']).to_lowercase().as_str(), "jr" | "sr" | "ii" | "iii" | "iv")
}

/// Returns the given name and surname of a name's words (`Roe, Jane` or `Jane Q. Roe Jr.`).
fn given_family<'a>(words: &[&'a str]) -> (Option<&'a str>, Option<&'a str>) {
    let words: Vec<&str> = words.iter().copied().filter(|w| !is_suffix(w)).collect();
    if words.len() < 2 {
        return (None, words.first().map(|w| w.trim_end_matches(',')));
    }
    if words[0].ends_with(',') {
        (Some(words[1]), Some(words[0].trim_end_matches(',')))
    } else {
        (Some(words[0]), Some(words[words.len() - 1]))
    }
}

/// Writes `new` in the case style of `like` (all capitals, all lower case, or as given).
fn case_like(like: &str, new: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        new.to_uppercase()
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        new.to_lowercase()
    } else {
        new.to_string()
    }
}

fn replace_first_number(value: &str, new: &str) -> String {
    let Some(s) = value.find(|c: char| c.is_ascii_digit()) else { return new.to_string() };
    let e = value[s..].find(|c: char| !c.is_ascii_digit()).map_or(value.len(), |i| s + i);
    format!("{}{new}{}", &value[..s], &value[e..])
}

/// A phone in the 555-01xx range kept for fiction, in the original's layout.
fn phone(value: &str, h: u64) -> String {
    let n = value.chars().filter(char::is_ascii_digit).count();
    let last = format!("01{:02}", h % 100);
    let body = match n {
        0..=4 => last[4 - n..].to_string(),
        _ => {
            let mut s = String::new();
            if n == 11 {
                s.push('1');
            }
            while s.len() + 7 < n {
                s.push('5');
            }
            s.push_str("555");
            s.push_str(&last);
            s.chars().skip(s.len().saturating_sub(n)).collect()
        }
    };
    let mut it = body.chars();
    value.chars().map(|c| if c.is_ascii_digit() { it.next().unwrap_or('0') } else { c }).collect()
}

fn is_card(value: &str) -> bool {
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    (13..=19).contains(&digits.len()) && luhn_valid(&digits)
}

/// Whether `digits` pass the Luhn check.
pub fn luhn_valid(digits: &[u32]) -> bool {
    let (body, check) = match digits.split_last() {
        Some((c, b)) => (b, *c),
        None => return false,
    };
    luhn_check_digit(body) == check
}

fn luhn_check_digit(body: &[u32]) -> u32 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(if m == 12 { y + 1 } else { y }, if m == 12 { 1 } else { m + 1 }, 1) - days_from_civil(y, m, 1)
}

fn shift_date(y: i64, m: i64, d: i64, by: i64) -> Option<(i64, i64, i64)> {
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(civil_from_days(days_from_civil(y, m, d) + by))
}

fn pad(n: i64, width: usize) -> String {
    format!("{n:0width$}")
}

/// `03/14/1987`, `3-14-87`, `1987-03-14`, `14.03.1987` (day first when the first part is over 12).
fn numeric_date(v: &str, by: i64) -> Option<String> {
    let sep = v.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = v.split(sep).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let w: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    let year = |s: i64, width: usize| {
        if width == 2 {
            if s > 40 {
                1900 + s
            } else {
                2000 + s
            }
        } else {
            s
        }
    };
    let (order, y, m, d) = if w[0] == 4 {
        ("ymd", n[0], n[1], n[2])
    } else if n[0] > 12 {
        ("dmy", year(n[2], w[2]), n[1], n[0])
    } else {
        ("mdy", year(n[2], w[2]), n[0], n[1])
    };
    let (ny, nm, nd) = shift_date(y, m, d, by)?;
    let yy = |width: usize| if width == 2 { pad(ny.rem_euclid(100), 2) } else { pad(ny, width) };
    let s = sep.to_string();
    Some(match order {
        "ymd" => [yy(w[0]), pad(nm, w[1]), pad(nd, w[2])].join(&s),
        "dmy" => [pad(nd, w[0]), pad(nm, w[1]), yy(w[2])].join(&s),
        _ => [pad(nm, w[0]), pad(nd, w[1]), yy(w[2])].join(&s),
    })
}

fn month_of(word: &str) -> Option<(i64, bool)> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))
        .map(|i| (i as i64 + 1, w.len() < MONTHS[i].len()))
}

fn month_name(m: i64, abbreviated: bool, like: &str) -> String {
    let full = MONTHS[(m - 1) as usize];
    let mut s: String = if abbreviated { full[..3].to_string() } else { full.to_string() };
    if abbreviated && like.ends_with('.') {
        s.push('.');
    }
    let word = like.trim_end_matches('.');
    if word.chars().all(|c| c.is_uppercase()) {
        s.to_uppercase()
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    } else {
        s
    }
}

/// `March 3, 2024`, `Mar. 3 2024`, `3 March 2024`, `March 3rd`, `March 2024`.
fn named_date(v: &str, by: i64) -> Option<String> {
    let tokens: Vec<&str> = v.split_whitespace().collect();
    let mi = tokens.iter().position(|t| month_of(t.trim_end_matches(',')).is_some())?;
    let (m, abbr) = month_of(tokens[mi].trim_end_matches(','))?;
    let num = |t: &str| -> Option<(i64, String)> {
        let t = t.trim_end_matches(',');
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let rest = &t[digits.len()..];
        if digits.is_empty() || !(rest.is_empty() || matches!(rest, "st" | "nd" | "rd" | "th")) {
            return None;
        }
        Some((digits.parse().ok()?, rest.to_string()))
    };
    let mut day: Option<(usize, i64, String)> = None;
    let mut year: Option<(usize, i64)> = None;
    for (i, t) in tokens.iter().enumerate() {
        if i == mi {
            continue;
        }
        let (n, suffix) = num(t)?;
        if t.trim_end_matches(',').len() == 4 && suffix.is_empty() {
            year = Some((i, n));
        } else if n <= 31 && day.is_none() {
            day = Some((i, n, suffix));
        } else {
            return None;
        }
    }
    // Without a year, a leap year keeps 29 February possible.
    let y = year.map_or(2000, |(_, y)| y);
    let d = day.as_ref().map_or(15, |(_, d, _)| *d);
    let (ny, nm, nd) = shift_date(y, m, d, by)?;
    let out: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let comma = if t.ends_with(',') { "," } else { "" };
            if i == mi {
                format!("{}{comma}", month_name(nm, abbr, t.trim_end_matches(',')))
            } else if year.is_some_and(|(yi, _)| yi == i) {
                format!("{ny}{comma}")
            } else {
                let suffix = day.as_ref().map_or(String::new(), |(_, _, s)| s.clone());
                let suffix = if suffix.is_empty() { suffix } else { ordinal(nd).to_string() };
                format!("{nd}{suffix}{comma}")
            }
        })
        .collect();
    Some(out.join(" "))
}

fn ordinal(n: i64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_one_stand_in() {
        let mut s = Surrogates::new(11);
        s.learn_name("Odalys Quenneville");
        let full = s.replace(Category::Name, "Odalys Quenneville");
        let alone = s.replace(Category::Name, "Quenneville");
        let titled = s.replace(Category::Name, "Ms. Quenneville");
        let first = s.replace(Category::Name, "Odalys");
        let surname = full.split(' ').nth(1).unwrap();
        assert_eq!(alone, surname);
        assert_eq!(titled, format!("Ms. {surname}"));
        assert_eq!(first, full.split(' ').next().unwrap());
        let other = s.replace(Category::Name, "Bertrand Hollowmere");
        assert_ne!(other.split(' ').nth(1).unwrap(), surname, "two people, two stand-ins");
        assert_eq!(
            s.replace(Category::Name, "QUENNEVILLE, ODALYS"),
            format!("{}, {}", surname.to_uppercase(), first.to_uppercase())
        );
    }

    #[test]
    fn dates_move_by_one_offset_in_their_own_format() {
        let s = Surrogates::new(5);
        let by = s.day_shift();
        assert!(by.abs() >= 30);
        let a = s.date("03/01/2024").unwrap();
        let b = s.date("03/11/2024").unwrap();
        let parse = |d: &str| {
            let p: Vec<i64> = d.split('/').map(|x| x.parse().unwrap()).collect();
            days_from_civil(p[2], p[0], p[1])
        };
        assert_eq!(parse(&b) - parse(&a), 10, "intervals survive");
        assert_eq!(parse(&a) - days_from_civil(2024, 3, 1), by);
        assert_eq!(s.date("2024-03-01").unwrap().len(), 10);
        let named = s.date("March 1, 2024").unwrap();
        assert!(named.contains(", ") && named.ends_with(char::is_numeric), "{named}");
        assert!(s.date("sometime").is_none());
        assert_eq!(s.date("1/2/99").unwrap().matches('/').count(), 2);
    }

    #[test]
    fn identifiers_are_valid_and_obviously_synthetic() {
        let mut s = Surrogates::new(3);
        let ssn = s.replace(Category::Ssn, "536-22-8727");
        assert!(ssn.starts_with('9') && ssn.len() == 11 && &ssn[3..4] == "-", "{ssn}");
        let phone = s.replace(Category::Phone, "(330) 482-7719");
        assert!(phone.starts_with("(555) 555-01"), "{phone}");
        assert_eq!(phone.len(), "(330) 482-7719".len());
        let mail = s.replace(Category::Email, "o.quenneville@example.com");
        assert!(mail.ends_with("@mail.example"), "{mail}");
        let card = s.replace(Category::Account, "4539 1488 0343 6467");
        let digits: Vec<u32> = card.chars().filter_map(|c| c.to_digit(10)).collect();
        assert!(luhn_valid(&digits) && digits.len() == 16 && card.starts_with('4'), "{card}");
        assert!(s.replace(Category::Ip, "203.0.113.77").starts_with("192.0.2."));
        assert_eq!(s.replace(Category::Age, "97"), "90");
        assert_eq!(s.replace(Category::Diagnosis, "asthma"), "[DIAGNOSIS]");
        let mrn = s.replace(Category::Mrn, "MRN 40719385");
        assert!(mrn.starts_with("MRN ") && mrn.len() == 12 && mrn != "MRN 40719385", "{mrn}");
    }

    #[test]
    fn seeds_decide_everything() {
        let a = Surrogates::new(42).replace(Category::Name, "Odalys Quenneville");
        let b = Surrogates::new(42).replace(Category::Name, "Odalys Quenneville");
        assert_eq!(a, b);
        let differ = (0..8).any(|k| Surrogates::new(k).replace(Category::Name, "Odalys Quenneville") != a);
        assert!(differ);
    }
}
