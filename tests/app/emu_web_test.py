#!/usr/bin/env python3
"""tender-emu --web, driven for real in headless Chromium (Debian's chromium, chromium-driver
and python3-selenium): a chip sale with PIN, a swipe sale from the card set, a swipe of raw
track data, a cancel at the card prompt and a referenced refund (after settling the batch), all
through the page's buttons; the display's outcomes, the receipts and the host messages are read
off the page. Then the 320x240 display on another host. The page (its HTML and its text) and the
raw event stream never hold a test card's full PAN, the raw track data typed in, or the PIN.
Screenshots land in OUTDIR, their paths printed.

  usage: emu_web_test.py PATH_TO_TENDER_EMU OUTDIR [PATH_TO_TENDER_HOSTSIM]

With tender-hostsim, a last chip sale on the host of a terminal configuration (--config): its
host messages on the page carry the host's answers.

Exit 77 (ctest's SKIP_RETURN_CODE) when chromium, chromedriver or selenium is missing, unless
CI=true, where that is a failure. Every wait is bounded; the emulator and the browser are
stopped on the way out, whatever happens.
"""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The test cards' PANs (chip cards' track 2 equivalent data, the stripe-only cards, the raw
# track typed in) and the PIN: none may appear on the page.
PANS = ["4761739001010010", "5413330089020011", "4111111111111111", "5555555555554444"]
PIN = "1234"
RAW_TRACKS = "%B5555555555554444^STRIPE/TEST CARD^3012101000000000000?;5555555555554444=30121010000000000000?"
WAIT = 60  # seconds, for any one thing to appear (Debug builds under ASan are slow)


def skip_or_fail(why):
    if os.environ.get("CI") == "true":
        print(f"emu_web: {why} (CI=true: a failure; scripts/setup installs it)")
        return 1
    print(f"emu_web: SKIP: {why} (apt-get install chromium chromium-driver python3-selenium)")
    return 77


class Failure(Exception):
    pass


def main():
    if len(sys.argv) not in (3, 4):
        print("usage: emu_web_test.py PATH_TO_TENDER_EMU OUTDIR [PATH_TO_TENDER_HOSTSIM]")
        return 2
    emu, outdir = sys.argv[1], sys.argv[2]
    hostsim = sys.argv[3] if len(sys.argv) == 4 else None
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            return skip_or_fail(f"{tool} is not installed")
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        # Debian's python3-selenium is for Debian's python3; another python3 may come first
        # on PATH (pyenv, a venv).
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK):
            os.execv(system, [system] + sys.argv)
        return skip_or_fail("python3-selenium is not installed")
    os.makedirs(outdir, exist_ok=True)
    state = tempfile.mkdtemp(prefix="emu-web-")
    proc = None
    driver = None
    try:
        proc = subprocess.Popen([emu, "--web", "127.0.0.1:0", "--host", "aurora", "--state-dir", state],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        port = read_port(proc)
        check_refusals(emu)
        driver = start_browser()
        run_page(driver, port, outdir)
        check_event_stream(port)
        stop(proc)
        # The 320x240 display, on another host: its 40x15 grid on the page, a sale begun and
        # cancelled.
        shutil.rmtree(state, ignore_errors=True)
        proc = subprocess.Popen([emu, "--web", "localhost:0", "--host", "fullstack", "--display", "320x240",
                                 "--state-dir", state], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        run_qvga(driver, read_port(proc), outdir)
        stop(proc)
        if hostsim:
            sim = subprocess.Popen([hostsim, "--port", "0", "--state-dir", os.path.join(state, "sim")],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            try:
                config = write_config(state, read_sim_port(sim))
                proc = subprocess.Popen([emu, "--web", "127.0.0.1:0", "--config", config, "--state-dir",
                                         os.path.join(state, "emu")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
                run_configured(driver, read_port(proc))
                stop(proc)
            finally:
                sim.kill()
                sim.wait(timeout=10)
        print("emu_web: PASS")
        return 0
    except Failure as e:
        print(f"emu_web: FAIL: {e}")
        if driver is not None:
            shot = os.path.join(outdir, "emu_web_failure.png")
            try:
                driver.save_screenshot(shot)
                print(f"emu_web: screenshot of the failure: {shot}")
                print("emu_web: the display was:\n" + driver.find_element("id", "display").text)
            except Exception as shot_error:  # the browser may be what failed
                print(f"emu_web: no screenshot: {shot_error}")
        return 1
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(state, ignore_errors=True)


def stop(proc):
    """SIGTERM stops the emulator cleanly: exit 0."""
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    if code != 0:
        raise Failure(f"tender-emu exited {code} on SIGTERM: {proc.stderr.read()[-2000:]}")


def run_qvga(driver, port, outdir):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def rows():
        return driver.execute_script("return document.getElementById('display').textContent").split("\n")

    def wait_for(what, check):
        try:
            WebDriverWait(driver, WAIT, poll_frequency=0.2).until(lambda d: check())
        except TimeoutException:
            raise Failure(f"320x240: timed out waiting for {what}; the display showed {rows()!r}") from None

    driver.get(f"http://127.0.0.1:{port}/")
    wait_for("the idle screen", lambda: any("WELCOME" in r for r in rows()))
    if "size-320x240" not in driver.find_element(By.ID, "display").get_attribute("class"):
        raise Failure("320x240: the page does not draw a 320x240 display")
    if len(rows()) != 15 or any(len(r) != 40 for r in rows()):
        raise Failure(f"320x240: not a 40x15 grid: {rows()!r}")
    if not any("FULLSTACK" in r for r in rows()):
        raise Failure("320x240: the idle screen does not name the host chosen")
    driver.find_element(By.CSS_SELECTOR, 'button[data-key="F1"]').click()
    wait_for("the amount entry", lambda: any("AMOUNT" in r for r in rows()))
    driver.find_element(By.CSS_SELECTOR, 'button[data-key="CANCEL"]').click()
    wait_for("the idle screen again", lambda: any("WELCOME" in r for r in rows()))
    shot = os.path.join(outdir, "emu_web_320x240.png")
    driver.save_screenshot(shot)
    print(f"emu_web: screenshot of the 320x240 display: {shot}")


def read_sim_port(sim):
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        ready, _, _ = select.select([sim.stdout], [], [], 0.5)
        if ready:
            m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", sim.stdout.readline())
            if not m:
                break
            return int(m.group(1))
    raise Failure("tender-hostsim did not start")


def write_config(state, port):
    path = os.path.join(state, "terminal.json")
    with open(path, "w") as f:
        f.write(f"""{{ "terminal_id": "TENDER01",
  "merchant": {{"name": "TENDER TEST STORE", "merchant_id": "MID0001"}},
  "currency": "USD", "state_dir": "{state}/state", "device_key": "test",
  "host": {{"kind": "aurora", "url": "https://127.0.0.1:{port}", "ca_file": "{state}/sim/ca.pem",
           "server_name": "localhost",
           "aurora": {{"client_id": "tender-test", "client_secret": "tender-test-secret",
                      "payment_processor_id": "proc-1"}}}} }}""")
    return path


def run_configured(driver, port):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text(element_id):
        return driver.find_element(By.ID, element_id).text

    def wait_for(what, check):
        try:
            WebDriverWait(driver, WAIT, poll_frequency=0.2).until(lambda d: check())
        except TimeoutException:
            raise Failure(f"configured host: timed out waiting for {what}; the display showed {text('display')!r}") from None

    def key(*names):
        for name in names:
            driver.find_element(By.CSS_SELECTOR, f'button[data-key="{name}"]').click()

    driver.get(f"http://127.0.0.1:{port}/")
    wait_for("the idle screen", lambda: "WELCOME" in text("display") and "CONFIGURED" in text("host"))
    key("F1", "2", "5", "0", "0")
    wait_for("the amount", lambda: "USD 25.00" in text("display"))
    key("ENTER")
    wait_for("the card prompt", lambda: "INSERT" in text("display"))
    driver.find_element(By.ID, "insert-visa_online_pin").click()
    wait_for("the PIN prompt", lambda: "ENTER PIN" in text("display"))
    key(*PIN)
    wait_for("four asterisks", lambda: text("pin-mask") == "****")
    key("ENTER")
    wait_for("the approval", lambda: "APPROVED" in text("display"))
    # The terminal's own log of the exchange: the request and the host's answer.
    wait_for("the sale and its answer", lambda: "POST /pay-api/v1/transactions/sale -> 200" in text("messages"))
    html = driver.page_source
    for secret in PANS:
        if secret in html:
            raise Failure("configured host: a clear PAN on the page")
    print("emu_web: chip sale on a configured host (tender-hostsim) approved, its answer on the page")


def read_port(proc):
    """The first line on stdout: 'listening on http://127.0.0.1:PORT/'."""
    end = time.monotonic() + WAIT
    line = ""
    while time.monotonic() < end and not line.endswith("\n"):
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            chunk = proc.stdout.readline()
            if not chunk:
                break
            line += chunk
    m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/\n", line)
    if not m:
        raise Failure(f"tender-emu did not say where it listens (stdout {line!r}, exit {proc.poll()})")
    return int(m.group(1))


def check_refusals(emu):
    """A non-loopback address is refused, with a usage error (exit 2)."""
    for bad in ("0.0.0.0:8080", "192.0.2.1:0", "example.com:80", "127.0.0.1:99999", "127.0.0.1:x"):
        r = subprocess.run([emu, "--web", bad], capture_output=True, text=True, timeout=WAIT)
        if r.returncode != 2 or "--web" not in r.stderr:
            raise Failure(f"--web {bad}: exit {r.returncode}, stderr {r.stderr!r}")


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1000", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def run_page(driver, port, outdir):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text(element_id):
        return driver.find_element(By.ID, element_id).text

    def wait_for(what, check, limit=WAIT):
        try:
            WebDriverWait(driver, limit, poll_frequency=0.2).until(lambda d: check())
        except TimeoutException:
            seen = driver.execute_script("return (window.screens || []).slice(-8)")
            raise Failure(f"timed out waiting for {what}; the last screens were {seen!r}") from None

    def display_shows(pattern, limit=WAIT):
        wait_for(f"/{pattern}/ on the display", lambda: re.search(pattern, text("display")), limit)

    def key(*names):
        for name in names:
            driver.find_element(By.CSS_SELECTOR, f'button[data-key="{name}"]').click()

    def click(element_id):
        driver.find_element(By.ID, element_id).click()

    def no_card_data(where):
        html = driver.page_source
        page = driver.find_element(By.TAG_NAME, "body").text
        for secret in PANS + [RAW_TRACKS]:
            if secret in html or secret in page:
                raise Failure(f"{where}: a clear PAN or track data on the page")
        # The PIN as a number of its own (the amount 12.34, or a longer reference, is not it).
        if re.search(rf"(?<![0-9]){PIN}(?![0-9])", html + page):
            raise Failure(f"{where}: the PIN on the page")

    def idle():
        display_shows("WELCOME")
        wait_for("the idle screen", lambda: driver.find_element(By.ID, "display").get_attribute("data-screen") == "idle")

    def sale(amount_keys, shown):
        key("F1")
        display_shows("AMOUNT")
        key(*amount_keys)
        display_shows(re.escape(shown))
        key("ENTER")
        display_shows("INSERT")

    driver.get(f"http://127.0.0.1:{port}/")
    # Every screen the display shows, for the failure message (an outcome stays up 3 s only).
    driver.execute_script(
        "window.screens = [];"
        "new MutationObserver(() => window.screens.push(document.getElementById('display').textContent))"
        ".observe(document.getElementById('display'), {childList: true, characterData: true, subtree: true});")
    wait_for("the page to connect", lambda: text("conn") == "connected")
    display_shows("WELCOME")
    wait_for("the card set", lambda: driver.find_elements(By.ID, "insert-visa_online_pin"))
    if not driver.find_element(By.ID, "insert-visa_stripe_only").get_attribute("disabled"):
        raise Failure("a stripe-only card can be inserted")

    # 1. A chip sale with online PIN, the PIN typed on the page's PIN pad.
    sale(["1", "2", "3", "4"], "USD 12.34")
    click("insert-visa_online_pin")
    wait_for("the PIN pad", lambda: driver.find_element(By.ID, "pinpad").is_displayed())
    display_shows("ENTER PIN")
    key(*PIN)
    wait_for("four asterisks on the PIN pad", lambda: text("pin-mask") == "****")
    display_shows(r"\*\*\*\*")
    no_card_data("PIN entry")
    key("ENTER")
    display_shows("APPROVED")
    wait_for("the chip sale's receipt", lambda: "476173******0010" in text("receipt"))
    if "A0000000031010" not in text("receipt"):
        raise Failure("the receipt on the page is not the printed one (its AID)")
    wait_for("the sale at the host", lambda: "/pay-api/v1/transactions/sale" in text("messages"))
    shot = os.path.join(outdir, "emu_web_chip_sale.png")
    driver.save_screenshot(shot)
    print(f"emu_web: screenshot of the chip sale: {shot}")
    idle()
    no_card_data("chip sale")
    print("emu_web: chip sale with PIN approved")

    # 2. A swipe sale: the stripe-only test card from the card set.
    printed = text("printed")
    sale(["5", "0", "0"], "USD 5.00")
    click("swipe-visa_stripe_only")
    display_shows("APPROVED|SIGN")
    if "SIGN" in text("display"):
        key("ENTER")
        display_shows("APPROVED")
    wait_for("the swipe sale's receipt", lambda: "411111******1111" in text("receipt") and text("printed") != printed)
    idle()
    no_card_data("swipe sale")
    print("emu_web: swipe sale approved")

    # 3. A swipe of raw track data typed into the page (a password field, cleared once sent).
    sale(["6", "0", "0"], "USD 6.00")
    driver.find_element(By.ID, "tracks").send_keys(RAW_TRACKS)
    click("swipe-tracks")
    display_shows("APPROVED|SIGN")
    if "SIGN" in text("display"):
        key("ENTER")
        display_shows("APPROVED")
    wait_for("the raw swipe's receipt", lambda: "555555******4444" in text("receipt"))
    if driver.find_element(By.ID, "tracks").get_attribute("value"):
        raise Failure("the track field still holds the track data")
    idle()
    no_card_data("raw track swipe")
    print("emu_web: raw track swipe approved")

    # 4. CANCEL at the card prompt.
    requests = text("message-count")
    sale(["7", "0", "0"], "USD 7.00")
    key("CANCEL")
    display_shows("CANCEL")
    idle()
    if text("message-count") != requests:
        raise Failure("a cancelled sale reached the host")
    print("emu_web: cancel at the card prompt")

    # 5. A refund by reference: the host returns settled sales only, so MENU, 0 SETTLE BATCH
    # first (its report is printed); then MENU, 2 REFUND, the newest sale, 1.00 of it.
    click("key-MENU")
    display_shows("MENU")
    key("0", "ENTER")
    display_shows("BATCH SETTLED")
    wait_for("the settlement report", lambda: "SETTLEMENT REPORT" in text("receipt") or "SALE x" in text("receipt"))
    idle()
    click("key-MENU")
    display_shows("REFUND")
    key("2", "ENTER")
    display_shows("PICK FOR REFUND")
    key("ENTER")
    display_shows("AMOUNT|REFUND")
    key("CLEAR", "1", "0", "0")
    display_shows(re.escape("USD 1.00"))
    key("ENTER")
    display_shows("APPROVED")
    wait_for("the refund at the host", lambda: "/pay-api/v1/transactions/return" in text("messages"))
    wait_for("the refund's receipt", lambda: "REFUND" in text("receipt") or "RETURN" in text("receipt"))
    idle()
    no_card_data("refund")
    print("emu_web: referenced refund approved")

    shot = os.path.join(outdir, "emu_web.png")
    driver.save_screenshot(shot)
    print(f"emu_web: screenshot: {shot}")


def check_event_stream(port):
    """The raw stream the page reads holds no card data either (not only what the page shows)."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as s:
        s.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        end = time.monotonic() + WAIT
        while b"\ndata: " not in data or not data.endswith(b"\n\n"):
            if time.monotonic() > end:
                raise Failure("no event on /events")
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    text = data.decode("utf-8", "replace")
    if "text/event-stream" not in text or '"receipt"' not in text:
        raise Failure("/events is not the emulator's state stream")
    for secret in PANS + [RAW_TRACKS]:
        if secret in text:
            raise Failure("card data on /events")
    # A page elsewhere (a rebound DNS name) is refused.
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n")
        answer = s.recv(4096).decode("latin-1")
    if not answer.startswith("HTTP/1.1 403"):
        raise Failure(f"a foreign Host was not refused: {answer[:40]!r}")


if __name__ == "__main__":
    sys.exit(main())
