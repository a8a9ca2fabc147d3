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
    ("ssn", ssn, "SSA area/group/serial rules; advertising and placeholder numbers rejected"),
    ("npi", npi, "10 digits starting 1 or 2, Luhn-valid with the 80840 prefix"),
    ("dea", dea, "DEA registration: 2 letters + 7 digits with the DEA check digit"),
    ("aba", aba, "ABA routing number: 9 digits, valid prefix and checksum"),
    ("vin", vin, "17-character VIN with a valid check digit (position 9)"),
    ("mbi", mbi, "Medicare Beneficiary Identifier character-class rules"),
    ("nanp", nanp, "North American phone number: valid area code and exchange"),
    ("date", date, "a real calendar date (month 1-12, day valid for the month, year 1900-2099)"),
    ("age-over-89", age_over_89, "an age from 90 to 125 (HIPAA groups ages over 89)"),
    ("ipv4", ipv4, "four octets 0-255, not an unspecified or broadcast address"),
    ("ipv6", ipv6, "a valid IPv6 address with at least one colon group"),
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
    if b.len() != 9 || !b[..2].iter().all(u8::is_ascii_alphabetic) || !b[2..].iter().all(u8::is_ascii_digit) {
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

/// Whether `s` is a plausible North American (NANP) phone number.
pub fn nanp(s: &str) -> bool {
    let mut d: Vec<u32> = digits(s).collect();
    if d.len() == 11 && d[0] == 1 {
        d.remove(0);
    }
    if d.len() < 10 {
        return false;
    }
    // Extensions follow the ten digits; only the first ten are the number.
    let (area, exchange) = (&d[0..3], &d[3..6]);
    let n11 = |x: &[u32]| x[1] == 1 && x[2] == 1;
    area[0] >= 2 && exchange[0] >= 2 && !n11(area) && !n11(exchange) && not_trivial(&s[..s.len().min(16)])
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

/// Whether `s` names a real calendar day: numeric (M/D/Y, Y-M-D, D.M.Y) or with a month name.
pub fn date(s: &str) -> bool {
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
        (Some(m), [d]) => (m, *d, 2000, 4), // "March 3": no year, still a day.
        (None, [a, b, c]) if num_lens[0] == 4 => (*b, *c, *a, 4),
        (None, [a, b, c]) if *a > 12 => (*b, *a, *c, num_lens[2]), // D/M/Y
        (None, [a, b, c]) => (*a, *b, *c, num_lens[2]),
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

/// Whether the first number in `s` is an age from 90 to 125.
pub fn age_over_89(s: &str) -> bool {
    let n: String = s.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    matches!(n.parse::<u32>(), Ok(90..=125))
}

/// Whether `s` is a dotted-quad IPv4 address worth reporting.
pub fn ipv4(s: &str) -> bool {
    match s.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => !ip.is_unspecified() && !ip.is_broadcast(),
        Err(_) => false,
    }
}

/// Whether `s` is an IPv6 address (not the unspecified or loopback address).
pub fn ipv6(s: &str) -> bool {
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(ip) => !ip.is_unspecified() && !ip.is_loopback(),
        Err(_) => false,
    }
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
        fn dates_agree_with_a_calendar(y in 1900u32..2100, m in 1u32..13, d in 1u32..32) {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let max = match m { 2 if leap => 29, 2 => 28, 4 | 6 | 9 | 11 => 30, _ => 31 };
            prop_assert_eq!(date(&format!("{y:04}-{m:02}-{d:02}")), d <= max);
        }
    }
}
