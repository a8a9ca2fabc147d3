//! Redaction of synthetic drafts and exports in every mode.

use super::*;
use crate::engine::Engine;
use std::sync::OnceLock;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| Scanner::with_defaults(Engine::new(crate::rules::builtin::rules().unwrap()).unwrap()))
}

fn opts(mode: Mode, seed: Option<u64>) -> Options {
    Options { mode, min_severity: Severity::Medium, seed }
}

/// Invented people and values: nobody's data.
const DRAFT: &str = "Spring update from the ward.\n\n\
    We are proud of Orrin Vantongeren, 52, who beat leukemia this year (MRN 48215537).\n\
    Mr. Vantongeren can be reached at (330) 555-0131; his SSN 536-22-8727 is on file.\n\
    Thanks to Dr. Imelda Castellanos-Pryce for her care.\n";

/// Findings a fresh scan of `bytes` as `name` reports at or above medium, staff aside.
fn left(name: &str, bytes: &[u8]) -> Vec<String> {
    scanner()
        .scan_named(name, bytes.to_vec())
        .into_iter()
        .flat_map(|(_, r)| r.unwrap().0.findings)
        .filter(|f| f.severity >= Severity::Medium && !f.staff)
        .map(|f| format!("{} {}", f.category, f.masked))
        .collect()
}

#[test]
fn every_mode_leaves_nothing_at_or_above_the_threshold() {
    assert!(!left("post.md", DRAFT.as_bytes()).is_empty(), "the draft has findings to start with");
    for mode in [Mode::Mask, Mode::Tag, Mode::Remove] {
        let r = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(mode, None)).unwrap();
        let out = String::from_utf8(r.output.clone()).unwrap();
        let survivors: Vec<String> = left("post.md", out.as_bytes())
            .into_iter()
            // A mask is what every report shows; it names no one.
            .filter(|f| mode != Mode::Mask || !f.contains('*'))
            .collect();
        assert!(survivors.is_empty(), "{mode:?}: {survivors:?}\n{out}");
        // (555-01xx phones are fiction by definition: the scanner leaves them alone.)
        for planted in ["Orrin", "Vantongeren", "48215537", "536-22-8727"] {
            assert!(!out.contains(planted), "{mode:?} kept {planted}:\n{out}");
        }
        assert!(out.contains("Dr. Imelda Castellanos-Pryce"), "{mode:?}: staff names stay:\n{out}");
        assert!(r.replaced[&Category::Name] >= 2, "{mode:?}: {:?}", r.replaced);
    }
}

#[test]
fn modes_write_what_they_say() {
    let tag = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let t = String::from_utf8(tag.output).unwrap();
    assert!(t.contains("proud of [NAME], 52") && t.contains("[SSN]") && t.contains("[DIAGNOSIS]"), "{t}");
    let mask = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Mask, None)).unwrap();
    let m = String::from_utf8(mask.output).unwrap();
    assert!(m.contains("O**** V**********") && m.contains("***-**-8727"), "{m}");
    let remove = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Remove, None)).unwrap();
    let r = String::from_utf8(remove.output).unwrap();
    assert!(!r.contains("  ") && !r.contains("()") && !r.contains("( )") && !r.contains(" ,"), "{r}");
    assert!(!r.contains("Mr. can"), "the title goes with the name: {r}");
}

#[test]
fn surrogates_are_consistent_and_seeded() {
    let a = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, Some(9))).unwrap();
    let b = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, Some(9))).unwrap();
    assert_eq!(a.output, b.output, "--seed decides");
    let out = String::from_utf8(a.output).unwrap();
    assert!(!out.contains("Vantongeren") && !out.contains("536-22-8727"), "{out}");
    // The full name's surname is the one "Mr. X" gets.
    let line = out.lines().find(|l| l.starts_with("We are proud of")).unwrap();
    let full: Vec<&str> = line["We are proud of ".len()..].split(',').next().unwrap().split(' ').collect();
    assert_eq!(full.len(), 2, "{line}");
    assert!(out.contains(&format!("Mr. {} can", full[1])), "{out}");
    assert!(out.contains("SSN 9"), "{out}");
    let differ = (0..6).any(|_| {
        redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, None)).unwrap().output != b.output
    });
    assert!(differ, "without a seed, documents get different stand-ins");
}

#[test]
fn csv_keeps_rows_columns_and_quoting() {
    let csv = "patient_name,mrn,dob,notes\n\
        \"Vantongeren, Orrin\",MRN 48215537,03/14/1971,\"said \"\"thanks\"\", discharged\"\n\
        Ysolde Marchbank,MRN 48215611,11/02/1988,follow-up\n";
    for mode in Mode::ALL {
        let r = redact(scanner(), "export.csv", csv.as_bytes(), &opts(mode, Some(1))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_bytes())
            .records()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(rows.len(), 3, "{mode:?}:\n{out}");
        assert!(rows.iter().all(|r| r.len() == 4), "{mode:?}:\n{out}");
        assert!(rows[1][3].starts_with("said \"thanks\", "), "{mode:?}: {}", &rows[1][3]);
        assert!(out.starts_with("patient_name,mrn,dob,notes\n\""), "{mode:?}: quoting kept:\n{out}");
        for planted in ["Vantongeren", "Ysolde", "48215537", "03/14/1971"] {
            assert!(!out.contains(planted), "{mode:?} kept {planted}:\n{out}");
        }
    }
}

#[test]
fn json_stays_valid_with_the_same_keys() {
    let json = r#"{"patients": [{"name": "Ysolde Marchbank", "mrn": 48215611, "ssn": "536-22-8727",
        "note": "Ysolde says \"hi\" \u00e9", "active": true}]}"#;
    let before: serde_json::Value = serde_json::from_str(json).unwrap();
    for mode in Mode::ALL {
        let r = redact(scanner(), "export.json", json.as_bytes(), &opts(mode, Some(4))).unwrap();
        let after: serde_json::Value = serde_json::from_slice(&r.output).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        let p = &after["patients"][0];
        let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
        assert_eq!(keys, before["patients"][0].as_object().unwrap().keys().collect::<Vec<_>>());
        assert!(p["name"].is_string() && p["ssn"].is_string() && p["active"] == true, "{mode:?}: {p}");
        assert!(!String::from_utf8_lossy(&r.output).contains("Marchbank"), "{mode:?}");
        if mode == Mode::Surrogate {
            assert!(p["mrn"].is_number(), "a number stays a number: {p}");
        }
    }
}

#[test]
fn html_markup_and_links_survive() {
    let html =
        "<p>Our patient <b>Ysolde Marchbank</b> and family thank the ward &amp; staff after her leukemia treatment. \
        Her SSN <a href=\"/id?ssn=536-22-8727\">536-22-8727</a> was on the form.</p>\n";
    let r = redact(scanner(), "post.html", html.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let out = String::from_utf8(r.output).unwrap();
    assert!(out.contains("<b>[NAME]</b> and family thank the ward &amp; staff"), "{out}");
    assert!(out.contains("her [DIAGNOSIS] treatment"), "{out}");
    assert!(!out.contains("8727"), "the link's copy goes too: {out}");
    assert!(out.contains("<a href=\"/id?ssn=[SSN]\">[SSN]</a>"), "{out}");
}

#[test]
fn unsupported_formats_are_refused() {
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    let e = redact(scanner(), "letter.pdf", pdf, &Options::default()).unwrap_err();
    assert!(e.0.contains("does not write pdf") && e.0.contains("nothing written"), "{e}");
}

#[test]
fn inline_allows_are_kept() {
    let text =
        "Volunteer Ysolde Marchbank, (330) 555-0188 <!-- phiscan:allow -->\nPatient Orrin Vantongeren has leukemia.\n";
    let r = redact(scanner(), "post.md", text.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let out = String::from_utf8(r.output).unwrap();
    assert!(out.starts_with("Volunteer Ysolde Marchbank, (330) 555-0188"), "{out}");
    assert!(!out.contains("Vantongeren"), "{out}");
}

#[test]
fn a_clean_text_is_returned_unchanged() {
    let text = "Flu shots are free at the east entrance every Tuesday.\n";
    let (out, r) = redact_text(scanner(), text, &opts(Mode::Remove, None)).unwrap();
    assert_eq!(out, text);
    assert_eq!(r.total(), 0);
    assert_eq!(r.summary(), "nothing");
}

#[test]
fn jsonl_and_tsv_keep_their_lines_and_cells() {
    let jsonl = "{\"patient\": \"Ysolde Marchbank\", \"mrn\": 48215611}\n\
        {\"patient\": \"Orrin Vantongeren\", \"note\": \"Orrin\\u0027s SSN 536-22-8727\"}\n";
    let tsv = "name\tssn\tnote\nYsolde Marchbank\t536-22-8711\tcalled, twice\n";
    for mode in Mode::ALL {
        let r = redact(scanner(), "feed.jsonl", jsonl.as_bytes(), &opts(mode, Some(2))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        assert_eq!(out.lines().count(), 2, "{mode:?}: {out}");
        for line in out.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{mode:?}: {e}: {line}"));
            assert!(v["patient"].is_string(), "{mode:?}: {line}");
        }
        assert!(
            !out.contains("Marchbank") && !out.contains("Orrin") && !out.contains("536-22-8727"),
            "{mode:?}: {out}"
        );
        let r = redact(scanner(), "list.tsv", tsv.as_bytes(), &opts(mode, Some(2))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        assert!(out.lines().all(|l| l.split('\t').count() == 3), "{mode:?}: {out}");
        assert!(out.ends_with("\tcalled, twice\n") && !out.contains("Marchbank"), "{mode:?}: {out}");
    }
}

/// Invented values planted in the Office packages below: nobody's data.
const PLANTED: [&str; 7] = ["Quenby", "Harrowgate", "541-28-7719", "48213377", "Wendeline", "Ostrakova", "48299031"];

/// Builds a zip of `(name, contents)` members, deflated except a first `mimetype` (stored, as
/// OpenDocument requires).
fn package(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in members {
        let method =
            if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        w.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Returns every entry of a zip: name, decompressed bytes, and (CRC, compressed size).
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, (u32, u64))> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the output opens as a zip");
    (0..z.len())
        .map(|i| {
            let raw = {
                let f = z.by_index_raw(i).unwrap();
                (f.crc32(), f.compressed_size())
            };
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data, raw)
        })
        .collect()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Quenby Harrowgate, MRN 48213377</dc:title><dc:creator>Quenby Harrowgate</dc:creator></cp:coreProperties>"#;

/// A Word draft with the patient in every part a reviewer might not look at.
fn planted_docx() -> Vec<u8> {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>
<w:p><w:r><w:t xml:space="preserve">We are proud of Quenby Harr</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>owgate, 47, who beat leukemia this year.</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Her SSN 541-28-7719 is on file &amp; her chart is ready (MRN: 48213377).</w:t></w:r><w:commentReference w:id="0"/></w:p>
<w:p><w:r><w:t xml:space="preserve">Flu shots are free on Tuesdays.</w:t></w:r><w:del w:id="1" w:author="Editor"><w:r><w:delText xml:space="preserve"> Patient Wendeline Ostrakova has diabetes, MRN 48299031.</w:delText></w:r></w:del></w:p>
</w:body></w:document>"#
    );
    let comments = format!(
        r#"<w:comments {W}><w:comment w:id="0" w:author="Reviewer"><w:p><w:r><w:t>Check SSN 541-28-7719 against the chart of Quenby Harrowgate first.</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let header =
        format!(r#"<w:hdr {W}><w:p><w:r><w:t>Patient: Quenby Harrowgate (MRN 48213377)</w:t></w:r></w:p></w:hdr>"#);
    let footnotes = format!(
        r#"<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>Quenby Harrowgate gave consent; her SSN is 541-28-7719.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        ("_rels/.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#),
        ("word/document.xml", &body),
        ("word/styles.xml", &format!(r#"<w:styles {W}><w:style w:styleId="Normal"/></w:styles>"#)),
        ("word/comments.xml", &comments),
        ("word/header1.xml", &header),
        ("word/footnotes.xml", &footnotes),
        ("docProps/core.xml", CORE),
        ("docProps/app.xml", "<Properties><Manager>Quenby Harrowgate</Manager><Pages>1</Pages></Properties>"),
    ])
}

/// A workbook with the patient in shared strings, an inline string, a numeric MRN cell under
/// an "MRN" header, a cell comment and the properties.
fn planted_xlsx() -> Vec<u8> {
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><si><t>Patient</t></si><si><t>MRN</t></si><si><t>Diagnosis</t></si><si><t>Notes</t></si><si><r><t>Quenby </t></r><r><t>Harrowgate</t></r></si><si><t>leukemia</t></si></sst>"#;
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>48213377</v></c><c r="C2" t="s"><v>5</v></c><c r="D2" t="inlineStr"><is><t>Patient Wendeline Ostrakova, SSN 541-28-7719</t></is></c></row><row r="3"><c r="A3"><v>42</v></c></row></sheetData></worksheet>"#;
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ward" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/styles.xml", r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"#),
        ("xl/sharedStrings.xml", sst),
        ("xl/worksheets/sheet1.xml", sheet),
        (
            "xl/comments1.xml",
            r#"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><commentList><comment ref="A2"><text><r><t>Quenby Harrowgate asked for a copy</t></r></text></comment></commentList></comments>"#,
        ),
        ("docProps/core.xml", CORE),
    ])
}

/// Checks a redacted package against its input: it opens, every XML part is well-formed, the
/// entries and `[Content_Types].xml` are as they were, parts with nothing planted are
/// byte-identical, no planted value is left in any part, and (but for surrogates) a rescan
/// finds nothing at or above medium.
fn check_package(name: &str, input: &[u8], output: &[u8], mode: Mode, untouched: &[&str]) {
    let before = entries(input);
    let after = entries(output);
    let names = |v: &[(String, Vec<u8>, (u32, u64))]| v.iter().map(|e| e.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&after), "{mode:?}: the same entries in the same order");
    for ((n, a, raw_a), (_, b, raw_b)) in before.iter().zip(&after) {
        if n.ends_with(".xml") || n.ends_with(".rels") {
            assert!(package::well_formed(b), "{mode:?}: {n} is not well-formed:\n{}", String::from_utf8_lossy(b));
        }
        if n == "[Content_Types].xml" || untouched.contains(&n.as_str()) {
            assert_eq!(a, b, "{mode:?}: {n} unchanged");
            assert_eq!(raw_a, raw_b, "{mode:?}: {n} copied raw");
        }
        for planted in PLANTED {
            assert!(
                memchr::memmem::find(b, planted.as_bytes()).is_none(),
                "{mode:?}: {n} kept {planted}:\n{}",
                String::from_utf8_lossy(b)
            );
        }
    }
    if mode != Mode::Surrogate {
        let survivors: Vec<String> =
            left(name, output).into_iter().filter(|f| mode != Mode::Mask || !f.contains('*')).collect();
        assert!(survivors.is_empty(), "{mode:?}: {survivors:?}");
    }
}

fn part_text(bytes: &[u8], part: &str) -> String {
    let e = entries(bytes).into_iter().find(|e| e.0 == part).unwrap();
    String::from_utf8(e.1).unwrap()
}

#[test]
fn docx_every_part_is_redacted_in_every_mode() {
    let input = planted_docx();
    assert!(!left("story.docx", &input).is_empty(), "the draft has findings to start with");
    for mode in Mode::ALL {
        let r =
            redact(scanner(), "story.docx", &input, &opts(mode, Some(3))).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        assert_eq!(r.kind, Kind::Docx);
        check_package("story.docx", &input, &r.output, mode, &["_rels/.rels", "word/styles.xml"]);
        let body = part_text(&r.output, "word/document.xml");
        assert!(body.contains("&amp; her chart"), "{mode:?}: escapes kept: {body}");
        assert!(body.contains("Flu shots are free on Tuesdays."), "{mode:?}: {body}");
        if mode == Mode::Tag {
            // The name spanned two runs: the tag is in the first, the second run keeps its
            // formatting and the rest of its text.
            assert!(
                body.contains(r#"proud of [NAME]</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>, 47"#),
                "runs split: {body}"
            );
            assert!(body.contains("[SSN]") && body.contains("<w:delText"), "{body}");
        }
        if mode == Mode::Remove {
            assert!(!body.contains("(MRN") && !body.contains("()"), "label-only brackets go: {body}");
            let header = part_text(&r.output, "word/header1.xml");
            assert!(!header.contains('(') && header.contains("<w:t>Patient:"), "{header}");
        }
    }
}

#[test]
fn xlsx_shared_inline_and_numeric_cells_are_redacted_in_every_mode() {
    let input = planted_xlsx();
    assert!(!left("ward.xlsx", &input).is_empty(), "the workbook has findings to start with");
    for mode in Mode::ALL {
        let r =
            redact(scanner(), "ward.xlsx", &input, &opts(mode, Some(5))).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        check_package(
            "ward.xlsx",
            &input,
            &r.output,
            mode,
            &["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"],
        );
        let sheet = part_text(&r.output, "xl/worksheets/sheet1.xml");
        // The header row and the unrelated number stay; the MRN cell keeps its place and style.
        assert!(sheet.contains(r#"<c r="B1" t="s"><v>1</v></c>"#), "{mode:?}: {sheet}");
        assert!(sheet.contains(r#"<c r="A3"><v>42</v></c>"#), "{mode:?}: {sheet}");
        let cell = &sheet[sheet.find(r#"<c r="B2""#).unwrap()..];
        let cell = &cell[..cell.find("</c>").unwrap()];
        match mode {
            Mode::Remove => assert_eq!(cell, r#"<c r="B2" s="1">"#, "the value goes"),
            Mode::Tag => assert!(cell.contains(r#"t="inlineStr""#) && cell.contains("[MRN]"), "{cell}"),
            Mode::Mask => assert!(cell.contains(r#"t="inlineStr""#) && cell.contains('*'), "{cell}"),
            Mode::Surrogate => {
                // A number stays a number when the stand-in is one; else it is a string cell.
                let v = cell.split("<v>").nth(1).map(|v| v.trim_end_matches("</v>"));
                assert!(v.is_some_and(|v| v.parse::<f64>().is_ok()) || cell.contains(r#"t="inlineStr""#), "{cell}");
            }
        }
    }
}

#[test]
fn pptx_and_odt_are_redacted_too() {
    let pptx = package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("ppt/presentation.xml", "<p:presentation xmlns:p=\"p\"/>"),
        (
            "ppt/slides/slide1.xml",
            r#"<p:sld xmlns:p="p" xmlns:a="a"><p:txBody><a:p><a:r><a:t>Quenby Harrowgate beat </a:t></a:r><a:r><a:t>leukemia, SSN 541-28-7719</a:t></a:r></a:p></p:txBody></p:sld>"#,
        ),
        (
            "ppt/notesSlides/notesSlide1.xml",
            r#"<p:notes xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>Ask Quenby Harrowgate about MRN 48213377.</a:t></a:r></a:p></p:notes>"#,
        ),
        ("docProps/core.xml", CORE),
    ]);
    let odt = package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", "<manifest:manifest xmlns:manifest=\"m\"/>"),
        (
            "content.xml",
            r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:p>We are proud of Quenby <text:span>Harrowgate</text:span>, 47, who beat leukemia.<text:s/>SSN 541-28-7719.</text:p></office:text></office:body></office:document-content>"#,
        ),
        (
            "meta.xml",
            r#"<office:document-meta xmlns:office="o" xmlns:dc="d"><office:meta><dc:title>Quenby Harrowgate</dc:title></office:meta></office:document-meta>"#,
        ),
    ]);
    for mode in Mode::ALL {
        let r = redact(scanner(), "deck.pptx", &pptx, &opts(mode, Some(6))).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        check_package("deck.pptx", &pptx, &r.output, mode, &["ppt/presentation.xml"]);
        let r = redact(scanner(), "story.odt", &odt, &opts(mode, Some(6))).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        check_package("story.odt", &odt, &r.output, mode, &["mimetype", "META-INF/manifest.xml"]);
        if mode == Mode::Tag {
            let content = part_text(&r.output, "content.xml");
            assert!(content.contains("proud of [NAME]<text:span></text:span>, 47"), "{content}");
        }
    }
}

#[test]
fn an_opendocument_spreadsheet_is_refused() {
    let ods = package(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "content.xml",
            r#"<office:document-content xmlns:office="o" xmlns:text="t"><text:p>Quenby Harrowgate</text:p></office:document-content>"#,
        ),
    ]);
    let e = redact(scanner(), "ward.ods", &ods, &Options::default()).unwrap_err();
    assert!(e.0.contains("spreadsheets") && e.0.contains("nothing written"), "{e}");
    assert!(!e.0.contains("Quenby"), "no value in a message: {e}");
}

#[test]
fn xml_places_are_told_apart() {
    let x = br#"<c r="B2" t="n"><v>12</v></c><w:t a="Quen by">x</w:t><!-- note -->"#;
    let at = |s: &str| memchr::memmem::find(x, s.as_bytes()).unwrap();
    assert_eq!(splice::xml_context(x, at("12")), splice::XmlContext::Text);
    assert_eq!(splice::xml_context(x, at("Quen")), splice::XmlContext::Attribute { typed: false });
    assert_eq!(splice::xml_context(x, at("B2")), splice::XmlContext::Attribute { typed: true });
    assert_eq!(splice::xml_context(x, at("note")), splice::XmlContext::Markup);
    assert_eq!(splice::xml_context(x, at("w:t")), splice::XmlContext::Markup);
}

#[test]
fn a_formula_cell_with_a_finding_is_refused() {
    let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Patient</t></is></c><c r="B1" t="inlineStr"><is><t>MRN</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Quenby Harrowgate</t></is></c><c r="B2"><f>C2+0</f><v>48213377</v></c></row></sheetData></worksheet>"#;
    let xlsx = package(&[
        ("[Content_Types].xml", "<Types/>"),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns:r="r"><sheets><sheet name="Ward" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ]);
    for mode in [Mode::Mask, Mode::Tag] {
        let e = redact(scanner(), "ward.xlsx", &xlsx, &opts(mode, Some(1))).unwrap_err();
        assert!(e.0.contains("formula") && e.0.contains("nothing written"), "{mode:?}: {e}");
        assert!(!e.0.contains("48213377") && !e.0.contains("Quenby"), "no value in a message: {e}");
    }
}

#[test]
fn markup_between_runs_is_kept_and_their_text_dropped() {
    let range = br#"Quen</w:t></w:r><w:r><wp:posOffset>914</wp:posOffset><w:t>by"#;
    assert_eq!(
        String::from_utf8(splice::markup_in(range)).unwrap(),
        "</w:t></w:r><w:r><wp:posOffset>914</wp:posOffset><w:t>"
    );
}
