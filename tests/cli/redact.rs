//! `phiscan redact`: every mode on synthetic drafts and exports, where the copy goes, and the
//! safety of writing in place.

use crate::util::TestEnv;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// An invented patient in a draft: a breach (name + diagnosis) and identifiers.
const DRAFT: &str = "Ward news (synthetic).\n\n\
    Our patient Orrin Vantongeren, 52, beat leukemia this spring (MRN 48215537).\n\
    Mr. Vantongeren's SSN 536-22-8727 was on the intake form.\n\
    Thanks to Dr. Imelda Castellanos-Pryce and the night team.\n";

const EXPORT_CSV: &str = "patient_name,mrn,dob,notes\n\
    \"Vantongeren, Orrin\",MRN 48215537,03/14/1971,\"said \"\"thanks\"\" at discharge\"\n\
    Ysolde Marchbank,MRN 48215611,11/02/1988,follow-up in May\n";

const EXPORT_JSON: &str = r#"{"patients": [
  {"name": "Ysolde Marchbank", "mrn": 48215611, "ssn": "536-22-8711", "active": true},
  {"name": "Orrin Vantongeren", "mrn": 48215537, "ssn": "536-22-8727", "active": false}
]}
"#;

const PLANTED: [&str; 6] = ["Vantongeren", "Orrin", "Ysolde", "Marchbank", "48215537", "536-22-8727"];

fn assert_no_planted(what: &str, text: &str) {
    for p in PLANTED {
        assert!(!text.contains(p), "{what} kept {p}:\n{text}");
    }
}

#[test]
fn stdin_goes_to_stdout_in_every_mode() {
    let env = TestEnv::new();
    for mode in ["mask", "tag", "surrogate", "remove"] {
        let r = env.run_stdin(&["redact", "-", "--mode", mode, "--stdin-name", "post.md"], DRAFT.as_bytes());
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        assert_no_planted(mode, &r.stdout);
        assert!(r.stdout.contains("Dr. Imelda Castellanos-Pryce"), "{mode}: staff stay:\n{}", r.stdout);
        assert!(r.stderr.contains("post.md: replaced ") && r.stderr.contains(" name"), "{mode}: {}", r.stderr);
    }
    let tag = env.run_stdin(&["redact", "-", "--mode", "tag"], DRAFT.as_bytes());
    assert!(tag.stdout.contains("Our patient [NAME], 52, beat [DIAGNOSIS]"), "{}", tag.stdout);
}

#[test]
fn a_rescan_of_the_copies_finds_nothing_at_or_above_the_threshold() {
    let env = TestEnv::new();
    env.write("in/post.md", DRAFT);
    env.write("in/data/export.csv", EXPORT_CSV);
    env.write("in/data/export.json", EXPORT_JSON);
    for mode in ["mask", "tag", "remove"] {
        let out = format!("out-{mode}");
        let r = env.run(&["redact", "in", "--mode", mode, "-o", &out]);
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        for f in ["post.md", "data/export.csv", "data/export.json"] {
            assert_no_planted(mode, &env.read(&format!("{out}/{f}")));
        }
        let scan = env.run(&["scan", &out, "--fail-on", "medium", "--format", "json"]);
        let findings: Vec<String> = scan.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] != "low" && f["role"] != "staff")
            .map(|f| format!("{} {}", f["category"], f["masked"]))
            .collect();
        // A mask is what every report prints: a masked name in a name column is still read as
        // one, but it names no one.
        let real: Vec<&String> = findings.iter().filter(|f| mode != "mask" || !f.contains('*')).collect();
        assert!(real.is_empty(), "{mode}: {real:?}");
    }
}

#[test]
fn csv_and_json_keep_their_shape() {
    let env = TestEnv::new();
    env.write("export.csv", EXPORT_CSV);
    env.write("export.json", EXPORT_JSON);
    for mode in ["mask", "tag", "surrogate", "remove"] {
        let r = env.run(&["redact", "export.csv", "--mode", mode, "--seed", "7"]);
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(r.stdout.as_bytes())
            .records()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(rows.len(), 3, "{mode}:\n{}", r.stdout);
        assert!(rows.iter().all(|row| row.len() == 4), "{mode}:\n{}", r.stdout);
        assert!(r.stdout.lines().nth(1).unwrap().starts_with('"'), "{mode}: quoting kept:\n{}", r.stdout);
        assert_no_planted(mode, &r.stdout);

        let r = env.run(&["redact", "export.json", "--mode", mode, "--seed", "7"]);
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{mode}: {e}"));
        let people = v["patients"].as_array().unwrap();
        assert_eq!(people.len(), 2);
        for p in people {
            let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["name", "mrn", "ssn", "active"], "{mode}");
            assert!(p["name"].is_string() && p["ssn"].is_string() && p["active"].is_boolean(), "{mode}: {p}");
            if mode == "surrogate" {
                assert!(p["mrn"].is_number(), "a number stays a number: {p}");
                assert!(p["ssn"].as_str().unwrap().starts_with('9'), "{p}");
            }
        }
        assert_no_planted(mode, &r.stdout);
    }
}

#[test]
fn surrogates_are_consistent_and_seeded() {
    let env = TestEnv::new();
    env.write("post.md", DRAFT);
    let a = env.run(&["redact", "post.md", "--mode", "surrogate", "--seed", "12"]);
    let b = env.run(&["redact", "post.md", "--mode", "surrogate", "--seed", "12"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout, "--seed: the same output");
    let line = a.stdout.lines().find(|l| l.starts_with("Our patient ")).unwrap();
    let name: Vec<&str> = line["Our patient ".len()..].split(',').next().unwrap().split(' ').collect();
    assert_eq!(name.len(), 2, "{line}");
    assert!(a.stdout.contains(&format!("Mr. {}'s SSN 9", name[1])), "one person, one stand-in:\n{}", a.stdout);
    let unseeded: Vec<String> = (0..4).map(|_| env.run(&["redact", "post.md", "--mode", "surrogate"]).stdout).collect();
    assert!(unseeded.iter().any(|o| *o != unseeded[0]), "without --seed, documents differ");
}

#[test]
fn a_folder_needs_a_destination_and_check_writes_nothing() {
    let env = TestEnv::new();
    env.write("in/post.md", DRAFT);
    env.write("in/clean.txt", "Flu shots are free on Tuesdays.\n");
    let r = env.run(&["redact", "in", "--mode", "tag"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o DIR") && r.stderr.contains("--in-place"), "{}", r.stderr);

    let r = env.run(&["redact", "in", "--mode", "tag", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("in/post.md: would replace"), "{}", r.stderr);
    assert_eq!(env.read("in/post.md"), DRAFT, "--check writes nothing");
    assert!(r.stdout.is_empty());

    let r = env.run(&["redact", "in/clean.txt", "--mode", "tag", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nothing to replace"), "{}", r.stderr);
}

#[test]
fn unsupported_formats_are_refused_and_nothing_is_written() {
    let env = TestEnv::new();
    env.write("in/letter.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n");
    env.write("in/post.md", DRAFT);
    let r = env.run(&["redact", "in", "--mode", "mask", "-o", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("does not write pdf"), "{}", r.stderr);
    assert!(!env.path().join("out/letter.pdf").exists());
    assert_no_planted("mask", &env.read("out/post.md"));
}

#[test]
fn in_place_keeps_a_byte_identical_backup() {
    let env = TestEnv::new();
    // CRLF line ends and a BOM: the backup must be the file as it was, byte for byte.
    let original = format!("\u{feff}{}", DRAFT.replace('\n', "\r\n"));
    env.write("post.md", &original);
    let r = env.run(&["redact", "post.md", "--mode", "tag", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(env.path().join("post.md.orig")).unwrap(), original.as_bytes());
    let now = env.read("post.md");
    assert!(now.starts_with('\u{feff}') && now.contains("[NAME]"), "the BOM stays: {now:?}");
    assert!(now.contains("\r\n"), "line ends kept");
    assert_no_planted("in place", &now);

    // A second run would overwrite the backup: refused, nothing written.
    env.write("post.md", &original);
    let r = env.run(&["redact", "post.md", "--mode", "tag", "--in-place"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("post.md.orig already exists"), "{}", r.stderr);
    assert_eq!(env.read("post.md"), original, "nothing written");

    let r = env.run(&["redact", "post.md", "--mode", "tag", "--in-place", "--no-backup"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_no_planted("no backup", &env.read("post.md"));
}

/// Starts an in-place redaction that pauses between writing its copy and the rename, and
/// returns once it is paused there.
fn paused_redaction(env: &TestEnv) -> std::process::Child {
    let mut child = env
        .cmd(&["redact", "post.md", "--mode", "tag", "--in-place"])
        .env(phiscan::redact::files::PAUSE_ENV, "20000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("paused before rename") {
        line.clear();
    }
    assert!(line.contains("paused before rename"), "never paused");
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    child
}

#[test]
fn a_kill_between_write_and_rename_leaves_the_file_whole() {
    let env = TestEnv::new();
    env.write("post.md", DRAFT);
    let mut child = paused_redaction(&env);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(env.read("post.md"), DRAFT, "the file is the original, never a partial copy");
    assert_eq!(env.read("post.md.orig"), DRAFT);
}

#[test]
fn a_file_changed_while_read_is_refused() {
    let env = TestEnv::new();
    env.write("post.md", DRAFT);
    let child = paused_redaction(&env);
    let edited = format!("{DRAFT}One more line, typed meanwhile.\n");
    env.write("post.md", &edited);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(env.read("post.md"), edited, "the newer text is kept");
    assert!(!env.path().join("post.md.orig").exists(), "no backup of a file not replaced");
}

#[test]
fn allow_lists_and_inline_allows_are_kept() {
    let env = TestEnv::new();
    env.write(".phiscan.toml", "allow = [\"Ysolde Marchbank\"]\n");
    env.write(
        "post.md",
        "Our volunteer Ysolde Marchbank thanks everyone.\n\
         Patient Orrin Vantongeren has leukemia.\n\
         Ring Lisandro Quaye at 330-482-7719 <!-- phiscan:allow -->\n",
    );
    let r = env.run(&["redact", "post.md", "--mode", "tag"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Ysolde Marchbank thanks"), "{}", r.stdout);
    assert!(r.stdout.contains("Lisandro Quaye at 330-482-7719"), "{}", r.stdout);
    assert!(!r.stdout.contains("Vantongeren"), "{}", r.stdout);
}

/// Builds a Word draft (deflated zip) whose body, comment and title name an invented patient.
fn planted_docx() -> Vec<u8> {
    use std::io::Write;
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let members = [
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
        (
            "word/document.xml",
            format!(
                "<w:document {w}><w:body><w:p><w:r><w:t xml:space=\"preserve\">Our patient Orrin Vant</w:t></w:r>\
                 <w:r><w:t>ongeren, 52, beat leukemia this spring (MRN 48215537).</w:t></w:r></w:p></w:body></w:document>"
            ),
        ),
        (
            "word/comments.xml",
            format!("<w:comments {w}><w:comment w:id=\"0\"><w:p><w:r><w:t>SSN 536-22-8727 checked with Orrin Vantongeren.</w:t></w:r></w:p></w:comment></w:comments>"),
        ),
        (
            "docProps/core.xml",
            "<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>Orrin Vantongeren story</dc:title></cp:coreProperties>".to_string(),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &members {
        z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(data.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Returns every member of a zip, decompressed and read as text.
fn zip_texts(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().to_string(), s)
        })
        .collect()
}

#[test]
fn a_docx_is_written_back_as_a_docx() {
    let env = TestEnv::new();
    let original = planted_docx();
    env.write("story.docx", &original);
    let r = env.run(&["redact", "story.docx", "--mode", "tag", "-o", "safe.docx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("story.docx: replaced ") && r.stderr.contains("(tag, docx)"), "{}", r.stderr);
    let out = std::fs::read(env.path().join("safe.docx")).unwrap();
    let parts = zip_texts(&out);
    assert_eq!(parts.len(), 4);
    for (name, text) in &parts {
        assert_no_planted(name, text);
    }
    assert!(parts[1].1.contains("Our patient [NAME]</w:t></w:r>"), "{}", parts[1].1);
    let scan = env.run(&["scan", "safe.docx", "--fail-on", "medium"]);
    assert_eq!(scan.code, 0, "the copy scans clean: {}", scan.stdout);

    let r = env.run(&["redact", "story.docx", "--mode", "mask", "--in-place"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(env.path().join("story.docx.orig")).unwrap(), original, "a byte-identical backup");
    for (name, text) in zip_texts(&std::fs::read(env.path().join("story.docx")).unwrap()) {
        assert_no_planted(&name, &text);
    }
}
