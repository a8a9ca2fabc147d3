//! Validators: checksums and format rules that turn a regex shape into a likely identifier.
//!
//! A rule names its validators in TOML (`validators = ["luhn"]`); [`lookup`] resolves the name
//! when the rule is compiled, so a typo in a rule file is an error at load time, not a silent
//! pass. Each validator sees the matched value (the `value` group when the pattern has one) and
//! answers yes or no; none of them allocates on the common path.

/// A validator: whether a matched value is plausible for its identifier type.
pub type Validator = fn(&str) -> bool;

/// Every validator name with its function, for `lookup` and `rules explain`.
pub const ALL: &[(&str, Validator, &str)] = &[
    ("luhn", luhn, "13 to 19 digits passing the Luhn checksum (payment cards)"),
    ("card", card, "12 to 19 digits with a card issuer prefix (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro, UATP, Mir) and the Luhn checksum"),
    ("ssn", ssn, "SSA area/group/serial rules; advertising and placeholder numbers rejected"),
    ("itin", itin, "US ITIN: 9 digits, area 9xx, group 50-65, 70-88, 90-92 or 94-99"),
    ("npi", npi, "10 digits starting 1 or 2, Luhn-valid with the 80840 prefix"),
    ("dea", dea, "DEA registration: a registrant-type letter, a letter or 9, and 7 digits with the DEA check digit"),
    ("aba", aba, "ABA routing number: 9 digits, valid prefix and checksum"),
    ("vin", vin, "17-character VIN with a valid check digit (position 9)"),
    ("mbi", mbi, "Medicare Beneficiary Identifier character-class rules"),
    ("nanp", nanp, "North American phone number: valid area code and exchange"),
    ("e164", e164, "+, an assigned country code and a national number of a length that country uses (8 to 15 digits)"),
    ("any-phone", any_phone, "a North American, E.164 or national phone number (nanp, e164 or national-phone)"),
    ("national-phone", national_phone, "a national phone number: trunk 0 and 8-10 digits (6-11 with an area code in brackets or before /), a 10-digit mobile starting 6-9, or (area) and 8-9 digits"),
    ("date", date, "a real calendar date (month 1-12, day valid for the month, year 1900-2099); month and year, or month and day, alone"),
    ("not-score", not_score, "refuses N/10 with N up to 10: a score on a 0-10 scale (pain 4/10), not a date"),
    ("day-ordinal", day_ordinal, "a day of the month as an ordinal, 1st to 31st, with the right suffix"),
    ("age-over-89", age_over_89, "an age from 90 to 125, in digits or words (HIPAA groups ages over 89)"),
    ("ipv4", ipv4, "four octets 0-255 (leading zeros allowed) with an optional /0-32 prefix; not 0.0.0.0 or 255.255.255.255"),
    ("ipv6", ipv6, "a valid IPv6 address in any RFC 4291/5952 form, with an optional zone id and /0-128 prefix; not ::"),
    ("public-tld", public_tld, "a web address whose host is an IP address or ends in a known public top-level domain"),
    ("dns-labels", dns_labels, "every dot-separated label of the host (up to the first /) is at most 63 characters"),
    ("not-trivial", not_trivial, "rejects all-same digits and runs like 1234567"),
    ("iban", iban, "IBAN with a valid ISO 13616 mod-97 checksum"),
];

/// Returns the validator with this name.
pub fn lookup(name: &str) -> Option<Validator> {
    ALL.iter().find(|(n, _, _)| *n == name).map(|(_, f, _)| *f)
}

/// Returns the ASCII digits of `s` as numbers, ignoring every other character.
fn digits(s: &str) -> impl Iterator<Item = u32> + Clone + '_ {
    s.bytes().filter(u8::is_ascii_digit).map(|b| u32::from(b - b'0'))
}

/// Whether the digits of `s`, read as one number, pass the Luhn checksum.
fn luhn_digits(ds: impl DoubleEndedIterator<Item = u32>) -> bool {
    let sum: u32 = ds
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Whether `s` holds 13 to 19 digits passing Luhn, not all the same digit.
pub fn luhn(s: &str) -> bool {
    let ds: Vec<u32> = digits(s).collect();
    (13..=19).contains(&ds.len()) && not_trivial(s) && luhn_digits(ds.into_iter())
}

/// Whether `s` is a payment card number: 12 to 19 digits with a known issuer prefix and a length
/// that issuer uses, passing Luhn. A Luhn-valid digit run is one in ten of all digit runs; the
/// issuer prefix is what makes it a card.
pub fn card(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    let n = d.len();
    if !(12..=19).contains(&n) || !not_trivial(s) || !luhn_digits(d.iter().copied()) {
        return false;
    }
    let prefix = |k: usize| d[..k].iter().fold(0, |a, x| a * 10 + x);
    match d[0] {
        1 => n == 15,                                                                                   // UATP
        2 => (prefix(4) >= 2221 && prefix(4) <= 2720 && n == 16) || (2200..=2204).contains(&prefix(4)), // Mastercard, Mir
        3 => match prefix(2) {
            34 | 37 => n == 15,                       // American Express
            35 => (3528..=3589).contains(&prefix(4)), // JCB
            36 | 38 | 39 => n >= 14,                  // Diners Club
            30 => (300..=305).contains(&prefix(3)) || prefix(4) == 3095,
            _ => false,
        },
        4 => matches!(n, 13 | 16 | 19),                  // Visa
        5 => !(51..=55).contains(&prefix(2)) || n == 16, // Mastercard 51-55; Maestro 50, 56-59
        6 => true,                                       // Discover, UnionPay 62, Maestro, RuPay 60
        8 => matches!(prefix(2), 81 | 82),               // UnionPay, RuPay
        9 => prefix(4) == 9792,                          // Troy
        _ => false,
    }
}

/// Whether `s` is a US Individual Taxpayer Identification Number: nine digits starting 9, with a
/// group (the fourth and fifth digits) the IRS assigns to ITINs.
pub fn itin(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    if d.len() != 9 || d[0] != 9 {
        return false;
    }
    let group = d[3] * 10 + d[4];
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99) && not_trivial(s)
}

/// Whether `s` is a plausible US Social Security number.
pub fn ssn(s: &str) -> bool {
    let ds: Vec<u32> = digits(s).collect();
    if ds.len() != 9 {
        return false;
    }
    let area = ds[0] * 100 + ds[1] * 10 + ds[2];
    let group = ds[3] * 10 + ds[4];
    let serial = ds[5] * 1000 + ds[6] * 100 + ds[7] * 10 + ds[8];
    // Numbers the SSA or advertisers published, and the placeholder everyone types.
    const KNOWN_FAKE: [&str; 4] = ["078051120", "219099999", "457555462", "123456789"];
    let flat: String = ds.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect();
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !KNOWN_FAKE.contains(&flat.as_str())
        && not_trivial(s)
}

/// Whether `s` is a valid National Provider Identifier.
pub fn npi(s: &str) -> bool {
    let ds: Vec<u32> = digits(s).collect();
    ds.len() == 10
        && (ds[0] == 1 || ds[0] == 2)
        && luhn_digits([8, 0, 8, 4, 0].into_iter().chain(ds.iter().copied()).collect::<Vec<_>>().into_iter())
}

/// Whether `s` is a valid DEA registration number.
pub fn dea(s: &str) -> bool {
    let b = s.as_bytes();
    // The second character is the registrant's initial, or 9 for a business.
    if b.len() != 9
        || !b[0].is_ascii_alphabetic()
        || !(b[1].is_ascii_alphabetic() || b[1] == b'9')
        || !b[2..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    if !b"ABCDEFGHJKLMPRSTUX".contains(&b[0].to_ascii_uppercase()) {
        return false;
    }
    let d: Vec<u32> = b[2..].iter().map(|c| u32::from(c - b'0')).collect();
    let check = (d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5]);
    check % 10 == d[6]
}

/// Whether `s` is a valid ABA routing transit number.
pub fn aba(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    if d.len() != 9 {
        return false;
    }
    let prefix = d[0] * 10 + d[1];
    let prefix_ok = prefix <= 12 || (21..=32).contains(&prefix) || (61..=72).contains(&prefix) || prefix == 80;
    let sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    prefix_ok && sum % 10 == 0 && not_trivial(s)
}

/// Whether `s` is a 17-character VIN with a correct check digit.
pub fn vin(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 17 {
        return false;
    }
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let mut sum = 0;
    for (i, c) in b.iter().enumerate() {
        let v = match c.to_ascii_uppercase() {
            c @ b'0'..=b'9' => u32::from(c - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return false, // I, O, Q and non-alphanumerics never appear in a VIN
        };
        sum += v * WEIGHTS[i];
    }
    let check = match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    };
    b[8].to_ascii_uppercase() == check && b.iter().any(u8::is_ascii_alphabetic)
}

/// Whether `s` follows the Medicare Beneficiary Identifier format (dashes allowed).
pub fn mbi(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| *c != b'-').map(|c| c.to_ascii_uppercase()).collect();
    if b.len() != 11 {
        return false;
    }
    let alpha = |c: u8| c.is_ascii_uppercase() && !b"SLOIBZ".contains(&c);
    let num = |c: u8| c.is_ascii_digit();
    let any = |c: u8| alpha(c) || num(c);
    (b'1'..=b'9').contains(&b[0])
        && alpha(b[1])
        && any(b[2])
        && num(b[3])
        && alpha(b[4])
        && any(b[5])
        && num(b[6])
        && alpha(b[7])
        && alpha(b[8])
        && num(b[9])
        && num(b[10])
}

/// Returns `s` up to an extension marker (`x22`, `ext. 22`, `extension 22`): the number itself.
fn before_extension(s: &str) -> &str {
    s.find(['x', 'X', 'e', 'E']).map_or(s, |i| &s[..i])
}

/// Whether `s` is a plausible North American (NANP) phone number.
pub fn nanp(s: &str) -> bool {
    let main = before_extension(s);
    let mut d: Vec<u32> = digits(main).collect();
    if d.len() == 11 && d[0] == 1 {
        d.remove(0);
    }
    if d.len() != 10 {
        return false;
    }
    let (area, exchange) = (&d[0..3], &d[3..6]);
    let n11 = |x: &[u32]| x[1] == 1 && x[2] == 1;
    area[0] >= 2 && exchange[0] >= 2 && !n11(area) && !n11(exchange) && not_trivial(main)
}

/// Returns the length of the country code that starts `d` (digits after the `+`) and the
/// lengths a national number of that country may have; `None` for unassigned codes.
fn country_code(d: &[u32]) -> Option<(usize, std::ops::RangeInclusive<usize>)> {
    let two = d.get(..2)?.iter().fold(0, |a, x| a * 10 + x);
    let three = d.get(..3).map(|p| p.iter().fold(0, |a, x| a * 10 + x));
    let one = |r| Some((1, r));
    let cc2 = |r| Some((2, r));
    let cc3 = |r| Some((3, r));
    match d[0] {
        1 => one(10..=10),
        7 => one(10..=10),
        _ => match two {
            20 => cc2(8..=10),
            27 => cc2(9..=9),
            30 => cc2(10..=10),
            31 => cc2(9..=9),
            32 => cc2(8..=9),
            33 => cc2(9..=9),
            34 => cc2(9..=9),
            36 => cc2(8..=9),
            39 => cc2(6..=11),
            40 => cc2(9..=9),
            41 => cc2(9..=9),
            43 => cc2(4..=13),
            44 => cc2(9..=10),
            45 => cc2(8..=8),
            46 => cc2(7..=13),
            47 => cc2(8..=8),
            48 => cc2(9..=9),
            49 => cc2(6..=13),
            51 => cc2(8..=9),
            52 => cc2(10..=10),
            53 => cc2(6..=8),
            54 => cc2(10..=11),
            55 => cc2(10..=11),
            56 => cc2(9..=9),
            57 => cc2(8..=10),
            58 => cc2(10..=10),
            60 => cc2(7..=10),
            61 => cc2(9..=9),
            62 => cc2(8..=12),
            63 => cc2(8..=10),
            64 => cc2(8..=10),
            65 => cc2(8..=8),
            66 => cc2(8..=9),
            81 => cc2(9..=10),
            82 => cc2(8..=10),
            84 => cc2(9..=10),
            86 => cc2(10..=11),
            90 => cc2(10..=10),
            91 => cc2(10..=10),
            92 => cc2(9..=10),
            93 => cc2(9..=9),
            94 => cc2(9..=9),
            95 => cc2(7..=10),
            98 => cc2(10..=10),
            _ => match three? {
                972 => cc3(8..=9),
                971 => cc3(8..=9),
                966 => cc3(9..=9),
                351 => cc3(9..=9),
                353 => cc3(7..=9),
                358 => cc3(5..=12),
                420 | 421 => cc3(9..=9),
                852 | 853 => cc3(8..=8),
                880 => cc3(10..=10),
                886 => cc3(8..=9),
                // The other assigned three-digit codes, with the lengths most plans use.
                211..=269
                | 290..=299
                | 350..=359
                | 370..=389
                | 423
                | 500..=509
                | 590..=599
                | 670..=692
                | 850
                | 855
                | 856
                | 960..=979
                | 992..=998 => cc3(5..=11),
                _ => None,
            },
        },
    }
}

/// Whether `s` is an international number in E.164 form: `+`, an assigned country code and a
/// national number of a length that country uses ("+44 20 7946 0958", "+44 (0)20 7946 0958").
pub fn e164(s: &str) -> bool {
    let t = s.trim_start();
    if !t.starts_with('+') {
        return false;
    }
    // A trunk prefix written in brackets ("(0)") is not dialled from abroad.
    let main = before_extension(t).replace("(0)", "");
    let d: Vec<u32> = digits(&main).collect();
    if !(8..=15).contains(&d.len()) || !not_trivial(&main) {
        return false;
    }
    let Some((cc, lengths)) = country_code(&d) else {
        return false;
    };
    let national = &d[cc..];
    if !lengths.contains(&national.len()) || national[0] == 0 {
        return false;
    }
    // North America: the rest is a NANP number.
    cc != 1 || (national[0] >= 2 && national[3] >= 2)
}

/// Whether `s` is a phone number in any form the phone validators know.
pub fn any_phone(s: &str) -> bool {
    nanp(s) || e164(s) || national_phone(s)
}

/// Whether `s` is a phone number in a national form: the trunk prefix 0 and 8 to 10 digits
/// (UK, India, Israel, Belgium, the Netherlands, France, Australia, Japan), 6 to 11 digits when
/// the area code is in brackets or before a `/` (Germany), a 10-digit mobile starting 6-9
/// (India), or a two-digit area code in brackets and 8 or 9 digits (Brazil).
pub fn national_phone(s: &str) -> bool {
    let main = before_extension(s);
    let d: Vec<u32> = digits(main).collect();
    if !not_trivial(main) || d.len() < 7 {
        return false;
    }
    let bracketed_area = main.trim_start().starts_with('(');
    match d.as_slice() {
        // 00 is the international access prefix, not a national number.
        [0, 0, ..] => false,
        [0, rest @ ..] => {
            let n = rest.len();
            (8..=10).contains(&n) || ((bracketed_area || main.contains('/')) && (6..=11).contains(&n))
                // German mobiles: 015x, 016x, 017x and 7 or 8 more digits.
                || (matches!(rest[..2], [1, 5..=7]) && (10..=11).contains(&n))
        }
        // Brazil: (DD) and a landline of 8 digits starting 2-5 or a mobile of 9 starting 9.
        [a, b, rest @ ..] if bracketed_area && *a > 0 && *b > 0 => {
            (rest.len() == 8 && (2..=5).contains(&rest[0])) || (rest.len() == 9 && rest[0] == 9)
        }
        // India: ten-digit mobiles start 6-9.
        [6..=9, ..] => d.len() == 10,
        _ => false,
    }
}

/// Returns the month (1-12) named by the start of `word`, English full or three-letter forms.
pub fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1)
}

/// Returns `s` without a time of day after its date ("2024-03-14T09:30:00Z", "Tue, 5 Mar 2024
/// 14:30 +0000"): the time starts at the last `T` or space before the first `:`.
fn date_part(s: &str) -> &str {
    match s.find(':') {
        Some(colon) => {
            let head = &s[..colon];
            head.rfind(['T', 't', ' ']).map_or(head, |i| &s[..i])
        }
        None => s,
    }
}

/// Whether `s` names a real calendar day (numeric M/D/Y, Y-M-D, D.M.Y, or with a month name,
/// with or without a time), a month and year ("March 2024", "10/2024"), or a month and day
/// without a year ("4/22", "Jan 31").
pub fn date(s: &str) -> bool {
    let s = date_part(s);
    let mut nums: Vec<u32> = Vec::with_capacity(3);
    let mut month_word = None;
    let mut num_lens: Vec<usize> = Vec::with_capacity(3);
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            nums.push(part.parse().unwrap_or(0));
            num_lens.push(part.len());
        } else if let Some(m) = month_number(part) {
            month_word = Some(m);
        } else {
            // Ordinal suffixes: 3rd, 21st.
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                nums.push(digits.parse().unwrap_or(0));
                num_lens.push(digits.len());
            }
        }
    }
    let year_ok = |y: u32, len: usize| (len == 4 && (1900..=2099).contains(&y)) || len == 2;
    let (month, day, year, ylen) = match (month_word, nums.as_slice()) {
        (Some(m), [d, y]) if num_lens[1] >= 2 && *d <= 31 => (m, *d, *y, num_lens[1]),
        (Some(m), [y, d]) if num_lens[0] == 4 => (m, *d, *y, 4),
        // "March 2024": a month and a year.
        (Some(m), [y]) if num_lens[0] == 4 => (m, 1, *y, 4),
        // "Mar '98": two digits too large for a day are a year.
        (Some(m), [y]) if num_lens[0] == 2 && *y > 31 => (m, 1, *y, 2),
        (Some(m), [d]) => (m, *d, 2000, 4), // "March 3": no year, still a day.
        (None, [a, b, c]) if num_lens[0] == 4 => (*b, *c, *a, 4),
        (None, [a, b, c]) if *a > 12 => (*b, *a, *c, num_lens[2]), // D/M/Y
        (None, [a, b, c]) => (*a, *b, *c, num_lens[2]),
        // "10/2024": a month and a year.
        (None, [m, y]) if num_lens[0] <= 2 && num_lens[1] == 4 => (*m, 1, *y, 4),
        // "4/22": month and day, no year (leap years allowed).
        (None, [a, b]) if num_lens[0] <= 2 && num_lens[1] <= 2 => (*a, *b, 2000, 4),
        _ => return false,
    };
    if !(1..=12).contains(&month) || !year_ok(year, ylen) {
        return false;
    }
    let leap = ylen == 2 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=max).contains(&day)
}

/// Whether `s` is not a score out of ten ("4/10", "10/10"): clinicians write pain and other
/// 0-10 scales that way, and read as a month and day they would be dates in April or October.
pub fn not_score(s: &str) -> bool {
    let nums: Vec<u32> = s.split(|c: char| !c.is_ascii_digit()).filter_map(|p| p.parse().ok()).collect();
    !matches!(nums.as_slice(), [n, 10] if *n <= 10)
}

/// Whether `s` is a day of the month written as an ordinal ("1st", "22nd", "13th").
pub fn day_ordinal(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, suffix) = t.split_at(split);
    let Ok(n) = n.parse::<u32>() else { return false };
    let expected = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    (1..=31).contains(&n) && suffix == expected
}

/// Returns the age a value states, in digits ("92-year-old") or English words ("ninety-two",
/// "one hundred and one").
fn age_value(s: &str) -> Option<u32> {
    let n: String = s.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    if !n.is_empty() {
        return n.parse().ok();
    }
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty() && *w != "and").collect();
    let unit = |w: &str| UNITS.iter().position(|u| *u == w).map(|i| i as u32);
    let mut total = 0;
    let mut seen = false;
    for (i, w) in words.iter().enumerate() {
        let v = match *w {
            "twenty" => 20,
            "ninety" => 90,
            "hundred" => {
                total = total.max(1) * 100;
                seen = true;
                continue;
            }
            // "a hundred", but not "ninety-nine and a half".
            "a" if words.get(i + 1) == Some(&"hundred") => 1,
            w => match unit(w) {
                Some(v) => v,
                None if seen => break,
                None => continue,
            },
        };
        total += v;
        seen = true;
    }
    seen.then_some(total)
}

/// Whether the age `s` states is from 90 to 125.
pub fn age_over_89(s: &str) -> bool {
    age_value(s).is_some_and(|n| (90..=125).contains(&n))
}

/// Splits a `/prefix` length off an address and checks it is at most `max`.
fn split_prefix(s: &str, max: u32) -> Option<&str> {
    match s.split_once('/') {
        Some((addr, len)) => (!len.is_empty() && len.len() <= 3 && len.parse::<u32>().ok()? <= max).then_some(addr),
        None => Some(s),
    }
}

/// Returns the four octets of a dotted quad (leading zeros allowed, as logs pad them).
fn octets(s: &str) -> Option<[u32; 4]> {
    let mut out = [0; 4];
    let mut parts = s.split('.');
    for o in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok().filter(|v| *v <= 255)?;
    }
    parts.next().is_none().then_some(out)
}

/// Whether `s` is a dotted-quad IPv4 address worth reporting, with an optional CIDR prefix
/// length; the unspecified (0.0.0.0) and broadcast (255.255.255.255) addresses point at no one.
pub fn ipv4(s: &str) -> bool {
    let Some(addr) = split_prefix(s.trim(), 32) else { return false };
    octets(addr).is_some_and(|o| o != [0; 4] && o != [255; 4])
}

/// Whether `s` is an IPv6 address in any RFC 4291/5952 form (full, compressed, with an embedded
/// IPv4 address, loopback, link-local), with an optional zone id (`%eth0`) and prefix length;
/// the unspecified address (`::`) points at no one.
pub fn ipv6(s: &str) -> bool {
    let Some(addr) = split_prefix(s.trim(), 128) else { return false };
    let addr = match addr.split_once('%') {
        Some((a, zone))
            if !zone.is_empty() && zone.bytes().all(|b| b.is_ascii_alphanumeric() || b"._~-".contains(&b)) =>
        {
            a
        }
        Some(_) => return false,
        None => addr,
    };
    // The embedded IPv4 part must be a real dotted quad (the standard parser is stricter about
    // leading zeros than addresses in logs are, and that is fine here).
    match addr.parse::<std::net::Ipv6Addr>() {
        Ok(ip) => !ip.is_unspecified(),
        Err(_) => false,
    }
}

/// Top-level domains that web addresses in the wild end in: every country code, the original
/// generic domains and the common newer ones (health-care ones included). Reserved names
/// (`example`, `test`, `invalid`, `localhost`) are not public and are not listed.
const PUBLIC_TLDS: &[&str] = &[
    // Generic and sponsored.
    "aero",
    "app",
    "arpa",
    "art",
    "asia",
    "biz",
    "blog",
    "cat",
    "church",
    "city",
    "click",
    "clinic",
    "cloud",
    "club",
    "co",
    "college",
    "com",
    "community",
    "company",
    "coop",
    "dental",
    "dentist",
    "design",
    "dev",
    "digital",
    "doctor",
    "edu",
    "education",
    "email",
    "events",
    "expert",
    "family",
    "fitness",
    "foundation",
    "fun",
    "gov",
    "group",
    "guru",
    "health",
    "healthcare",
    "help",
    "hospital",
    "host",
    "info",
    "institute",
    "int",
    "jobs",
    "life",
    "link",
    "live",
    "love",
    "media",
    "medical",
    "mil",
    "mobi",
    "museum",
    "name",
    "net",
    "network",
    "news",
    "ngo",
    "ong",
    "online",
    "org",
    "page",
    "pharmacy",
    "photo",
    "photos",
    "post",
    "pro",
    "school",
    "services",
    "shop",
    "site",
    "social",
    "solutions",
    "space",
    "store",
    "studio",
    "support",
    "surgery",
    "systems",
    "team",
    "tech",
    "tel",
    "today",
    "top",
    "travel",
    "university",
    "vet",
    "vip",
    "website",
    "wiki",
    "work",
    "works",
    "world",
    "xyz",
    "yoga",
    // Country codes.
    "ac",
    "ad",
    "ae",
    "af",
    "ag",
    "ai",
    "al",
    "am",
    "ao",
    "aq",
    "ar",
    "as",
    "at",
    "au",
    "aw",
    "ax",
    "az",
    "ba",
    "bb",
    "bd",
    "be",
    "bf",
    "bg",
    "bh",
    "bi",
    "bj",
    "bm",
    "bn",
    "bo",
    "br",
    "bs",
    "bt",
    "bw",
    "by",
    "bz",
    "ca",
    "cc",
    "cd",
    "cf",
    "cg",
    "ch",
    "ci",
    "ck",
    "cl",
    "cm",
    "cn",
    "cr",
    "cu",
    "cv",
    "cw",
    "cx",
    "cy",
    "cz",
    "de",
    "dj",
    "dk",
    "dm",
    "do",
    "dz",
    "ec",
    "ee",
    "eg",
    "er",
    "es",
    "et",
    "eu",
    "fi",
    "fj",
    "fk",
    "fm",
    "fo",
    "fr",
    "ga",
    "gd",
    "ge",
    "gf",
    "gg",
    "gh",
    "gi",
    "gl",
    "gm",
    "gn",
    "gp",
    "gq",
    "gr",
    "gs",
    "gt",
    "gu",
    "gw",
    "gy",
    "hk",
    "hm",
    "hn",
    "hr",
    "ht",
    "hu",
    "id",
    "ie",
    "il",
    "im",
    "in",
    "io",
    "iq",
    "ir",
    "is",
    "it",
    "je",
    "jm",
    "jo",
    "jp",
    "ke",
    "kg",
    "kh",
    "ki",
    "km",
    "kn",
    "kp",
    "kr",
    "kw",
    "ky",
    "kz",
    "la",
    "lb",
    "lc",
    "li",
    "lk",
    "lr",
    "ls",
    "lt",
    "lu",
    "lv",
    "ly",
    "ma",
    "mc",
    "md",
    "me",
    "mg",
    "mh",
    "mk",
    "ml",
    "mm",
    "mn",
    "mo",
    "mp",
    "mq",
    "mr",
    "ms",
    "mt",
    "mu",
    "mv",
    "mw",
    "mx",
    "my",
    "mz",
    "na",
    "nc",
    "ne",
    "nf",
    "ng",
    "ni",
    "nl",
    "no",
    "np",
    "nr",
    "nu",
    "nz",
    "om",
    "pa",
    "pe",
    "pf",
    "pg",
    "ph",
    "pk",
    "pl",
    "pm",
    "pn",
    "pr",
    "ps",
    "pt",
    "pw",
    "py",
    "qa",
    "re",
    "ro",
    "rs",
    "ru",
    "rw",
    "sa",
    "sb",
    "sc",
    "sd",
    "se",
    "sg",
    "sh",
    "si",
    "sk",
    "sl",
    "sm",
    "sn",
    "so",
    "sr",
    "ss",
    "st",
    "su",
    "sv",
    "sx",
    "sy",
    "sz",
    "tc",
    "td",
    "tf",
    "tg",
    "th",
    "tj",
    "tk",
    "tl",
    "tm",
    "tn",
    "to",
    "tr",
    "tt",
    "tv",
    "tw",
    "tz",
    "ua",
    "ug",
    "uk",
    "us",
    "uy",
    "uz",
    "va",
    "vc",
    "ve",
    "vg",
    "vi",
    "vn",
    "vu",
    "wf",
    "ws",
    "ye",
    "yt",
    "za",
    "zm",
    "zw",
];

/// Whether the web address `s` points at a public host: an IP address, or a name of at least
/// two labels whose last label is a known public top-level domain (`www.hospital` is not a URL).
pub fn public_tld(s: &str) -> bool {
    let rest = s.split_once("://").map_or(s, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(inner) = host_port.strip_prefix('[') {
        return inner.split_once(']').is_some_and(|(ip, _)| ipv6(ip));
    }
    let host = host_port.split(':').next().unwrap_or("").trim_end_matches('.');
    if octets(host).is_some() {
        return ipv4(host);
    }
    // "www." and one word is a typo or a placeholder, not an address.
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("WWW.")).unwrap_or(host);
    let Some((name, tld)) = host.rsplit_once('.') else { return false };
    let tld = tld.to_ascii_lowercase();
    !name.is_empty() && PUBLIC_TLDS.contains(&tld.as_str())
}

/// Whether every label of the host of `s` (the part before the first `/`) is at most 63
/// bytes long, as DNS allows: the limit of `bare-domain-url`, kept out of its pattern, where a
/// bounded repetition over every word of a text was costly to search.
pub fn dns_labels(s: &str) -> bool {
    s.split('/').next().unwrap_or("").split('.').all(|label| label.len() <= 63)
}

/// Whether the digits of `s` are not all the same and not a straight ascending or descending run.
pub fn not_trivial(s: &str) -> bool {
    let ds: Vec<u32> = digits(s).collect();
    if ds.len() < 4 {
        return true;
    }
    let same = ds.iter().all(|d| *d == ds[0]);
    let up = ds.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = ds.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    !(same || up || down)
}

/// Whether `s` is an IBAN with a valid mod-97 checksum.
pub fn iban(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'-').collect();
    if !(15..=34).contains(&b.len()) || !b[..2].iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut rem: u64 = 0;
    for c in b[4..].iter().chain(&b[..4]) {
        let v = match c.to_ascii_uppercase() {
            c @ b'0'..=b'9' => u64::from(c - b'0'),
            c @ b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn checksums_accept_known_good_values() {
        assert!(luhn("4111 1111 1111 1111"));
        assert!(luhn("5555-5555-5555-4444"));
        assert!(!luhn("4111 1111 1111 1112"));
        assert!(npi("1234567893"));
        assert!(!npi("1234567890"));
        assert!(dea("AB1234563"));
        assert!(!dea("AB1234564"));
        assert!(aba("011000015"));
        assert!(!aba("011000016"));
        assert!(vin("1M8GDM9AXKP042788"));
        assert!(!vin("1M8GDM9A1KP042788"));
        assert!(mbi("1EG4-TE5-MK73"));
        assert!(!mbi("1EG4-TE5-MK7"));
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
    }

    #[test]
    fn ssn_rules() {
        assert!(ssn("536-22-8727"));
        assert!(!ssn("000-12-3456"));
        assert!(!ssn("666-12-3456"));
        assert!(!ssn("912-12-3456"));
        assert!(!ssn("536-00-3456"));
        assert!(!ssn("536-22-0000"));
        assert!(!ssn("078-05-1120"));
        assert!(!ssn("123-45-6789"));
        assert!(!ssn("111-11-1111"));
    }

    #[test]
    fn phones_and_dates() {
        assert!(nanp("(330) 555-0119"));
        assert!(nanp("+1 330 555 0119"));
        assert!(!nanp("(130) 555-0119"));
        assert!(!nanp("911-555-0119"));
        assert!(date("03/14/1987"));
        assert!(date("2024-02-29"));
        assert!(!date("2023-02-29"));
        assert!(!date("13/13/2020"));
        assert!(date("31.12.1999"));
        assert!(date("March 3, 2021"));
        assert!(date("3rd of March 2021"));
        assert!(date("Jan 31"));
        assert!(!date("Feb 30, 2020"));
        assert!(!date("1.2.3"));
        assert!(date("4/22"));
        assert!(!date("24/7"));
        assert!(age_over_89("92-year-old"));
        assert!(!age_over_89("89 years"));
        assert!(ipv4("192.0.2.17"));
        assert!(!ipv4("256.1.1.1"));
        assert!(ipv6("2001:db8::1"));
        assert!(!not_trivial("1234567"));
        assert!(not_trivial("4821937"));
    }

    #[test]
    fn cards_need_an_issuer_prefix_and_a_length_it_uses() {
        assert!(card("4111 1111 1111 1111")); // Visa
        assert!(card("5555-5555-5555-4444")); // Mastercard
        assert!(card("2223 0000 4841 0010")); // Mastercard 2-series
        assert!(card("3782 822463 10005")); // Amex, 15
        assert!(card("6011 0009 9013 9424")); // Discover
        assert!(card("3530 1113 3330 0000")); // JCB
        assert!(card("3056 9309 0259 04")); // Diners, 14
                                            // Luhn-valid digit runs without an issuer prefix are not cards.
        assert!(luhn("7992739871300"));
        assert!(!card("7992739871300"));
        assert!(!card("0000 0000 0000 0000"));
        // Amex is 15 digits: a Luhn-valid 16-digit run starting 37 is not one.
        assert!(!card("3700 0000 0000 0002"));
        assert!(!card("4111 1111 1111 1112"));
    }

    #[test]
    fn itins_start_with_nine_and_use_itin_groups() {
        assert!(itin("912-70-4821"));
        assert!(!itin("900 93 4821")); // group 93 is not assigned to ITINs
        assert!(itin("978-88-3312"));
        assert!(itin("943-52-1187"));
        assert!(!itin("912-89-4821"));
        assert!(!itin("812-70-4821"));
        assert!(!itin("912-70-482"));
    }

    #[test]
    fn dea_numbers_allow_a_business_nine() {
        assert!(dea("BJ6125341"));
        // "9" for a business instead of the registrant's initial; check digit still holds.
        assert!(dea("G91234563"));
        assert!(!dea("I91234563")); // I is not a registrant type
        assert!(!dea("G9123456"));
    }

    #[test]
    fn phones_outside_north_america() {
        assert!(nanp("+1 330 555 0163 x204"));
        assert!(nanp("(330)555-0119x11144"));
        assert!(!nanp("(330) 555-011"));
        assert!(e164("+44 20 7946 0958"));
        assert!(e164("+442079460958"));
        assert!(e164("+44 (0)20 7946 0958"));
        assert!(e164("+91 98214 37065"));
        assert!(e164("+55 11 98765-4321"));
        assert!(e164("+972 50-123-4567"));
        assert!(e164("+32 470 12 34 56"));
        assert!(e164("+49 30 901820"));
        assert!(e164("+86 138 0013 8000"));
        assert!(e164("+1 330 555 0119"));
        assert!(!e164("+1 130 555 0119")); // not a NANP area code
        assert!(!e164("+44 20 79")); // too short
        assert!(!e164("+28 1234 5678")); // 28 is not assigned
        assert!(!e164("+91 98214 370651")); // India numbers have ten digits
        assert!(!e164("44 20 7946 0958")); // no +
        assert!(national_phone("020 7946 0958")); // UK London
        assert!(national_phone("07700 900123")); // UK mobile
        assert!(national_phone("022 2345 6789")); // India Mumbai
        assert!(national_phone("98214 37065")); // India mobile
        assert!(national_phone("(11) 98765-4321")); // Brazil mobile
        assert!(national_phone("(21) 3456-7890")); // Brazil landline
        assert!(national_phone("050-123-4567")); // Israel mobile
        assert!(national_phone("03-123-4567")); // Israel Tel Aviv
        assert!(national_phone("0470 12 34 56")); // Belgium mobile
        assert!(national_phone("02 123 45 67")); // Belgium Brussels
        assert!(national_phone("(030) 901820")); // Germany Berlin, short subscriber number
        assert!(national_phone("030/901820"));
        assert!(national_phone("0170 1234567")); // Germany mobile
        assert!(!national_phone("0700 1900")); // shift times
        assert!(!national_phone("0730 0800 0830"));
        assert!(!national_phone("00 44 20 7946 0958"));
        assert!(!national_phone("(21) 1456-7890")); // Brazil landlines start 2-5
        assert!(!national_phone("58765 43210")); // India mobiles start 6-9
    }

    #[test]
    fn dates_in_every_form() {
        assert!(date("2024-03-14T09:30:00Z"));
        assert!(date("2024-03-14 09:30:00+02:00"));
        assert!(date("Tue, 05 Mar 2024 14:30:00 +0000"));
        assert!(date("Tuesday, March 5, 2024"));
        assert!(date("12-MAR-2024"));
        assert!(date("12-mar-24"));
        assert!(date("12-Mar"));
        assert!(date("March 2024"));
        assert!(date("MAR '98"));
        assert!(date("10/2024"));
        assert!(date("31.12.99"));
        assert!(!date("31.13.99"));
        assert!(!date("13/2024"));
        assert!(!date("2024-02-30T10:00"));
        assert!(not_score("3/14"));
        assert!(not_score("12/10"));
        assert!(!not_score("4/10"));
        assert!(!not_score("10/10"));
        assert!(day_ordinal("1st") && day_ordinal("22nd") && day_ordinal("13th") && day_ordinal("31st"));
        assert!(!day_ordinal("32nd") && !day_ordinal("12st") && !day_ordinal("0th") && !day_ordinal("3th"));
    }

    #[test]
    fn ages_in_words() {
        assert!(age_over_89("ninety-two"));
        assert!(age_over_89("NINETY NINE"));
        assert!(age_over_89("ninety"));
        assert!(age_over_89("one hundred and one"));
        assert!(age_over_89("a hundred"));
        assert!(age_over_89("97F"));
        assert!(!age_over_89("eighty-nine"));
        assert!(!age_over_89("twenty"));
        assert_eq!(age_value("ninety nine and a half"), Some(99));
        assert_eq!(age_value("one hundred twenty-five"), Some(125));
    }

    #[test]
    fn ip_addresses_in_every_form() {
        assert!(ipv4("198.51.100.0/24"));
        assert!(ipv4("192.000.002.017")); // padded, as logs write them
        assert!(ipv4("127.0.0.1"));
        assert!(!ipv4("0.0.0.0"));
        assert!(!ipv4("255.255.255.255"));
        assert!(!ipv4("10.0.0.0/33"));
        assert!(!ipv4("192.0.2.256"));
        assert!(!ipv4("192.0.2"));
        assert!(ipv6("fe80::1%eth0"));
        assert!(ipv6("fe80::1%eth0/64"));
        assert!(ipv6("2001:db8::/32"));
        assert!(ipv6("::1"));
        assert!(ipv6("::ffff:192.0.2.1"));
        assert!(ipv6("64:ff9b::198.51.100.7"));
        assert!(ipv6("2001:DB8:0:0:8:800:200C:417A"));
        assert!(!ipv6("::"));
        assert!(!ipv6("2001:db8::256.1.1.1"));
        assert!(!ipv6("2001::db8::1"));
        assert!(!ipv6("12:34:56"));
        assert!(!ipv6("aa:bb:cc:dd:ee:ff"));
        assert!(!ipv6("2001:db8::/129"));
        assert!(!ipv6("fe80::1%"));
    }

    #[test]
    fn web_addresses_need_a_public_host() {
        assert!(public_tld("https://portal.example.org/u/42"));
        assert!(public_tld("www.example.net/donate"));
        assert!(public_tld("http://[2001:db8::1]:8080/path"));
        assert!(public_tld("http://192.0.2.10/login"));
        assert!(public_tld("https://user@clinic.example.co.uk:443/x"));
        assert!(!public_tld("www.hospital"));
        assert!(!public_tld("http://localhost:8080/"));
        assert!(!public_tld("https://intranet.example/"));
        assert!(!public_tld("https://www.clinic.test/"));
    }

    #[test]
    fn dns_labels_are_at_most_63_characters() {
        let longest = "a".repeat(63);
        assert!(dns_labels(&format!("{longest}.example.org/a.{longest}x")));
        assert!(!dns_labels(&format!("{longest}x.example.org")));
        assert!(!dns_labels(&format!("careers.{longest}x.org/jobs")));
    }

    #[test]
    fn every_validator_name_resolves() {
        for (name, _, _) in ALL {
            assert!(lookup(name).is_some());
        }
        assert!(lookup("nope").is_none());
    }

    /// Appends the Luhn check digit to a digit string.
    fn with_check(body: &[u32]) -> Vec<u32> {
        (0..10)
            .map(|c| body.iter().copied().chain([c]).collect::<Vec<_>>())
            .find(|v| luhn_digits(v.clone().into_iter()))
            .unwrap()
    }

    proptest! {
        #[test]
        fn luhn_finds_every_single_digit_error(body in proptest::collection::vec(0u32..10, 15), pos in 0usize..16, delta in 1u32..10) {
            let good = with_check(&body);
            prop_assert!(luhn_digits(good.clone().into_iter()));
            let mut bad = good.clone();
            bad[pos] = (bad[pos] + delta) % 10;
            prop_assert!(!luhn_digits(bad.into_iter()));
        }

        #[test]
        fn ssn_rejects_forbidden_areas(area in prop_oneof![Just(0u32), Just(666u32), 900u32..1000], group in 1u32..100, serial in 1u32..10000) {
            let s = format!("{area:03}-{group:02}-{serial:04}");
            prop_assert!(!ssn(&s));
        }

        #[test]
        fn cards_with_a_valid_check_digit_pass_and_one_digit_off_fails(body in proptest::collection::vec(0u32..10, 14), pos in 0usize..16, delta in 1u32..10) {
            // A Visa number: 4, fourteen digits, the check digit.
            let good = with_check(&[4].into_iter().chain(body).collect::<Vec<_>>());
            let show = |v: &[u32]| v.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect::<String>();
            prop_assume!(not_trivial(&show(&good)));
            prop_assert!(card(&show(&good)));
            let mut bad = good.clone();
            bad[pos] = (bad[pos] + delta) % 10;
            prop_assert!(!card(&show(&bad)));
        }

        #[test]
        fn itin_groups_follow_the_irs_ranges(area in 900u32..1000, group in 0u32..100, serial in 1000u32..10000) {
            let expected = matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99);
            let s = format!("{}-{:02}-{}", area, group, serial);
            prop_assume!(not_trivial(&s));
            prop_assert_eq!(itin(&s), expected);
            // An ITIN is never an SSN.
            prop_assert!(!ssn(&s));
        }

        #[test]
        fn ipv4_accepts_every_octet_and_prefix_in_range(o in proptest::array::uniform4(0u32..256), len in 0u32..40) {
            let addr = format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3]);
            let special = o == [0; 4] || o == [255; 4];
            prop_assert_eq!(ipv4(&addr), !special);
            prop_assert_eq!(ipv4(&format!("{}/{}", addr, len)), !special && len <= 32);
        }

        #[test]
        fn ipv6_agrees_with_the_standard_parser(segs in proptest::array::uniform8(0u16..=0xffff), zone in "[a-z]{1,4}[0-9]?", len in 0u32..140) {
            let ip = std::net::Ipv6Addr::from(segs);
            prop_assume!(!ip.is_unspecified());
            // Compressed (RFC 5952) and full forms, with a zone id and a prefix length.
            let short = ip.to_string();
            let full = segs.iter().map(|s| format!("{s:x}")).collect::<Vec<_>>().join(":");
            prop_assert!(ipv6(&short));
            prop_assert!(ipv6(&full));
            let zoned = format!("{}%{}", short, zone);
            prop_assert!(ipv6(&zoned));
            prop_assert_eq!(ipv6(&format!("{}/{}", short, len)), len <= 128);
        }

        #[test]
        fn ordinals_take_the_suffix_english_gives_them(n in 1u32..40) {
            let suffix = match (n % 10, n % 100) { (_, 11..=13) => "th", (1, _) => "st", (2, _) => "nd", (3, _) => "rd", _ => "th" };
            prop_assert_eq!(day_ordinal(&format!("{}{}", n, suffix)), n <= 31);
            let odd = format!("{}xx", n);
            prop_assert!(!day_ordinal(&odd));
        }

        #[test]
        fn dates_agree_with_a_calendar(y in 1900u32..2100, m in 1u32..13, d in 1u32..32) {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let max = match m { 2 if leap => 29, 2 => 28, 4 | 6 | 9 | 11 => 30, _ => 31 };
            prop_assert_eq!(date(&format!("{y:04}-{m:02}-{d:02}")), d <= max);
        }
    }
}
