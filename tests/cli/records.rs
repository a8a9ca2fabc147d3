//! Records pasted into prose, tables in documents and source maps: every case of issue 10,
//! built in code from synthetic values, checked per row and object and against the file's bytes.

use crate::util::TestEnv;
use serde_json::Value;
use std::io::{Read, Write};

fn scan(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["scan", "--format", "json", "--show-values"];
    all.extend_from_slice(args);
    let r = env.run(&all);
    assert!(!r.stderr.contains("internal error"), "panic: {}", r.stderr);
    r.json()
}

fn findings<'a>(doc: &'a Value, path: &str) -> Vec<&'a Value> {
    doc["findings"].as_array().unwrap().iter().filter(|f| f["path"] == path).collect()
}

fn breaches<'a>(doc: &'a Value, path: &str) -> Vec<&'a Value> {
    doc["breaches"].as_array().unwrap().iter().filter(|b| b["path"] == path).collect()
}

/// The findings a breach links.
fn members<'a>(doc: &'a Value, b: &Value) -> Vec<&'a Value> {
    b["findings"].as_array().unwrap().iter().map(|i| &doc["findings"][i.as_u64().unwrap() as usize]).collect()
}

fn cats(fs: &[&Value]) -> Vec<String> {
    let mut v: Vec<String> = fs.iter().map(|f| f["category"].as_str().unwrap().to_string()).collect();
    v.sort();
    v.dedup();
    v
}

/// Asserts that every finding of `path` has a source whose bytes in `file` are its value.
fn sources_hold_values(doc: &Value, path: &str, file: &[u8]) {
    let fs = findings(doc, path);
    assert!(!fs.is_empty(), "no findings in {path}");
    for f in fs {
        let src = &f["source"];
        assert!(src.is_object(), "{path}: no source on {f}");
        assert!(src.get("part").is_none(), "{path}: {f}");
        let (s, e) = (src["start"].as_u64().unwrap() as usize, src["end"].as_u64().unwrap() as usize);
        assert_eq!(String::from_utf8_lossy(&file[s..e]), f["value"].as_str().unwrap(), "{path}: {f}");
    }
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn headerless_rows_in_a_ticket_are_one_breach_per_row() {
    let env = TestEnv::new();
    let ticket = "Subject: importer drops rows\n\nThe loader rejects these, no header row:\n\n\
        \"QUILLFEATHER, MARGUERITE\",70420193,1958-02-17,K50.90 Crohn disease\n\
        \"OSTERWALD, BENEDIKT\",70420207,1971-10-30,J45.909 asthma\n\
        \"VANTONGEREN, ISOLDE\",70420211,1944-06-05,C50.911 breast cancer\n\nThanks, the integration team\n";
    env.write("ticket.txt", ticket);
    let doc = scan(&env, &["ticket.txt"]);
    let bs = breaches(&doc, "ticket.txt");
    assert_eq!(bs.len(), 3, "one breach per row: {bs:#?}");
    for (b, line) in bs.iter().zip([5, 6, 7]) {
        assert_eq!(b["unit"], "row");
        assert_eq!(b["line"], line);
        let c = cats(&members(&doc, b));
        for want in ["name", "mrn", "date", "diagnosis"] {
            assert!(c.contains(&want.to_string()), "row {line}: {c:?}");
        }
    }
    let name = findings(&doc, "ticket.txt").into_iter().find(|f| f["value"] == "QUILLFEATHER, MARGUERITE").unwrap();
    assert_eq!((name["line"].as_u64(), name["column"].as_u64()), (Some(5), Some(2)));
    sources_hold_values(&doc, "ticket.txt", ticket.as_bytes());
}

#[test]
fn csv_in_a_markdown_fence_and_a_json_log_line() {
    let env = TestEnv::new();
    let md =
        "# Repro\n\n```csv\npatient,mrn,dx\nWendeline Harrowgate,3318842,lupus\nCasimiro Ebbesen,3318851,gout\n```\n";
    env.write("repro.md", md);
    let log = "2025-03-01T10:00:00Z INFO start\n\
        {\"ts\":\"2025-03-01T10:00:02Z\",\"level\":\"error\",\"patient\":{\"name\":\"Wendeline Harrowgate\",\"mrn\":\"3318842\"},\"reason\":\"chemotherapy\"}\n";
    env.write("app.log", log);
    let doc = scan(&env, &["repro.md", "app.log"]);
    let rows = breaches(&doc, "repro.md");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(rows.iter().all(|b| b["unit"] == "row"));
    assert!(findings(&doc, "repro.md").iter().all(|f| f["value"] != "patient"), "the header is a label");
    let lines = breaches(&doc, "app.log");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["line"], 2);
    sources_hold_values(&doc, "repro.md", md.as_bytes());
    sources_hold_values(&doc, "app.log", log.as_bytes());
}

#[test]
fn cut_off_json_and_key_value_logs() {
    let env = TestEnv::new();
    let text = "Copied from prod, will sanitize later:\n[\n  {\"name\": \"Ottoline Brackwater\", \"mrn\": \"5520417\", \"reason\": \"dialysis\"},\n  \
        {\"name\": \"Per Lindqvar\", \"mrn\": \"5520433\", \"reason\": \"insulin pump\"},\n  {\"name\": \"Sabine Okoro\", \"mr\n\n\
        kiosk log:\nts=2025-02-01T08:00:00Z event=checkin patient=\"Ottoline Brackwater\" mrn=5520417 appt=\"chemotherapy\"\n";
    env.write("api.md", text);
    let doc = scan(&env, &["api.md"]);
    let units: Vec<&str> = breaches(&doc, "api.md").iter().map(|b| b["unit"].as_str().unwrap()).collect();
    assert_eq!(units, vec!["object", "object", "line"], "{:#}", doc["breaches"]);
    sources_hold_values(&doc, "api.md", text.as_bytes());
}

#[test]
fn hl7_in_an_email_links_per_patient() {
    let env = TestEnv::new();
    let eml = "From: Lab Desk <lab@example.org>\r\nTo: vendor@example.org\r\nSubject: OBX parse error\r\n\r\n\
        Here is the message from prod:\r\n\r\n\
        MSH|^~\\&|LAB|NORTH|||202501011200||ORU^R01|1|P|2.5\r\n\
        PID|1||QX4410982^^^NQ^MR||FARTHINGALE^ROSAMUND^E||19530717|F\r\n\
        OBR|1|||HBA1C^HEMOGLOBIN A1C\r\n\
        DG1|1||E11.9^Type 2 diabetes mellitus^I10\r\n\r\nThanks\r\n";
    env.write("hl7.eml", eml);
    let doc = scan(&env, &["hl7.eml"]);
    let bs = breaches(&doc, "hl7.eml");
    assert_eq!(bs.len(), 1, "{bs:#?}");
    assert_eq!(bs[0]["unit"], "message");
    let c = cats(&members(&doc, bs[0]));
    for want in ["name", "mrn", "date", "diagnosis"] {
        assert!(c.contains(&want.to_string()), "{c:?}");
    }
    assert!(findings(&doc, "hl7.eml").iter().all(|f| f["location"].is_string()));
    sources_hold_values(&doc, "hl7.eml", eml.as_bytes());
}

#[test]
fn json_array_in_an_email_is_a_breach_per_object() {
    let env = TestEnv::new();
    let eml = "From: Scheduler <sched@example.org>\nTo: it@example.org\nSubject: payload\n\n\
        The appointments API returned:\n[\n  {\n    \"name\": \"Leocadia Wintersteen\",\n    \"mrn\": \"8830215\",\n    \
        \"birthDate\": \"1966-03-09\",\n    \"reason\": \"chemotherapy\"\n  },\n  {\n    \"name\": \"Anselm Poritz\",\n    \
        \"mrn\": \"8830221\",\n    \"birthDate\": \"1990-12-01\",\n    \"reason\": \"HIV\"\n  }\n]\n";
    env.write("payload.eml", eml);
    let doc = scan(&env, &["payload.eml"]);
    let bs = breaches(&doc, "payload.eml");
    assert_eq!(bs.len(), 2, "{bs:#?}");
    for b in &bs {
        assert_eq!(b["unit"], "object");
        let c = cats(&members(&doc, b));
        assert!(c.contains(&"mrn".to_string()) && c.contains(&"date".to_string()), "{c:?}");
    }
    sources_hold_values(&doc, "payload.eml", eml.as_bytes());
}

fn docx(body: &str) -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", doc.as_bytes())])
}

fn cell(text: &str) -> String {
    format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

#[test]
fn word_tables_read_like_csv() {
    let env = TestEnv::new();
    let row = |cells: &[&str]| format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>());
    let body = format!(
        "<w:p><w:r><w:t>Meeting notes</w:t></w:r></w:p><w:tbl>{}{}{}</w:tbl>",
        row(&["Patient", "Phone", "Diagnosis"]),
        row(&["Ermenegild Sorrowby", "(216) 555-0143", "hepatitis C"]),
        row(&["Marisol Quenby", "(216) 555-0144", "tuberculosis"]),
    );
    let bytes = docx(&body);
    env.write("notes.docx", &bytes);
    let doc = scan(&env, &["notes.docx"]);
    let fs = findings(&doc, "notes.docx");
    assert!(fs.iter().all(|f| f["value"] != "Phone" && f["value"] != "Diagnosis"), "headers are labels: {fs:#?}");
    let bs = breaches(&doc, "notes.docx");
    assert_eq!(bs.len(), 2, "one breach per row: {bs:#?}");
    for (b, r) in bs.iter().zip([2, 3]) {
        assert_eq!(b["location"], format!("table 1 row {r}"));
        for f in members(&doc, b) {
            assert!(f["location"].as_str().unwrap().starts_with(&format!("table 1 row {r} cell")), "{f}");
        }
    }
    let part = zip_part(&bytes, "word/document.xml");
    for f in fs {
        let src = &f["source"];
        assert_eq!(src["part"], "word/document.xml");
        let (s, e) = (src["start"].as_u64().unwrap() as usize, src["end"].as_u64().unwrap() as usize);
        assert_eq!(String::from_utf8_lossy(&part[s..e]), f["value"].as_str().unwrap());
    }
}

#[test]
fn html_tables_comments_and_allow_comments() {
    let env = TestEnv::new();
    let html = "<html><body>\n<p>Clinic update</p>\n\
        <table><tr><th>Name</th><th>MRN</th><th>Diagnosis</th></tr>\n\
        <tr><td>Aurelio Pennyworth</td><td>6610442</td><td>epilepsy</td></tr></table>\n\
        <!-- draft: Bettany Crowle, MRN 6610457 -->\n\
        <p>Call 330-555-0177 <!-- phiscan:allow --></p>\n</body></html>\n";
    env.write("page.html", html);
    let doc = scan(&env, &["page.html"]);
    let bs = breaches(&doc, "page.html");
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0]["location"], "table 1 row 2");
    let fs = findings(&doc, "page.html");
    assert!(fs.iter().any(|f| f["value"] == "6610457" && f["location"] == "line 5 (comment)"), "{fs:#?}");
    assert!(fs.iter().all(|f| f["category"] != "phone"), "phiscan:allow on the line: {fs:#?}");
    sources_hold_values(&doc, "page.html", html.as_bytes());
}

#[test]
fn quoted_printable_html_parts_are_decoded_and_located() {
    let env = TestEnv::new();
    let eml = "From: a@example.org\r\nTo: b@example.org\r\nSubject: update\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
        --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the HTML version.\r\n\
        --alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
        <p style=3D\"color:red\">Chart for Gudrun Alvesley, MRN: 40719385</p>\r\n--alt--\r\n";
    env.write("qp.eml", eml);
    let doc = scan(&env, &["qp.eml"]);
    let mrn = findings(&doc, "qp.eml").into_iter().find(|f| f["value"] == "40719385").expect("the HTML part is read");
    assert!(mrn["location"].as_str().unwrap().contains("html line 1"), "{mrn}");
    assert_eq!(mrn["source"]["part"], "body 2", "{mrn}");
    // The range is in the part's decoded text.
    let decoded = "<p style=\"color:red\">Chart for Gudrun Alvesley, MRN: 40719385</p>";
    let (s, e) = (mrn["source"]["start"].as_u64().unwrap() as usize, mrn["source"]["end"].as_u64().unwrap() as usize);
    assert_eq!(&decoded[s..e], "40719385");
}

#[test]
fn every_member_finding_has_a_location_and_sarif_has_byte_regions() {
    let env = TestEnv::new();
    env.write("bundle.zip", zip(&[("notes/a.txt", b"SSN 536-22-8727\n")]));
    env.write("plain.txt", "Hello\nSSN 536-22-8727\n");
    let doc = scan(&env, &["bundle.zip", "plain.txt"]);
    let f = &findings(&doc, "bundle.zip!notes/a.txt")[0];
    assert_eq!(f["location"], "line 1");
    assert_eq!((f["source"]["start"].as_u64(), f["source"]["end"].as_u64()), (Some(4), Some(15)));
    let sarif = env.run(&["scan", "--format", "sarif", "plain.txt"]).json();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!((region["byteOffset"].as_u64(), region["byteLength"].as_u64()), (Some(10), Some(11)));
}

#[test]
fn workbook_cells_map_to_their_parts() {
    let env = TestEnv::new();
    let sheet =
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>\
        <row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>40719385</v></c></row></sheetData></worksheet>";
    let sst = "<sst><si><t>patient</t></si><si><t>mrn</t></si><si><t>Hesper Quarrington</t></si></sst>";
    let workbook = "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
        <sheets><sheet name=\"Visits\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let rels = "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    let bytes = zip(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/sharedStrings.xml", sst.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    env.write("visits.xlsx", &bytes);
    let doc = scan(&env, &["visits.xlsx"]);
    let fs = findings(&doc, "visits.xlsx");
    assert!(fs.iter().all(|f| f["value"] != "patient" && f["value"] != "mrn"), "headers are labels: {fs:#?}");
    for (value, part) in [("Hesper Quarrington", "xl/sharedStrings.xml"), ("40719385", "xl/worksheets/sheet1.xml")] {
        let f = fs.iter().find(|f| f["value"] == value).unwrap_or_else(|| panic!("{value} not found: {fs:#?}"));
        assert_eq!(f["source"]["part"], part);
        let (s, e) = (f["source"]["start"].as_u64().unwrap() as usize, f["source"]["end"].as_u64().unwrap() as usize);
        assert_eq!(String::from_utf8_lossy(&zip_part(&bytes, part)[s..e]), value);
    }
}
