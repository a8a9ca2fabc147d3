//! Real inputs: HTML, CSV/TSV, JSON/JSONL (FHIR), DOCX, PPTX, XLSX, ODT, e-mail, PDF and zip,
//! built in code with synthetic identifiers, and hostile variants of each.

use crate::util::TestEnv;
use serde_json::Value;
use std::io::Write;

const SSN: &str = "536-22-8727";

/// Builds a zip archive of `(name, contents)` members, deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut members: Vec<(&str, &[u8])> =
        vec![("[Content_Types].xml", b"<Types/>"), ("word/document.xml", doc.as_bytes())];
    members.extend_from_slice(extra);
    zip(&members)
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// Builds an XLSX workbook with one sheet of shared-string cells.
fn xlsx(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut strings: Vec<String> = Vec::new();
    let mut sheet_xml = String::from("<worksheet><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet_xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let col = (b'A' + c as u8) as char;
            if v.chars().all(|ch| ch.is_ascii_digit()) && !v.is_empty() {
                sheet_xml.push_str(&format!("<c r=\"{col}{}\"><v>{v}</v></c>", r + 1));
            } else {
                strings.push(v.to_string());
                sheet_xml.push_str(&format!("<c r=\"{col}{}\" t=\"s\"><v>{}</v></c>", r + 1, strings.len() - 1));
            }
        }
        sheet_xml.push_str("</row>");
    }
    sheet_xml.push_str("</sheetData></worksheet>");
    let sst: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    let workbook = format!(
        r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let rels =
        r#"<Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    zip(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/sharedStrings.xml", format!("<sst>{sst}</sst>").as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes()),
    ])
}

/// Builds a one-page PDF whose text layer shows `lines` in Helvetica.
fn pdf(lines: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
    for l in lines {
        content.push_str(&format!("({l}) Tj T*\n"));
    }
    content.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                s.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn scan(env: &TestEnv, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let r = env.run(&all);
    assert!(!r.stderr.contains("internal error"), "panic: {}", r.stderr);
    (r.code, r.json(), r.stderr)
}

/// Returns the findings of `doc` at `path` (and `location`, when given).
fn findings<'a>(doc: &'a Value, path: &str) -> Vec<&'a Value> {
    doc["findings"].as_array().unwrap().iter().filter(|f| f["path"] == path).collect()
}

fn at<'a>(doc: &'a Value, path: &str, location: &str) -> &'a Value {
    findings(doc, path)
        .into_iter()
        .find(|f| f["location"] == location)
        .unwrap_or_else(|| panic!("no finding at {path}:{location} in {:#}", doc["findings"]))
}

/// Returns the categories of every finding at one location.
fn categories(doc: &Value, path: &str, location: &str) -> Vec<String> {
    findings(doc, path)
        .into_iter()
        .filter(|f| f["location"] == location)
        .map(|f| f["category"].as_str().unwrap().to_string())
        .collect()
}

fn verdict(doc: &Value, path: &str) -> String {
    let f = doc["files"].as_array().unwrap().iter().find(|f| f["path"] == path);
    f.unwrap_or_else(|| panic!("no file {path} in {:#}", doc["files"]))["verdict"].as_str().unwrap().to_string()
}

fn skipped_reason(doc: &Value, path: &str) -> String {
    let s = doc["summary"]["skipped"].as_array().unwrap().iter().find(|s| s["path"] == path);
    s.unwrap_or_else(|| panic!("{path} not skipped: {:#}", doc["summary"]))["reason"].as_str().unwrap().to_string()
}

fn error_message(doc: &Value, path: &str) -> String {
    let e = doc["summary"]["errors"].as_array().unwrap().iter().find(|e| e["path"] == path);
    e.unwrap_or_else(|| panic!("no error for {path}: {:#}", doc["summary"]))["message"].as_str().unwrap().to_string()
}

const PATIENTS_CSV: &str = "patient_name,mrn,dob,diagnosis,phone\n\
    Hope,4071938,03/14/1987,Type 2 diabetes,330-555-0119\n\
    Faith Wexbury,5523101,1990-02-01,,\n";

#[test]
fn csv_columns_classify_cells_and_rows_link_breaches() {
    let env = TestEnv::new();
    env.write("patients.csv", PATIENTS_CSV);
    let (code, doc, _) = scan(&env, &["patients.csv"]);
    assert_eq!(code, 1);
    let hope = at(&doc, "patients.csv", "row 2:patient_name");
    assert_eq!(hope["category"], "name");
    // The name detector or the column's own rule: "Hope" is a name because of its column.
    assert!(hope["rule"] == "field-name" || hope["rule"] == "person-name", "{hope}");
    assert_eq!(hope["masked"], "H***");
    assert_eq!(at(&doc, "patients.csv", "row 2:mrn")["category"], "mrn");
    assert_eq!(at(&doc, "patients.csv", "row 2:dob")["severity"], "high");
    assert_eq!(at(&doc, "patients.csv", "row 2:diagnosis")["category"], "diagnosis");
    assert_eq!(at(&doc, "patients.csv", "row 2:phone")["category"], "phone");
    assert_eq!(at(&doc, "patients.csv", "row 3:patient_name")["category"], "name");
    assert_eq!(verdict(&doc, "patients.csv"), "breach");
    let breaches = doc["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 1, "only row 2 has a health fact: {breaches:#?}");
    assert_eq!(breaches[0]["unit"], "row");
    assert_eq!(breaches[0]["location"], "row 2");
    assert!(!doc.to_string().contains("4071938"), "raw value leaked");

    let text = env.run(&["scan", "--compact", "patients.csv"]);
    assert!(text.stdout.contains("patients.csv:row 2:mrn  high"), "{}", text.stdout);
    assert!(text.stdout.contains("patients.csv:row 2  BREACH"), "{}", text.stdout);
}

#[test]
fn csv_delimiters_bom_and_multiline_cells() {
    let env = TestEnv::new();
    env.write("semi.csv", "\u{feff}Patient;Notes;MRN\n\"Marisela Oudekamp\";\"first line\nsecond line\";4071938\n");
    env.write("pipe.csv", "patient|dx\nHope|asthma\n");
    env.write("export.txt", "patient\tdiagnosis\nHope\tasthma\n");
    let (_, doc, _) = scan(&env, &["semi.csv", "pipe.csv"]);
    assert_eq!(at(&doc, "semi.csv", "row 2:Patient")["category"], "name");
    assert_eq!(at(&doc, "semi.csv", "row 2:MRN")["category"], "mrn");
    assert_eq!(verdict(&doc, "pipe.csv"), "breach");
    // A .txt file is text unless --type says otherwise: no row locations.
    let (_, plain, _) = scan(&env, &["export.txt"]);
    assert!(findings(&plain, "export.txt").iter().all(|f| f.get("location").is_none()), "{plain:#}");
    let (_, tsv, _) = scan(&env, &["--type", "tsv", "export.txt"]);
    assert_eq!(at(&tsv, "export.txt", "row 2:diagnosis")["category"], "diagnosis");
    assert_eq!(verdict(&tsv, "export.txt"), "breach");
}

#[test]
fn ragged_csv_rows_are_scanned_and_noted() {
    let env = TestEnv::new();
    env.write("ragged.csv", format!("mrn,diagnosis\n4071938,asthma,{SSN}\n5523101\n"));
    let (code, doc, stderr) = scan(&env, &["ragged.csv"]);
    assert_eq!(code, 1, "a ragged file is scanned, not an error");
    assert_eq!(at(&doc, "ragged.csv", "row 2:column 3")["category"], "ssn");
    let notes = doc["files"][0]["notes"].as_array().unwrap();
    assert!(notes[0].as_str().unwrap().contains("2 rows have a different number of fields"), "{notes:?}");
    assert!(stderr.contains("note: ragged.csv: 2 rows"), "{stderr}");
    assert!(!stderr.contains(SSN));
}

#[test]
fn stdin_takes_a_type() {
    let env = TestEnv::new();
    let r = env.run_stdin(
        &["scan", "-", "--type", "csv", "--stdin-name", "export", "--format", "json"],
        b"patient_name,diagnosis\nHope,asthma\n",
    );
    let doc = r.json();
    assert_eq!(at(&doc, "export", "row 2:patient_name")["category"], "name");
    assert_eq!(verdict(&doc, "export"), "breach");
}

#[test]
fn html_visible_text_attributes_and_meta() {
    let env = TestEnv::new();
    env.write(
        "story.html",
        format!(
            "<!DOCTYPE html>\n<html><head><meta name=\"description\" content=\"MRN:&nbsp;40719385\">\n\
             <script>var ssn = \"{SSN}\";</script><style>.x{{}}</style></head>\n<body>\n\
             <p>Call <b>(330)</b> 555-0119 today</p>\n<img src=\"a.png\" alt=\"SSN {SSN}\">\n</body></html>\n"
        ),
    );
    let (_, doc, _) = scan(&env, &["story.html"]);
    let cats: Vec<(&str, &str)> = findings(&doc, "story.html")
        .iter()
        .map(|f| (f["category"].as_str().unwrap(), f["location"].as_str().unwrap()))
        .collect();
    assert!(cats.contains(&("mrn", "line 2 (content)")), "{cats:?}");
    assert!(cats.contains(&("phone", "line 5")), "{cats:?}");
    assert!(cats.contains(&("ssn", "line 6 (alt)")), "{cats:?}");
    assert_eq!(cats.iter().filter(|c| c.0 == "ssn").count(), 1, "script text is not visible: {cats:?}");
}

#[test]
fn json_key_paths_fhir_bundles_and_json_lines() {
    let env = TestEnv::new();
    env.write(
        "bundle.json",
        r#"{"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
            "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "40719385"}],
            "name": [{"family": "Achterberg", "given": ["Delphine"]}], "birthDate": "1987-03-14",
            "address": [{"line": ["12 Old Mill Lane"], "city": "Wexbury", "postalCode": "44691"}]}},
          {"resource": {"resourceType": "Observation", "status": "final", "valueQuantity": {"value": 7.2}}},
          {"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006", "display": "Type 2 diabetes"}]}}}
        ]}"#,
    );
    env.write(
        "visits.jsonl",
        "{\"patient\": {\"mrn\": \"4071938\"}, \"note\": \"routine\"}\n{\"mrn\": \"5523101\", \"dx\": \"asthma\"}\n",
    );
    let (_, doc, _) = scan(&env, &["bundle.json", "visits.jsonl"]);
    let mrn = at(&doc, "bundle.json", "$.entry[0].resource.identifier[0].value");
    assert_eq!(mrn["category"], "mrn");
    assert_eq!(at(&doc, "bundle.json", "$.entry[0].resource.name[0].family")["category"], "name");
    assert_eq!(at(&doc, "bundle.json", "$.entry[0].resource.birthDate")["severity"], "high");
    assert_eq!(at(&doc, "bundle.json", "$.entry[0].resource.address[0].city")["category"], "location");
    let dx = at(&doc, "bundle.json", "$.entry[2].resource.code.coding[0].display");
    assert_eq!(dx["category"], "diagnosis");
    assert_eq!(verdict(&doc, "bundle.json"), "breach");
    let b = doc["breaches"].as_array().unwrap().iter().find(|b| b["path"] == "bundle.json").unwrap();
    assert_eq!(b["location"], "$.entry[0]", "the Condition links to its Patient");

    assert_eq!(at(&doc, "visits.jsonl", "line 1:$.patient.mrn")["category"], "mrn");
    assert_eq!(at(&doc, "visits.jsonl", "line 2:$.dx")["category"], "diagnosis");
    let lines: Vec<&Value> =
        doc["breaches"].as_array().unwrap().iter().filter(|b| b["path"] == "visits.jsonl").collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["location"], "line 2");
}

#[test]
fn hostile_json_is_a_clean_per_file_error() {
    let env = TestEnv::new();
    env.write("deep.json", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
    env.write("broken.json", "{\"mrn\": \"4071938\", ");
    env.write("ok.csv", "mrn\n4071938\n");
    let (code, doc, stderr) = scan(&env, &["deep.json", "broken.json", "ok.csv"]);
    assert_eq!(code, 2);
    assert!(error_message(&doc, "deep.json").contains("nested deeper than 128 levels"));
    assert!(error_message(&doc, "broken.json").contains("truncated JSON"));
    assert!(!stderr.contains("4071938"));
    assert_eq!(at(&doc, "ok.csv", "row 2:mrn")["category"], "mrn", "the run goes on");
}

#[test]
fn docx_paragraphs_tracked_changes_comments_headers_and_notes() {
    let env = TestEnv::new();
    let body = format!(
        "{}<w:p><w:r><w:t>Kept text.</w:t></w:r><w:del><w:r><w:delText>SSN {SSN}</w:delText></w:r></w:del>\
         <w:ins><w:r><w:t> Call (330) 555-0119.</w:t></w:r></w:ins></w:p>\
         <w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        para("Story draft"),
        para("Name"),
        para("MRN: 40719385")
    );
    let comments = format!("<w:comments><w:comment w:id=\"0\">{}</w:comment></w:comments>", para("DOB: 03/14/1987"));
    let header = format!("<w:hdr>{}</w:hdr>", para("Fax: (330) 555-0142"));
    let footnotes =
        format!("<w:footnotes><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>", para("Acct #: 00448812734"));
    let core = "<cp:coreProperties><dc:title>Member ID: XJH4482019</dc:title></cp:coreProperties>";
    env.write(
        "draft.docx",
        docx(
            &body,
            &[
                ("word/comments.xml", comments.as_bytes()),
                ("word/header1.xml", header.as_bytes()),
                ("word/footnotes.xml", footnotes.as_bytes()),
                ("docProps/core.xml", core.as_bytes()),
            ],
        ),
    );
    let (_, doc, _) = scan(&env, &["draft.docx"]);
    assert_eq!(at(&doc, "draft.docx", "paragraph 2 (tracked deletion)")["category"], "ssn");
    assert_eq!(at(&doc, "draft.docx", "paragraph 2")["category"], "phone");
    assert_eq!(at(&doc, "draft.docx", "table 1 row 1 cell 2")["category"], "mrn");
    assert_eq!(at(&doc, "draft.docx", "comment 1")["category"], "date");
    assert_eq!(at(&doc, "draft.docx", "header")["category"], "fax");
    assert_eq!(at(&doc, "draft.docx", "footnote 1")["category"], "account");
    assert_eq!(at(&doc, "draft.docx", "properties")["category"], "health-plan");
}

#[test]
fn xlsx_cells_sheets_and_rows() {
    let env = TestEnv::new();
    env.write(
        "list.xlsx",
        xlsx(
            "Patients",
            &[&["patient_name", "MRN", "Diagnosis"], &["Hope", "4071938", "asthma"], &["Faith", "5523101", ""]],
        ),
    );
    let (_, doc, _) = scan(&env, &["list.xlsx"]);
    assert_eq!(at(&doc, "list.xlsx", "sheet Patients!A2")["category"], "name");
    assert_eq!(at(&doc, "list.xlsx", "sheet Patients!B2")["category"], "mrn");
    assert_eq!(at(&doc, "list.xlsx", "sheet Patients!C2")["category"], "diagnosis");
    let breaches = doc["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 1);
    assert_eq!(breaches[0]["location"], "sheet Patients!row 2");
}

#[test]
fn pptx_slides_and_speaker_notes() {
    let env = TestEnv::new();
    let slide = "<p:sld><p:txBody><a:p><a:r><a:t>Meet our patient</a:t></a:r></a:p></p:txBody></p:sld>";
    let notes = format!("<p:notes><a:p><a:r><a:t>SSN {SSN} do not show</a:t></a:r></a:p></p:notes>");
    let rels = r#"<Relationships><Relationship Id="rId2" Target="../slides/slide1.xml"/></Relationships>"#;
    env.write(
        "deck.pptx",
        zip(&[
            ("ppt/presentation.xml", b"<p:presentation/>"),
            ("ppt/slides/slide1.xml", slide.as_bytes()),
            ("ppt/notesSlides/notesSlide1.xml", notes.as_bytes()),
            ("ppt/notesSlides/_rels/notesSlide1.xml.rels", rels.as_bytes()),
        ]),
    );
    let (_, doc, _) = scan(&env, &["deck.pptx"]);
    assert_eq!(at(&doc, "deck.pptx", "slide 1 notes")["category"], "ssn");
}

#[test]
fn odt_paragraphs_comments_and_deletions() {
    let env = TestEnv::new();
    let content = format!(
        "<office:document-content><office:body><office:text>\
         <text:tracked-changes><text:changed-region><text:deletion><text:p>SSN {SSN}</text:p></text:deletion></text:changed-region></text:tracked-changes>\
         <text:p>Intro <office:annotation><dc:creator>ed</dc:creator><text:p>MRN: 40719385</text:p></office:annotation>text</text:p>\
         <text:p>Call (330)<text:s/>555-0119</text:p></office:text></office:body></office:document-content>"
    );
    env.write(
        "draft.odt",
        zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content.as_bytes())]),
    );
    let (_, doc, _) = scan(&env, &["draft.odt"]);
    assert_eq!(at(&doc, "draft.odt", "tracked change 1 (tracked deletion)")["category"], "ssn");
    assert_eq!(at(&doc, "draft.odt", "comment 1")["category"], "mrn");
    assert_eq!(at(&doc, "draft.odt", "paragraph 4")["category"], "phone");
}

#[test]
fn email_headers_bodies_and_attachments() {
    let env = TestEnv::new();
    let attachment = base64(PATIENTS_CSV.as_bytes());
    let eml = format!(
        "From: Rosalind Quill <r.quill@example.org>\r\nTo: comms@example.org\r\nSubject: MRN 40719385 follow-up\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
         Her SSN=3A {SSN} is on file.=\r\n Thanks\r\n\
         --b1\r\nContent-Type: text/csv; name=\"patients.csv\"\r\nContent-Disposition: attachment; filename=\"patients.csv\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--b1--\r\n"
    );
    env.write("fwd.eml", &eml);
    let (_, doc, _) = scan(&env, &["fwd.eml"]);
    assert!(categories(&doc, "fwd.eml", "header From").contains(&"email".to_string()));
    assert_eq!(at(&doc, "fwd.eml", "header Subject")["category"], "mrn");
    assert_eq!(at(&doc, "fwd.eml", "body line 1")["category"], "ssn");
    assert_eq!(at(&doc, "fwd.eml!patients.csv", "row 2:mrn")["category"], "mrn");
    assert_eq!(verdict(&doc, "fwd.eml!patients.csv"), "breach");

    let mbox = format!("From a@example.org Mon Jan  1 00:00:00 2024\n{}\nFrom b@example.org Mon Jan  1 00:00:00 2024\nFrom: b@example.org\nSubject: hi\n\nPhone: (330) 555-0119\n", eml.replace("\r\n", "\n"));
    env.write("inbox.mbox", mbox);
    let (_, doc, _) = scan(&env, &["inbox.mbox"]);
    assert_eq!(at(&doc, "inbox.mbox!message 1!patients.csv", "row 2:dob")["category"], "date");
    assert_eq!(at(&doc, "inbox.mbox!message 2", "body line 1")["category"], "phone");
}

#[test]
fn pdf_text_layer_and_unreadable_pdfs() {
    let env = TestEnv::new();
    env.write("flyer.pdf", pdf(&["Spring newsletter", "MRN: 40719385"], ""));
    env.write("scan.pdf", pdf(&[], ""));
    env.write("locked.pdf", pdf(&["MRN: 40719385"], "/Encrypt 9 0 R "));
    env.write("garbage.pdf", b"%PDF-1.7\n\x00\x01 this is not a pdf at all");
    let mut truncated = pdf(&["MRN: 40719385"], "");
    truncated.truncate(60);
    env.write("truncated.pdf", truncated);
    let (code, doc, stderr) = scan(&env, &["."]);
    assert_eq!(at(&doc, "flyer.pdf", "page 1")["category"], "mrn");
    assert!(skipped_reason(&doc, "scan.pdf").contains("no text layer"));
    assert!(skipped_reason(&doc, "locked.pdf").contains("encrypted"));
    assert!(error_message(&doc, "garbage.pdf").contains("not a readable PDF"));
    assert!(error_message(&doc, "truncated.pdf").contains("not a readable PDF"));
    assert_eq!(code, 2);
    assert!(!stderr.contains("40719385"));
}

#[test]
fn zip_members_are_scanned_recursively_with_member_locations() {
    let env = TestEnv::new();
    let inner = zip(&[("note.txt", format!("SSN {SSN}").as_bytes())]);
    let word = docx(&para("MRN: 40719385"), &[]);
    env.write(
        "export.zip",
        zip(&[
            ("patients.csv", PATIENTS_CSV.as_bytes()),
            ("inner.zip", &inner),
            ("draft.docx", &word),
            ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ]),
    );
    let (_, doc, _) = scan(&env, &["export.zip"]);
    assert_eq!(at(&doc, "export.zip!patients.csv", "row 2:mrn")["category"], "mrn");
    assert_eq!(verdict(&doc, "export.zip!patients.csv"), "breach");
    assert_eq!(at(&doc, "export.zip!draft.docx", "paragraph 1")["category"], "mrn");
    let note = findings(&doc, "export.zip!inner.zip!note.txt");
    assert_eq!(note[0]["category"], "ssn");
    assert_eq!(skipped_reason(&doc, "export.zip!logo.png"), "binary");
    let text = env.run(&["scan", "--compact", "export.zip"]);
    assert!(text.stdout.contains("export.zip!patients.csv:row 2:mrn"), "{}", text.stdout);
    assert!(text.stdout.contains("export.zip!inner.zip!note.txt:line 1"), "a member names its line: {}", text.stdout);
}

#[test]
fn hostile_archives_are_bounded_and_reported() {
    let env = TestEnv::new();
    // 40 MB of zeros deflates to ~40 KB: far past the ratio limit.
    let bomb = zip(&[("zeros.csv", &vec![b'0'; 40 << 20]), ("fine.csv", b"mrn\n4071938\n")]);
    env.write("bomb.zip", &bomb);
    let mut truncated = zip(&[("a.csv", PATIENTS_CSV.as_bytes())]);
    truncated.truncate(truncated.len() / 2);
    env.write("truncated.zip", truncated);
    env.write("fake.docx", "this is not a word document");
    let cut = format!("<w:document><w:body>{}<w:p><w:r><w:t x=\"1", para("MRN: 40719385"));
    env.write("cut.docx", zip(&[("word/document.xml", cut.as_bytes())]));
    // A zip whose member says it is encrypted (general purpose flag bit 0).
    let mut locked = zip(&[("secret.csv", PATIENTS_CSV.as_bytes())]);
    for (sig, off) in [(&b"PK\x03\x04"[..], 6), (&b"PK\x01\x02"[..], 8)] {
        let at = locked.windows(4).position(|w| w == sig).unwrap();
        locked[at + off] |= 1;
    }
    env.write("locked.zip", locked);
    // Nesting past the depth limit.
    let mut nested = zip(&[("deep.txt", format!("SSN {SSN}").as_bytes())]);
    for k in 0..6 {
        nested = zip(&[(&format!("level{k}.zip"), &nested)]);
    }
    env.write("nested.zip", nested);
    let started = std::time::Instant::now();
    let (code, doc, stderr) = scan(&env, &["."]);
    assert!(started.elapsed().as_secs() < 30, "limits must stop early");
    assert_eq!(code, 2);
    assert!(error_message(&doc, "bomb.zip!zeros.csv").contains("decompression bomb guard"));
    assert_eq!(at(&doc, "bomb.zip!fine.csv", "row 2:mrn")["category"], "mrn");
    assert!(error_message(&doc, "truncated.zip").contains("not a readable zip archive"));
    assert!(error_message(&doc, "fake.docx").contains("not a valid DOCX"));
    // A malformed part is an error, and what came before the fault is still scanned.
    assert!(error_message(&doc, "cut.docx").contains("part word/document.xml: malformed XML"));
    assert_eq!(at(&doc, "cut.docx", "paragraph 1")["category"], "mrn");
    assert!(skipped_reason(&doc, "locked.zip!secret.csv").contains("encrypted"));
    // A limit is an error (exit 2), never a silent skip: the gate did not read it.
    let deep = doc["summary"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"].as_str().unwrap().starts_with("nested.zip!"));
    assert!(deep.unwrap()["message"].as_str().unwrap().contains("nested more than"), "{:#}", doc["summary"]["errors"]);
    assert!(!stderr.contains("4071938"));
}

#[test]
fn billion_laughs_in_office_xml_stays_inert() {
    let env = TestEnv::new();
    let mut dtd = String::from("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a0 \"lol\">");
    for k in 1..10 {
        let prev = format!("&a{};", k - 1);
        dtd.push_str(&format!("<!ENTITY a{k} \"{}\">", prev.repeat(10)));
    }
    dtd.push_str("]>");
    let doc_xml = format!("{dtd}<w:document><w:body>{}</w:body></w:document>", para(&format!("&a9; SSN {SSN}")));
    env.write("laughs.docx", zip(&[("word/document.xml", doc_xml.as_bytes())]));
    let (_, doc, _) = scan(&env, &["laughs.docx"]);
    assert_eq!(at(&doc, "laughs.docx", "paragraph 1")["category"], "ssn");
    assert!(doc["summary"]["bytes_scanned"].as_u64().unwrap() < 100);
}
