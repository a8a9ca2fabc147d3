//! Throughput per stage (decode, extract, engine, score) and end to end, in bytes per second.
//!
//! Run with `cargo bench --bench throughput`. Inputs are generated in-process from a fixed seed
//! (about 1 MB of comms prose, clinical notes and CSV rows with synthetic identifiers planted),
//! so the numbers are comparable between runs and machines. The whole-binary comparison with
//! ripgrep on a 100 MB corpus is `scripts/bench-compare.sh`.
#![allow(missing_docs)]

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use phiscan::engine::Engine;
use phiscan::scan::Scanner;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so the corpus needs no crate and no file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PROSE: &[&str] = &[
    "Our volunteers served lunch at the community center and the choir sang for residents.",
    "November is Diabetes Awareness Month; ask your provider about an A1C test.",
    "The new parking garage opens next week, and visitors can use the north entrance.",
    "Join us on the lawn for our annual health fair with free blood pressure checks.",
    "Pt is a 67 yo M admitted with CHF exacerbation, started on furosemide, stable overnight.",
    "Thank you to everyone who donated to the spring blood drive at the main campus.",
];
const NAMES: &[&str] = &["Marisela Oudekamp", "Tobin Quill", "Rhonda Vale", "Hope Marsh", "Liam O'Neil"];
const FACTS: &[&str] = &["breast cancer", "a stroke", "type 2 diabetes", "COPD", "leukemia"];

/// Returns about 1 MB of mixed text with identifiers and health facts planted.
fn corpus() -> &'static [u8] {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut rng = Rng(0x5EED_0042);
        let mut out = String::with_capacity(1 << 20);
        while out.len() < 1 << 20 {
            match rng.next() % 10 {
                0 => out.push_str(&format!(
                    "{}, {}, was treated for {}. MRN: {}. Call (330) 555-01{:02}.\n",
                    rng.pick(NAMES),
                    30 + rng.next() % 60,
                    rng.pick(FACTS),
                    4_000_000 + rng.next() % 999_999,
                    rng.next() % 100
                )),
                1 => out.push_str(&format!(
                    "DOB: {:02}/{:02}/19{:02} SSN 536-22-{:04}\n",
                    1 + rng.next() % 12,
                    1 + rng.next() % 28,
                    40 + rng.next() % 50,
                    1000 + rng.next() % 8999
                )),
                _ => {
                    out.push_str(rng.pick(PROSE));
                    out.push(if rng.next() % 4 == 0 { '\n' } else { ' ' });
                }
            }
        }
        out.into_bytes()
    })
}

/// Returns about 1 MB of CSV export rows.
fn csv() -> &'static [u8] {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut rng = Rng(0xC5F0_0042);
        let mut out = String::from("patient_name,mrn,dob,phone,diagnosis\n");
        while out.len() < 1 << 20 {
            out.push_str(&format!(
                "{},{},{:02}/{:02}/19{:02},330-555-01{:02},{}\n",
                rng.pick(NAMES),
                4_000_000 + rng.next() % 999_999,
                1 + rng.next() % 12,
                1 + rng.next() % 28,
                40 + rng.next() % 50,
                rng.next() % 100,
                rng.pick(FACTS)
            ));
        }
        out.into_bytes()
    })
}

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let engine = Engine::new(phiscan::rules::builtin::rules().expect("built-in rules")).expect("engine");
        phiscan::engine::lexicon::Lexicon::get();
        Scanner::with_defaults(engine)
    })
}

#[divan::bench]
fn decode(bencher: Bencher) {
    let text = corpus();
    bencher.counter(BytesCount::new(text.len())).bench(|| phiscan::input::decode::decode(black_box(text.to_vec())));
}

#[divan::bench]
fn extract_csv(bencher: Bencher) {
    let text = csv();
    bencher.counter(BytesCount::new(text.len())).bench(|| phiscan::extract::table::extract_csv(black_box(text), None));
}

#[divan::bench]
fn engine_find(bencher: Bencher) {
    let (text, engine) = (corpus(), scanner().engine());
    bencher.counter(BytesCount::new(text.len())).bench(|| engine.find(black_box(text)));
}

#[divan::bench]
fn score(bencher: Bencher) {
    let (text, engine) = (corpus(), scanner().engine());
    let candidates = engine.find(text);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| phiscan::score::score(engine, text, black_box(candidates.clone()), phiscan::score::Floor::new(0.5)));
}

#[divan::bench]
fn end_to_end_text(bencher: Bencher) {
    let text = corpus();
    bencher.counter(BytesCount::new(text.len())).bench(|| scanner().scan_text("bench.txt", black_box(text)));
}

#[divan::bench]
fn end_to_end_csv(bencher: Bencher) {
    let text = csv();
    let scanner = scanner();
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let doc = phiscan::extract::table::extract_csv(black_box(text), None);
        scanner.scan_document("bench.csv", &doc)
    });
}

#[divan::bench]
fn lexicon_lookup(bencher: Bencher) {
    let lex = phiscan::engine::lexicon::Lexicon::get();
    let words: Vec<&[u8]> =
        ["delphine", "the", "diabetes", "hope", "acute lymphoblastic", "zzz"].iter().map(|w| w.as_bytes()).collect();
    bencher.bench(|| words.iter().map(|w| lex.flags(black_box(w))).fold(0, |a, f| a | f));
}
