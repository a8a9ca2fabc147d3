#!/usr/bin/env python3
"""Generate a mixed-format corpus (CSV, JSON, HTML, DOCX, XLSX, Markdown, zip) of synthetic
patient data for timing the extract stage:

    python3 scripts/gen_mixed_corpus.py /tmp/corpus
    cargo build --release && target/release/phiscan scan /tmp/corpus -j 2 --format json -o /tmp/r.json

The summary's bytes_scanned and elapsed_ms give extracted MB/s; `du -sb` gives on-disk MB/s.
Everything is synthetic (555-01xx phones, invented names and towns).
"""
import sys
import os, random, zipfile, io, json
random.seed(7)
out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
os.makedirs(out, exist_ok=True)
first = ["Hope","Faith","Delphine","Tobin","Ada","Rosalind","Milo","Iris","Otto","Wren"]
last = ["Achterberg","Wexbury","Quill","Halkoaho","Brennick","Osterfeld","Pellow","Varga"]
dx = ["asthma","Type 2 diabetes","hypertension","E11.9","migraine","COPD",""]
towns = ["Wexbury","Quillton","Elk City","Marrowdale"]
def row(i):
    return [f"{random.choice(first)} {random.choice(last)}", str(4000000+i*7919 % 999999), f"{random.randint(1,12):02}/{random.randint(1,28):02}/{random.randint(1930,2015)}",
            random.choice(dx), f"(330) 555-01{random.randint(0,99):02}", random.choice(towns), "routine follow-up visit, no changes to plan"]
hdr = ["patient_name","mrn","dob","diagnosis","phone","city","notes"]
def csv_text(n):
    lines = [",".join(hdr)] + [",".join(f'"{c}"' if "," in c else c for c in row(i)) for i in range(n)]
    return "\n".join(lines) + "\n"
def prose(n):
    ps = []
    for i in range(n):
        ps.append(f"Our spring newsletter features volunteers from {random.choice(towns)}. "
                  f"Call (330) 555-01{random.randint(0,99):02} to join the health fair on the lawn. "
                  + ("MRN: 40719385 was mentioned in error. " if i % 40 == 0 else "")
                  + "The garden club meets every Tuesday; bring gloves and a friend.")
    return ps
def docx(paras):
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paras)
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f"<?xml version=\"1.0\"?><w:document><w:body>{body}</w:body></w:document>")
    return b.getvalue()
def xlsx(n):
    sst = []
    def s(v):
        sst.append(v); return len(sst)-1
    rows = []
    for r in range(n+1):
        vals = hdr if r == 0 else row(r)
        cells = "".join(f"<c r=\"{chr(65+c)}{r+1}\" t=\"s\"><v>{s(v)}</v></c>" for c, v in enumerate(vals))
        rows.append(f"<row r=\"{r+1}\">{cells}</row>")
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name=\"Patients\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>")
        z.writestr("xl/sharedStrings.xml", "<sst>" + "".join(f"<si><t>{v}</t></si>" for v in sst) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "".join(rows) + "</sheetData></worksheet>")
    return b.getvalue()
for i in range(100):
    open(f"{out}/export{i}.csv", "w").write(csv_text(400))
for i in range(80):
    objs = [dict(zip(hdr, row(k))) for k in range(300)]
    open(f"{out}/api{i}.json", "w").write(json.dumps(objs, indent=1))
for i in range(60):
    body = "".join(f"<p>{p}</p>\n" for p in prose(200))
    open(f"{out}/page{i}.html", "w").write(f"<!DOCTYPE html><html><head><title>News</title><script>var x=1;</script></head><body><img alt=\"Volunteer day\" src=a.png>{body}</body></html>")
for i in range(60):
    open(f"{out}/draft{i}.docx", "wb").write(docx(prose(300)))
for i in range(40):
    open(f"{out}/list{i}.xlsx", "wb").write(xlsx(400))
for i in range(40):
    open(f"{out}/post{i}.md", "w").write("\n\n".join(prose(300)))
for i in range(20):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", csv_text(300)); z.writestr("b.docx", docx(prose(100)))
    open(f"{out}/bundle{i}.zip", "wb").write(b.getvalue())
