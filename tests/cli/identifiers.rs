//! Identifiers in every form other scanners test for: a table of positive and negative cases
//! across the classes (IP addresses, phones, dates, ages, US tax and provider ids, licences,
//! cards, URLs), and a dense intake form where every planted value must be found with the right
//! category.
//!
//! The table runs through the library (`Scanner::scan_text`, one engine for every case, so two
//! hundred cases cost one start-up); the intake form runs through the `phiscan` binary and its
//! JSON report, the contract users read. Every value is synthetic: documentation IP ranges,
//! 555-01xx and drama-reserved phone numbers, test card numbers, invented names.

use crate::util::TestEnv;
use phiscan::engine::Engine;
use phiscan::scan::Scanner;
use std::sync::OnceLock;

/// What a case expects of the findings in its text.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// A finding of this category whose span is exactly this value.
    Found(&'static str, &'static str),
    /// No finding of this category covers this value.
    Absent(&'static str, &'static str),
    /// No finding of this category anywhere in the text.
    Clean(&'static str),
}

use Expect::{Absent, Clean, Found};

const CASES: &[(&str, Expect)] = &[
    // IPv6 in RFC 4291/5952 forms, and IPv4 edges and CIDR suffixes.
    ("Server at 2001:db8::42 refused the login", Found("ip", "2001:db8::42")),
    ("peer fe80::1ff:fe23:4567:890a%eth2 dropped", Found("ip", "fe80::1ff:fe23:4567:890a%eth2")),
    ("bound to loopback ::1 only", Found("ip", "::1")),
    ("allow 2001:db8:abcd::/48 through", Found("ip", "2001:db8:abcd::/48")),
    ("mapped ::ffff:198.51.100.23 seen", Found("ip", "::ffff:198.51.100.23")),
    ("NAT64 64:ff9b::203.0.113.9 relayed", Found("ip", "64:ff9b::203.0.113.9")),
    ("full 2001:0db8:0000:0000:0000:ff00:0042:8329 listed", Found("ip", "2001:0db8:0000:0000:0000:ff00:0042:8329")),
    ("upper 2001:DB8:0:0:8:800:200C:417A noted", Found("ip", "2001:DB8:0:0:8:800:200C:417A")),
    ("zone and prefix fe80::a%en0/64 set", Found("ip", "fe80::a%en0/64")),
    ("open https://[2001:db8::9]:8443/chart now", Found("ip", "2001:db8::9")),
    ("open https://[2001:db8::9]:8443/chart now", Found("url", "https://[2001:db8::9]:8443/chart")),
    ("(2001:db8::5)", Found("ip", "2001:db8::5")),
    ("host '2001:db8::6', port 22", Found("ip", "2001:db8::6")),
    ("It ends at 2001:db8::7.", Found("ip", "2001:db8::7")),
    ("ssh admin@2001:db8::8 failed", Found("ip", "2001:db8::8")),
    ("client 198.51.100.200 logged in", Found("ip", "198.51.100.200")),
    ("subnet 203.0.113.0/24 blocked", Found("ip", "203.0.113.0/24")),
    ("host 192.0.2.255, then", Found("ip", "192.0.2.255")),
    ("padded 192.000.002.010 in the log", Found("ip", "192.000.002.010")),
    ("gateway 10.0.0.1:8080 answered", Found("ip", "10.0.0.1")),
    ("edge 255.255.255.254 seen", Found("ip", "255.255.255.254")),
    ("prefix 10.20.0.0/123 typed", Found("ip", "10.20.0.0")),
    ("alarm at 10:30:45 today", Clean("ip")),
    ("MAC 00:1a:2b:3c:4d:5e on the pump", Clean("ip")),
    ("std::vector<int> in the code", Clean("ip")),
    ("bad 2001:db8::300.1.1.1 entry", Clean("ip")),
    ("double 2001::db8::1 entry", Clean("ip")),
    ("version 4.2.1.7.9 shipped", Clean("ip")),
    ("ratio 1:2:3:4 mix", Clean("ip")),
    ("bind to :: and 0.0.0.0 only", Clean("ip")),
    ("256.10.10.10 is not an address", Clean("ip")),
    ("glued fe80::1zone here", Clean("ip")),
    // Phones outside North America, pagers and extensions, glued extensions.
    ("UK office +44 20 7946 0321", Found("phone", "+44 20 7946 0321")),
    ("E.164 +442079460321 on file", Found("phone", "+442079460321")),
    ("call +44 (0)20 7946 0321 today", Found("phone", "+44 (0)20 7946 0321")),
    ("London 020 7946 0321 after nine", Found("phone", "020 7946 0321")),
    ("mobile 07700 900456", Found("phone", "07700 900456")),
    ("India +91 98214 37065", Found("phone", "+91 98214 37065")),
    ("Mumbai desk 022 2456 7813", Found("phone", "022 2456 7813")),
    ("cell 98214 37065", Found("phone", "98214 37065")),
    ("Brazil +55 21 99876-5432", Found("phone", "+55 21 99876-5432")),
    ("fone (21) 99876-5432", Found("phone", "(21) 99876-5432")),
    ("escritorio (31) 3456-7812", Found("phone", "(31) 3456-7812")),
    ("Israel +972 52-345-6789", Found("phone", "+972 52-345-6789")),
    ("her mobile 052-345-6789", Found("phone", "052-345-6789")),
    ("Haifa line 04-812-3456", Found("phone", "04-812-3456")),
    ("Belgium +32 470 12 34 56", Found("phone", "+32 470 12 34 56")),
    ("GSM 0470 12 34 56", Found("phone", "0470 12 34 56")),
    ("Brussels 02 512 34 67", Found("phone", "02 512 34 67")),
    ("Germany +49 30 1234567", Found("phone", "+49 30 1234567")),
    ("Praxis (030) 1234567", Found("phone", "(030) 1234567")),
    ("Handy 0171 2345678", Found("phone", "0171 2345678")),
    ("China mobile: 139 1234 5678", Found("phone", "139 1234 5678")),
    ("phone 13912345678", Found("phone", "13912345678")),
    ("page him on pager #48213", Found("phone", "48213")),
    ("beeper 4-5532 overnight", Found("phone", "4-5532")),
    ("call x5532 for the charge nurse", Found("phone", "5532")),
    ("ext. 2231 rings the desk", Found("phone", "2231")),
    ("Fax: +44 20 7946 0322", Found("fax", "+44 20 7946 0322")),
    ("desk (330)555-0123x1234", Found("phone", "(330)555-0123x1234")),
    ("+1 330 555 0124 ext 7", Found("phone", "+1 330 555 0124 ext 7")),
    ("code +28 1234 5678", Clean("phone")),
    ("shift 0700-1900 today", Clean("phone")),
    ("times 0730 0800 0830", Clean("phone")),
    ("ZIP 04101-2233", Clean("phone")),
    ("Order 0448-8127-34 shipped", Clean("phone")),
    ("walk x2 daily", Clean("phone")),
    ("the pager battery died", Clean("phone")),
    ("a 1920x1080 screen", Clean("phone")),
    ("ISBN 0-306-40615-2", Clean("phone")),
    // Dates in every form; numeric runs, scores and versions refused.
    ("seen 2024-03-14T09:30:00Z in clinic", Found("date", "2024-03-14T09:30:00Z")),
    ("stamp 2024-03-14 09:30:00+02:00 logged", Found("date", "2024-03-14 09:30:00+02:00")),
    ("Date: Tue, 05 Mar 2024 14:30:00 +0000", Found("date", "Tue, 05 Mar 2024 14:30:00 +0000")),
    ("visit Tuesday, March 5, 2024", Found("date", "Tuesday, March 5, 2024")),
    ("ADMITTED 09-APR-2023 VIA ED", Found("date", "09-APR-2023")),
    ("drawn 09-apr-23 fasting", Found("date", "09-apr-23")),
    ("biopsy 17-Oct, benign", Found("date", "17-Oct")),
    ("stress test MAY 2022 negative", Found("date", "MAY 2022")),
    ("colonoscopy Sept '21 clear", Found("date", "Sept '21")),
    ("PFT 11/2021 reviewed", Found("date", "11/2021")),
    ("dated 23.11.98 by the lab", Found("date", "23.11.98")),
    ("seen 23.11.1998 in Bern", Found("date", "23.11.1998")),
    ("arrived on july 4th", Found("date", "july 4th")),
    ("f/u nov 3 with labs", Found("date", "nov 3")),
    ("AUGUST 19, 2023 CONSULT", Found("date", "AUGUST 19, 2023")),
    ("married the 2nd of June 2020", Found("date", "2nd of June 2020")),
    ("admitted 3/9 with sepsis", Found("date", "3/9")),
    ("cath 12/19: patent stents", Found("date", "12/19")),
    ("on tues 3/4 at 0900", Found("date", "3/4")),
    ("on 4/10 she fell at home", Found("date", "4/10")),
    ("Admit 5-14, d/c 5-18.", Found("date", "5-14")),
    ("Admit 5-14, d/c 5-18.", Found("date", "5-18")),
    ("her son arrives Sat the 17th", Found("date", "17th")),
    ("seen on the 26th at noon", Found("date", "26th")),
    ("hx of appendectomy '98, asthma", Found("date", "'98")),
    ("DOB 14-MAR-1987", Found("date", "14-MAR-1987")),
    ("b. 3/14/1987 in Ohio", Found("date", "3/14/1987")),
    ("cultures 6/2 3/4 bottles", Found("date", "6/2")),
    ("cultures 6/2 3/4 bottles", Absent("date", "3/4")),
    ("AC 450/16/5/45% overnight", Clean("date")),
    ("pain 6-8/10 with movement", Clean("date")),
    ("BP 142/88 sitting", Clean("date")),
    ("rates pain 7/10 walking", Clean("date")),
    ("strength 4/5 in the right leg", Clean("date")),
    ("1/2 NS at 100 ml/hr", Clean("date")),
    ("about 2/3 of the unit", Clean("date")),
    ("a 3 1/2 hour wait", Clean("date")),
    ("version 2.14.3 installed", Clean("date")),
    ("on 2-4 L nasal cannula", Clean("date")),
    ("moved on the 4th floor", Clean("date")),
    ("music of the '70s", Clean("date")),
    ("open 24/7 all year", Clean("date")),
    ("weaned to CPAP 6/5 this morning", Clean("date")),
    // Ages over 89 in every spelling.
    ("a ninety-three year old man", Found("age", "ninety-three")),
    ("she turned ninety last spring", Found("age", "ninety")),
    ("one hundred and one years old", Found("age", "one hundred and one")),
    ("93F with CHF and falls", Found("age", "93")),
    ("HPI: 92 M with chest pain", Found("age", "92")),
    ("she's 91 and lives alone", Found("age", "91")),
    ("Pt is 94, widowed", Found("age", "94")),
    ("a 92 y/o with dementia", Found("age", "92")),
    ("93yoF from home", Found("age", "93")),
    ("aged 97 at admission", Found("age", "97")),
    ("Tmax 101F overnight", Clean("age")),
    ("he is 95% sure", Clean("age")),
    ("ninety days supply", Clean("age")),
    ("eighty-nine years old", Clean("age")),
    ("raised $97M this year", Clean("age")),
    // US taxpayer and provider ids, licences, DEA.
    ("ITIN: 912-70-4821", Found("other-id", "912-70-4821")),
    ("taxpayer id 978 88 3312", Found("other-id", "978 88 3312")),
    ("ITIN 943521187 on the form", Found("other-id", "943521187")),
    ("ITIN: 912-89-4821", Clean("other-id")),
    ("ITIN: 912-89-4821", Clean("ssn")),
    ("NPI 1234567893", Found("other-id", "1234567893")),
    ("Referring physician Dr. Amsel 1245319599", Found("other-id", "1245319599")),
    ("ref 1234567893", Clean("other-id")),
    ("NPI: 1234567890", Clean("other-id")),
    ("Medical license #: G48213", Found("license", "G48213")),
    ("RN license 7731842", Found("license", "7731842")),
    ("NY State license 203344", Found("license", "203344")),
    ("DEA# BJ6125341", Found("license", "BJ6125341")),
    ("DEA registration G91234563", Found("license", "G91234563")),
    ("DEA AB1234564", Clean("license")),
    ("SKU AB1234563", Clean("license")),
    // Payment cards: issuer prefix + Luhn, a cue for digit runs; URLs with public hosts.
    ("card 4111 1111 1111 1111 on file", Found("account", "4111 1111 1111 1111")),
    ("Amex 3782 822463 10005", Found("account", "3782 822463 10005")),
    ("paid by Visa 4012888888881881", Found("account", "4012888888881881")),
    ("Discover card: 6011-0009-9013-9424", Found("account", "6011-0009-9013-9424")),
    ("JCB 3530111333300000", Found("account", "3530111333300000")),
    ("Mastercard 2223 0000 4841 0010", Found("account", "2223 0000 4841 0010")),
    ("ref 4012888888881881", Clean("account")),
    ("card 7992739871300", Clean("account")),
    ("card 4111 1111 1111 1112", Clean("account")),
    ("Read https://portal.example.org/u/42.", Found("url", "https://portal.example.org/u/42")),
    ("give at www.example.net/donate", Found("url", "www.example.net/donate")),
    ("see http://192.0.2.10/login", Found("url", "http://192.0.2.10/login")),
    ("see http://192.0.2.10/login", Found("ip", "192.0.2.10")),
    ("jobs on careers.quillbrookclinic.org", Found("url", "careers.quillbrookclinic.org")),
    ("type www.hospital in the bar", Clean("url")),
    ("http://localhost:8080/admin", Clean("url")),
    ("https://intranet.example/", Clean("url")),
    // Labelled values judged by their own label, whatever the neighbouring lines say.
    ("SSN: 536-22-8727\nHome phone: 330-555-0111", Found("phone", "330-555-0111")),
    ("Home phone: 330-555-0111\nFax: 330-555-0112", Found("fax", "330-555-0112")),
    ("Card: 5500 0000 0000 0004\nDevice serial: 8841-22", Found("account", "5500 0000 0000 0004")),
    ("Member ID: 7734\nZIP: 44691-2207", Found("zip", "44691-2207")),
    ("Phone: 330-555-0113  Fax: 330-555-0114", Found("fax", "330-555-0114")),
    ("Order no: 55\nPhone:\n330-555-0115", Found("phone", "330-555-0115")),
    ("Signed: O.B. 04/01/2024", Found("date", "04/01/2024")),
];

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| Scanner::with_defaults(Engine::new(phiscan::rules::builtin::rules().unwrap()).unwrap()))
}

/// Returns why `expect` fails on `text`, or `None` when it holds.
fn check(text: &str, expect: Expect) -> Option<String> {
    let found = scanner().scan_text("case.txt", text.as_bytes()).findings;
    let spans: Vec<(&str, &str, &str)> =
        found.iter().map(|f| (f.category.as_str(), &*f.rule, &text[f.start..f.end])).collect();
    let ok = match expect {
        Found(cat, value) => spans.iter().any(|(c, _, v)| *c == cat && *v == value),
        Absent(cat, value) => {
            let at = text.find(value).expect("the value is in the text");
            !found.iter().any(|f| f.category.as_str() == cat && f.start < at + value.len() && at < f.end)
        }
        Clean(cat) => !spans.iter().any(|(c, _, _)| *c == cat),
    };
    (!ok).then(|| format!("{text:?}: expected {expect:?}, found {spans:?}"))
}

#[test]
fn identifier_table_passes_every_case() {
    let failures: Vec<String> = CASES.iter().filter_map(|(text, expect)| check(text, *expect)).collect();
    let positives = CASES.iter().filter(|(_, e)| matches!(e, Found(..))).count();
    eprintln!(
        "identifier table: {}/{} cases passed ({} positive, {} negative)",
        CASES.len() - failures.len(),
        CASES.len(),
        positives,
        CASES.len() - positives
    );
    assert!(CASES.len() >= 150, "the table must hold at least 150 cases");
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

/// A dense intake form: every line a `Label: value` field, values of many kinds planted in an
/// order where each line's neighbours carry other fields' labels (SSN over a phone, a phone over
/// a fax, a serial under a card). Each planted value, with the category it must be reported as.
const INTAKE: &[(&str, Option<(&str, &str)>)] = &[
    ("INTAKE - SYNTHETIC TEST RECORD", None),
    ("Patient name: Wilhelmina Oakridge", None),
    ("Date of birth: 07/22/1931", Some(("date", "07/22/1931"))),
    ("Age: 94", Some(("age", "94"))),
    ("SSN: 536-22-8727", Some(("ssn", "536-22-8727"))),
    ("ITIN: 912-70-4821", Some(("other-id", "912-70-4821"))),
    ("MRN: 66120394", Some(("mrn", "66120394"))),
    ("Order #: 2231-77", None),
    ("Home phone: (330) 555-0166", Some(("phone", "(330) 555-0166"))),
    ("Fax: (330) 555-0167", Some(("fax", "(330) 555-0167"))),
    ("Cell: 330.555.0168", Some(("phone", "330.555.0168"))),
    ("UK contact: +44 20 7946 0341", Some(("phone", "+44 20 7946 0341"))),
    ("Pager: 4-6621", Some(("phone", "4-6621"))),
    ("Email: w.oakridge@mail.example.org", Some(("email", "w.oakridge@mail.example.org"))),
    ("Street: 4417 Larchmont Avenue, Apt 3C", Some(("address", "4417 Larchmont Avenue, Apt 3C"))),
    ("City/State/ZIP: Quillbrook, OH 44693-2208", Some(("zip", "44693-2208"))),
    ("Mailing ZIP: 44701-3315", Some(("zip", "44701-3315"))),
    ("Tracking no: 1Z999AA10123456784", None),
    ("Card: 5500 0000 0000 0004", Some(("account", "5500 0000 0000 0004"))),
    ("Pump serial: MX-4471B882", Some(("device", "MX-4471B882"))),
    ("Account #: 00448812734", Some(("account", "00448812734"))),
    ("Routing #: 011000015", Some(("account", "011000015"))),
    ("Member ID: QHX5530127", Some(("health-plan", "QHX5530127"))),
    ("Group #: 00812-C", Some(("health-plan", "00812-C"))),
    ("Medicare MBI: 1EG4-TE5-MK73", Some(("health-plan", "1EG4-TE5-MK73"))),
    ("Driver's license: D4821-5530-9127", Some(("license", "D4821-5530-9127"))),
    ("License plate: 8KLM402", Some(("vehicle", "8KLM402"))),
    ("VIN: 1HGCM82633A004352", Some(("vehicle", "1HGCM82633A004352"))),
    ("Device S/N: 7B22-X91Q4", Some(("device", "7B22-X91Q4"))),
    ("Portal IP: 198.51.100.77", Some(("ip", "198.51.100.77"))),
    ("Portal IPv6: 2001:db8:4::77", Some(("ip", "2001:db8:4::77"))),
    ("Web: https://portal.example.org/p/77", Some(("url", "https://portal.example.org/p/77"))),
    ("PCP NPI: 1245319599", Some(("other-id", "1245319599"))),
    ("PCP DEA: BJ6125341", Some(("license", "BJ6125341"))),
    ("Medical license #: G48213", Some(("license", "G48213"))),
    ("Admitted: 2024-03-14T09:30:00-05:00", Some(("date", "2024-03-14T09:30:00-05:00"))),
    ("Last visit: 3/9", Some(("date", "3/9"))),
    ("Next appt: tues 4/16", Some(("date", "4/16"))),
    ("Invoice: 4411-2290", None),
    ("Signed: O.B. 04/01/2024", Some(("date", "04/01/2024"))),
];

#[test]
fn dense_intake_form_finds_every_planted_value_with_its_category() {
    assert_eq!(INTAKE.len(), 40);
    let form: String = INTAKE.iter().map(|(line, _)| format!("{line}\n")).collect();
    let env = TestEnv::new();
    env.write("intake.txt", &form);
    let r = env.run(&["scan", "--format", "json", "--show-values", "intake.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    let findings = doc["findings"].as_array().expect("findings");
    let mut missing = Vec::new();
    for (line, planted) in INTAKE {
        let Some((category, value)) = planted else { continue };
        let start = form.find(line).unwrap() + line.find(value).unwrap();
        let hit = findings.iter().any(|f| {
            f["category"] == *category && f["start"] == start && f["end"] == start + value.len() && f["value"] == *value
        });
        if !hit {
            let near: Vec<String> = findings
                .iter()
                .filter(|f| f["start"].as_u64().is_some_and(|s| (s as usize) < start + value.len()))
                .filter(|f| f["end"].as_u64().is_some_and(|e| (e as usize) > start))
                .map(|f| format!("{} {} {}", f["category"], f["rule"], f["value"]))
                .collect();
            missing.push(format!("{line:?}: want {category} {value:?}, found {near:?}"));
        }
    }
    let planted = INTAKE.iter().filter(|(_, p)| p.is_some()).count();
    eprintln!("dense intake form: {}/{} planted values found with their category", planted - missing.len(), planted);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // The same values, each alone on a line, are found the same way: the form changes nothing.
    for (line, planted) in INTAKE {
        if let Some((category, value)) = planted {
            assert!(check(line, Found(category, value)).is_none(), "alone: {line:?}");
        }
    }
}
