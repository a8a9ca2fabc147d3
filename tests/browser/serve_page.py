#!/usr/bin/env python3
"""The `phiscan serve` page in a real browser: headless Chromium driven by Selenium.

Starts the given phiscan binary (`serve --addr 127.0.0.1:0`) in an empty folder, opens the page,
and does what a communications person would: pastes a draft that names a patient with a
diagnosis and sees "Do not post" with the names highlighted (a clinician marked as staff),
copies the safe version, pastes it back and a fresh safe draft and sees "Safe to post", opens a
CSV file through the file picker, marks a finding as fine, and checks the page on a narrow
window. Screenshots of the breach and safe states are written to the folder given and checked
to be non-blank. The browser console must show no error (a Content-Security-Policy violation
would). Every draft here is synthetic.

Usage: serve_page.py --binary PATH --screenshots DIR
Needs: Debian's chromium and chromium-driver, and the `selenium` package. Exit 0 on success.
"""

import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("PHISCAN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PHISCAN_CHROMEDRIVER", "/usr/bin/chromedriver")

BREACH_DRAFT = (
    "Wonderful news from our oncology floor!\n"
    "Oswin Thackeray, 58, was treated for lung cancer here in March and rang the bell on Friday.\n"
    "Dr. Ravindra Okonkwo-Pell, our oncologist, says the whole team is proud.\n"
)
SAFE_DRAFT = (
    "Join us this Saturday for free flu shots at the north entrance.\n"
    "Our volunteers will have coffee and warm socks for everyone who stops by.\n"
)
CSV_EXPORT = "patient,age,condition\nMarisela Brandquist,47,type 2 diabetes\n"


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def start_server(binary, workdir):
    """Starts `phiscan serve` on a free loopback port; returns (process, url)."""
    env = dict(os.environ, HOME=workdir, XDG_CONFIG_HOME=workdir, TMPDIR=workdir)
    env.pop("PHISCAN_CONFIG", None)
    proc = subprocess.Popen(
        [os.path.abspath(binary), "serve", "--addr", "127.0.0.1:0"],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    fail("phiscan serve did not print its address: " + proc.stderr.read())


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=1280,1000",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def verdict(driver):
    return driver.find_element(By.ID, "verdict-title").text


def wait_checked(driver, timeout=20):
    """Waits until the verdict and highlights describe the text in the draft box."""
    try:
        WebDriverWait(driver, timeout).until(
            lambda d: "checking" not in d.find_element(By.ID, "verdict").get_attribute("class")
            and "stale" not in d.find_element(By.ID, "checked").get_attribute("class")
        )
    except Exception:
        fail("the page never finished checking (verdict %r)" % verdict(driver))


def wait_verdict(driver, expected, timeout=20):
    try:
        WebDriverWait(driver, timeout).until(
            lambda d: expected in verdict(d) and "checking" not in d.find_element(By.ID, "verdict").get_attribute("class")
        )
    except Exception:
        fail("expected a verdict with %r, got %r" % (expected, verdict(driver)))


def clipboard_write(driver, text):
    err = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.writeText(arguments[0]).then(() => done(null), e => done(String(e)));",
        text,
    )
    if err:
        fail("could not put the draft on the clipboard: " + err)


def clipboard_read(driver):
    got = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(t => done({text: t}), e => done({error: String(e)}));"
    )
    if "error" in got:
        fail("could not read the clipboard: " + got["error"])
    return got["text"]


def paste(driver, text):
    """Replaces the draft by pasting `text` from the clipboard (Ctrl+V), as a person would."""
    box = driver.find_element(By.ID, "draft")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    clipboard_write(driver, text)
    box.send_keys(Keys.CONTROL, "v")
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "draft").get_attribute("value") == text)


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes); returns (w, h, rows)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                fail("%s: unexpected PNG format (depth %d, colour %d)" % (path, depth, colour))
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def check_not_blank(path):
    """Fails unless the screenshot has many colours and a fair share of non-background pixels."""
    width, height, channels, rows = png_pixels(path)
    if width < 300 or height < 300:
        fail("%s is only %dx%d" % (path, width, height))
    colours, counts = set(), {}
    for y in range(0, height, 3):
        row = rows[y]
        for x in range(0, width * channels, 3 * channels):
            px = row[x : x + 3]
            colours.add(px)
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    background = max(counts.values()) / total
    if len(colours) < 16 or background > 0.97:
        fail("%s looks blank: %d colours, %.0f%% one colour" % (path, len(colours), background * 100))
    return len(colours), background


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--screenshots", required=True)
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            fail(tool + " is missing: apt-get install chromium chromium-driver")
    # Selenium must use the system's driver and browser, never download one.
    os.environ["SE_OFFLINE"] = "true"

    with tempfile.TemporaryDirectory(prefix="phiscan-serve-") as work, tempfile.TemporaryDirectory(prefix="phiscan-chromium-") as profile:
        proc, url = start_server(args.binary, work)
        driver = None
        try:
            driver = browser(profile)
            origin = url.rstrip("/")
            driver.execute_cdp_cmd(
                "Browser.grantPermissions",
                {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
            )
            driver.get(url)
            WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "draft").is_displayed())
            if "Check a post" not in driver.title:
                fail("unexpected page title " + driver.title)

            # 1. A breach: a patient named with a diagnosis.
            paste(driver, BREACH_DRAFT)
            wait_verdict(driver, "Do not post")
            detail = driver.find_element(By.ID, "verdict-detail").text
            quote = driver.find_element(By.ID, "verdict-quote").text
            if "Oswin Thackeray" not in quote or "lung cancer" not in quote:
                fail("the banner does not quote the breach sentence: %r" % quote)
            marks = driver.find_elements(By.CSS_SELECTOR, "#checked button.mark")
            names = {m.text.replace("STAFF", "").strip(): m.get_attribute("class") for m in marks if m.get_attribute("data-category") == "name"}
            if "sev-high" not in names.get("Oswin Thackeray", ""):
                fail("the patient's name is not highlighted as high: %r" % names)
            staff = [n for n, cls in names.items() if "Okonkwo-Pell" in n]
            if not staff or "staff" not in names[staff[0]]:
                fail("the oncologist is not shown as staff: %r" % names)
            if not any(m.get_attribute("data-category") == "diagnosis" for m in marks):
                fail("the diagnosis is not highlighted")
            reason = next(m for m in marks if m.text.strip() == "Oswin Thackeray").get_attribute("title")
            if "diagnosis" not in reason or "same sentence" not in reason:
                fail("the name's reason does not explain the breach: %r" % reason)
            shot = os.path.join(args.screenshots, "breach.png")
            driver.save_screenshot(shot)
            colours, _ = check_not_blank(shot)
            print("breach state: %s (%d colours); banner: %s" % (shot, colours, detail[:80]))

            # 2. Copy the safe version: identifiers masked, the story kept.
            driver.find_element(By.ID, "copy-safe").click()
            WebDriverWait(driver, 10).until(lambda d: "safe version" in d.find_element(By.ID, "action-status").text.lower())
            copied = clipboard_read(driver)
            shown = driver.find_element(By.ID, "safe-output").get_attribute("value")
            if copied != shown:
                fail("the clipboard does not hold the safe version shown")
            if "Thackeray" in copied or "O**** T********" not in copied or "lung cancer" not in copied:
                fail("the safe version is not masked as expected: %r" % copied)
            if "Okonkwo-Pell" not in copied:
                fail("the safe version masked a staff name: %r" % copied)

            # 3. The safe version, pasted back, is safe to post; so is a fresh safe draft.
            paste(driver, copied)
            wait_verdict(driver, "Safe to post")
            paste(driver, SAFE_DRAFT)
            wait_verdict(driver, "Safe to post")
            shot = os.path.join(args.screenshots, "safe.png")
            driver.save_screenshot(shot)
            colours, _ = check_not_blank(shot)
            print("safe state: %s (%d colours)" % (shot, colours))

            # 4. A file through the same extraction as `phiscan scan`: a CSV row is a breach.
            csv_path = os.path.join(work, "export.csv")
            with open(csv_path, "w") as f:
                f.write(CSV_EXPORT)
            driver.find_element(By.ID, "file").send_keys(csv_path)
            wait_verdict(driver, "Do not post")
            if "export.csv" not in driver.find_element(By.ID, "source").text:
                fail("the page does not say which file it checked")
            if "Marisela Brandquist" not in driver.find_element(By.ID, "draft").get_attribute("value"):
                fail("the file's text is not shown in the draft box")

            # 5. "This is fine" on one finding adds an inline allow note and re-checks.
            paste(driver, "Thank you, Hollis Quennell, for volunteering at the spring bake sale!\n")
            wait_verdict(driver, "Contains identifiers")
            marks = driver.find_elements(By.CSS_SELECTOR, "#checked button.mark[data-category=name]")
            if not marks:
                fail("the volunteer's name is not highlighted")
            marks[0].send_keys(Keys.ENTER)
            WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "detail").is_displayed())
            if driver.switch_to.active_element.get_attribute("id") != "detail-title":
                fail("the finding's details did not take the keyboard focus")
            driver.find_element(By.ID, "detail-fine").click()
            WebDriverWait(driver, 10).until(lambda d: "phiscan:allow" in d.find_element(By.ID, "draft").get_attribute("value"))
            wait_verdict(driver, "Safe to post")
            if "allow-list" not in driver.find_element(By.ID, "action-status").text:
                fail("marking as fine does not explain the allow-list")

            # 6. A narrow window: one column, nothing wider than the screen.
            driver.set_window_size(400, 900)
            time.sleep(0.3)
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                fail("the page is %dpx wider than a narrow window" % overflow)
            shot = os.path.join(args.screenshots, "narrow.png")
            driver.save_screenshot(shot)
            check_not_blank(shot)

            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            if errors:
                fail("the browser console shows errors: %r" % errors)
        finally:
            if driver is not None:
                driver.quit()
            proc.terminate()
            try:
                _, stderr = proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, stderr = proc.communicate()
        for secret in ("Thackeray", "Okonkwo", "Brandquist", "lung cancer"):
            if secret in stderr:
                fail("the server's console shows a checked value: " + stderr)
        leftovers = [n for n in os.listdir(work) if n != "export.csv"]
        if leftovers:
            fail("the server wrote files: %r" % leftovers)
    print("browser test passed")


if __name__ == "__main__":
    main()
