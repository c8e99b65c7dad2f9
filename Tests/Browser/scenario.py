#!/usr/bin/env python3
"""The web app in a real browser: Debian's chromium driven by selenium.

Builds a history of two weekly runs of the demo district, adds accounts, starts
`mayak serve` on a free loopback port and walks through a week's work:

  1. a class teacher signs in, opens the week's list, accepts one alert and assigns
     another, adopts the suggested plan with one step dropped and one added, signs out;
  2. the deputy head of the school signs in and sees the teacher's actions in the
     alerts' history, and the plan among the school's plans;
  3. the department opens the district and the plans of the school, changes a rule's
     parameter, sees what it would change, applies it as a new version with a comment and
     reruns the district's scan from the browser, watching its progress;
  4. the administrator adds a deputy head, who then signs in.

Every page is checked for console errors (a Content-Security-Policy violation is one) and
saved as a screenshot in --screenshots. Exit 0 when every step held, 1 with the step that
failed otherwise, 2 when the browser or selenium is missing.

  python3 Tests/Browser/scenario.py --mayak .build/release/mayak --screenshots shots
"""

import argparse
import traceback
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

os.environ.setdefault("SE_AVOID_STATS", "true")  # selenium would report usage to an outside host

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.access(p, os.X_OK)), None)
DRIVER = next((p for p in ("/usr/bin/chromedriver",) if os.access(p, os.X_OK)), None)

SCHOOL = "SH02"
CLASS = "SH02-7А"
PASSWORD = "демо-пароль-для-проверки"


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def run(mayak, *args, stdin=None, cwd=None):
    p = subprocess.run([mayak, *args], input=stdin, capture_output=True, text=True, cwd=cwd)
    if p.returncode != 0:
        raise Failed(f"mayak {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
    return p.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Scenario:
    def __init__(self, mayak, rules, work, shots):
        self.mayak, self.rules, self.work, self.shots = mayak, rules, work, shots
        self.step = 0
        self.server = None
        self.driver = None

    # -- setting up ---------------------------------------------------------------------

    def prepare(self):
        db = os.path.join(self.work, "history.sqlite")
        for week, as_of in (("week1", "2026-03-06"), ("week2", "2026-03-13")):
            out = os.path.join(self.work, week)
            run(self.mayak, "generate", "--out", out, "--as-of", as_of)
            run(self.mayak, "scan", out, "--db", db, "--rules", self.rules)
        with open(os.path.join(self.work, "week2", "classes.csv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split(",") for line in f]
        self.teacher = next(r[4] for r in rows if r[0] == CLASS)
        for login, args in (
            ("teacher", ["--role", "teacher", "--school", SCHOOL, "--class", CLASS, "--name", self.teacher]),
            ("deputy", ["--role", "deputy", "--school", SCHOOL, "--name", "Завучева Ольга Петровна"]),
            ("department", ["--role", "department", "--name", "Отдел образования"]),
            ("admin", ["--role", "admin", "--name", "Администратор"]),
        ):
            run(self.mayak, "users", "add", login, *args, "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log = open(os.path.join(self.work, "server.log"), "w")
        self.server = subprocess.Popen(
            [self.mayak, "serve", "--db", db, "--snapshot", os.path.join(self.work, "week2"), "--rules", self.rules,
             "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(self.base + "/login", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.server.poll() is not None:
                raise Failed(f"mayak serve exited {self.server.returncode}")
            if time.monotonic() > deadline:
                raise Failed("mayak serve did not answer within 120 s")
            time.sleep(0.2)  # polling for the server to listen, not timing anything

    def open_browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1280,1000",
                  "--lang=ru-RU", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
            options.add_argument(a)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        self.driver.set_page_load_timeout(60)

    def close(self):
        if self.driver:
            self.driver.quit()
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()

    # -- the browser ----------------------------------------------------------------------

    def css(self, selector):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector):
        found = self.css(selector)
        check(found, f"{self.driver.current_url}: nothing matches {selector}")
        return found[0]

    def text(self):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, "body").text

    def go(self, path):
        self.driver.get(self.base + path)

    def click_through(self, element):
        """Clicks what leads to another page and waits until that page has replaced this one
        (a click returns before the browser has loaded what it asked for)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.common.exceptions import WebDriverException
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_):
            # Gone: selenium says stale, or chromium, mid-navigation, that the node "does not
            # belong to the document" (expected_conditions.staleness_of lets that one through).
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True
        WebDriverWait(self.driver, 60).until(replaced)
        WebDriverWait(self.driver, 60).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def shot(self, name):
        """Checks the page for console errors and saves it whole."""
        errors = [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        check(not errors, f"{self.driver.current_url}: console errors: {errors}")
        self.step += 1
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1280, max(800, min(int(height), 8000)))
        path = os.path.join(self.shots, f"{self.step:02d}-{name}.png")
        self.driver.save_screenshot(path)
        self.driver.set_window_size(1280, 1000)
        print(f"  {self.step:2d}. {name}: {self.driver.current_url} → {path}")

    def sign_in(self, login):
        self.go("/login")
        self.one("input[name=login]").send_keys(login)
        self.one("input[name=password]").send_keys(PASSWORD)
        self.click_through(self.one("section.login button"))
        check("/login" not in self.driver.current_url, f"{login} could not sign in: {self.text()[:300]}")

    def sign_out(self):
        self.click_through(self.one("header form[action='/logout'] button"))
        check(self.driver.current_url.endswith("/login"), "signing out did not lead to the sign-in page")
        self.go("/plans")
        check(self.driver.current_url.endswith("/login"), "after signing out a page still opened")

    def triage(self, form_selector, box, action, detail=None):
        from selenium.webdriver.support.ui import Select
        box.click()
        form = self.one(form_selector)
        Select(form.find_element("css selector", "select[name=action]")).select_by_value(action)
        if detail:
            field = form.find_element("css selector", "input[name=detail]")
            field.clear()
            field.send_keys(detail)
        self.click_through(form.find_element("css selector", "fieldset.triage button"))

    # -- the week -------------------------------------------------------------------------

    def teacher_works_the_list(self):
        self.sign_in("teacher")
        check(f"/classes/{CLASS}" in urllib.request.unquote(self.driver.current_url),
              f"the teacher landed on {self.driver.current_url}, not the class list")
        page = self.text()
        check("7А класс" in page and "Новых на этой неделе" in page, "the class list has no heading or counts")
        self.shot("teacher-week-list")

        box = self.one("#bulk input[type=checkbox][name=id]")
        self.accepted = box.get_attribute("value")
        self.triage("#bulk", box, "acknowledge")
        check("Готово: принято в работу — 1 предупреждение." in self.text(), "no notice after accepting an alert")
        self.shot("teacher-accepted")

        self.go("/classes/" + urllib.request.quote(CLASS))
        link = self.one("#bulk a[href^='/pupils/']")
        self.pupil = link.get_attribute("href").rsplit("/", 1)[1]
        self.pupil_name = link.text
        self.click_through(link)
        check(self.pupil_name in self.one("h1").text, "the pupil page is not the pupil's")
        boxes = [b for b in self.css("article.alert input[name=id]") if b.get_attribute("value") != self.accepted]
        check(boxes, "the pupil has no second alert to assign")
        self.assigned = boxes[0].get_attribute("value")
        self.triage("section form[action='/triage']", boxes[0], "assign", self.teacher)
        check("Готово: назначено — 1 предупреждение." in self.text(), "no notice after assigning an alert")
        check(f"→ {self.teacher}" in self.text(), "the alert does not show whom it is assigned to")
        self.shot("teacher-assigned")

    def teacher_adopts_a_plan(self):
        form = self.one("form.adopt")
        keeps = form.find_elements("css selector", "input[type=checkbox][name^=keep_]")
        check(len(keeps) >= 2, "the suggestion has fewer than two steps")
        self.dropped = form.find_element("css selector", "textarea[name=action_0]").get_attribute("value")
        self.kept = form.find_element("css selector", "textarea[name=action_1]").get_attribute("value")
        keeps[0].click()  # left out
        k = len(keeps)  # the first blank row
        self.added = "Встреча с родителями: режим дня и подготовка к урокам"
        form.find_element("css selector", f"textarea[name=action_{k}]").send_keys(self.added)
        form.find_element("css selector", f"textarea[name=role_{k}]").send_keys("классный руководитель")
        form.find_element("css selector", f"input[name=who_{k}]").send_keys(self.teacher)
        due = form.find_element("css selector", f"input[name=due_{k}]")
        self.due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
        self.driver.execute_script("arguments[0].value = arguments[1]", due, self.due)
        self.shot("teacher-plan-form")
        self.click_through(form.find_element("css selector", "button"))
        page = self.text()
        check("принят." in page and "План №" in page, f"no notice after adopting the plan: {page[:400]}")
        plan = self.one("#plan table").text
        check(self.added in plan, "the added step is not in the plan")
        check(self.kept in plan, "a kept step is missing from the plan")
        check(f"Исключено из предложенного: «{self.dropped}»" in self.text(), "the dropped step is not named")
        self.plan_href = self.one("#plan a[href^='/plans/']").get_attribute("href")
        self.shot("teacher-plan-adopted")
        self.driver.get(self.plan_href)
        check("Индивидуальный образовательный маршрут №" in self.text(), "the printable plan has no title")
        check(f"классный руководитель, {self.teacher}" in self.text(), "the printable plan does not name the teacher")
        self.shot("teacher-plan-printable")
        self.sign_out()

    def deputy_sees_the_teachers_work(self):
        self.sign_in("deputy")
        check(f"/schools/{SCHOOL}" in self.driver.current_url, "the deputy head did not land on the school list")
        check("Моя школа" in self.text() or "СОШ № 2" in self.text(), "the school list has no heading")
        self.shot("deputy-school-list")
        for alert, kind in ((self.accepted, "принято в работу"), (self.assigned, "назначено")):
            self.go("/alerts/" + alert)
            history = " ".join(e.text for e in self.css("ol.events li"))
            check(kind in history and self.teacher in history,
                  f"alert {alert}: the history does not show the teacher's «{kind}»: {history!r}")
        self.shot("deputy-alert-history")
        self.go("/plans")
        check(self.pupil_name in self.text(), "the school's plans do not list the teacher's plan")
        self.shot("deputy-plans")
        self.sign_out()

    def department_sees_the_district(self):
        self.sign_in("department")
        check("/district" in self.driver.current_url, "the department did not land on the district page")
        self.shot("department-district")
        self.go(f"/plans?school={SCHOOL}")
        check(self.pupil_name in self.text(), "the department does not see the school's plan")
        self.shot("department-plans")
        self.go("/district/rules")
        field = self.one("input[name='p.na-risk.min_marks']")
        check(field.get_attribute("value") == "3", "na-risk.min_marks is not shown at 3")
        field.clear()
        field.send_keys("1")
        self.click_through(self.one("form[action^='/district/rules'] > button"))
        preview = self.one("section.preview").text
        check("na-risk.min_marks: 3 → 1" in preview and "Снимется:" in preview,
              f"no preview of the change: {preview[:300]}")
        self.shot("department-rule-preview")
        # Applied as a new version with a reason, then the district's scan rerun from the browser.
        form = self.one("form.apply")
        form.find_element("css selector", "input[name=comment]").send_keys("одной отметки хватает для проверки")
        self.click_through(form.find_element("css selector", "button"))
        check("Параметры применены: версия №1" in self.text(), f"not applied: {self.text()[:300]}")
        check("одной отметки хватает" in self.one("table.list").text, "the version's comment is not shown")
        self.shot("department-rules-applied")
        self.go("/district/scan")
        self.click_through(self.one("form[action='/district/scan'] button"))
        from selenium.webdriver.support.ui import WebDriverWait

        def recorded(driver):
            try:
                return "записан" in self.text()
            except Exception:  # the page is between two of its refreshes
                return False
        WebDriverWait(self.driver, 120).until(recorded)
        check("Прогон №" in self.text(), f"no run recorded: {self.text()[:300]}")
        self.shot("department-rerun-done")
        self.sign_out()

    def admin_adds_an_account(self):
        from selenium.webdriver.support.ui import Select
        self.sign_in("admin")
        check(self.driver.current_url.endswith("/admin/users"), "the administrator did not land on the accounts")
        form = self.one("form.new-account")
        form.find_element("css selector", "input[name=login]").send_keys("petrova")
        form.find_element("css selector", "input[name=name]").send_keys("Петрова Ольга Ивановна")
        Select(form.find_element("css selector", "select[name=role]")).select_by_value("deputy")
        Select(form.find_element("css selector", "select[name=school]")).select_by_value(SCHOOL)
        for name in ("password", "password2"):
            form.find_element("css selector", f"input[name={name}]").send_keys(PASSWORD)
        self.click_through(form.find_element("css selector", "button"))
        check("Учётная запись petrova создана." in self.text(), f"no notice after adding an account: {self.text()[:300]}")
        record = " ".join(r.text for r in self.css("table.list tr"))
        check("Администратор (admin) petrova создана" in record, "the account's creation is not on record")
        self.shot("admin-accounts")
        self.sign_out()
        self.sign_in("petrova")
        check(f"/schools/{SCHOOL}" in self.driver.current_url, "the new deputy head did not land on the school list")
        self.sign_out()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mayak", required=True, help="the mayak binary")
    ap.add_argument("--rules", required=True, help="the rules folder")
    ap.add_argument("--screenshots", required=True, help="where the screenshots go (created)")
    args = ap.parse_args()
    missing = []
    if not CHROMIUM:
        missing.append("chromium (apt-get install -y --no-install-recommends chromium)")
    if not DRIVER:
        missing.append("chromedriver (apt-get install -y --no-install-recommends chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (python3 -m pip install selenium)")
    if missing:
        print("browser scenario NOT RUN: missing " + "; ".join(missing), file=sys.stderr)
        return 2
    os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="mayak-browser-")
    s = Scenario(os.path.abspath(args.mayak), os.path.abspath(args.rules), work, os.path.abspath(args.screenshots))
    try:
        s.prepare()
        s.open_browser()
        for step in (s.teacher_works_the_list, s.teacher_adopts_a_plan, s.deputy_sees_the_teachers_work,
                     s.department_sees_the_district, s.admin_adds_an_account):
            print(step.__name__.replace("_", " "))
            step()
        print(f"browser scenario passed: {s.step} pages, screenshots in {args.screenshots}")
        return 0
    except Exception as e:  # a failed check, or selenium not finding what a step needs
        if s.driver:
            try:
                s.driver.save_screenshot(os.path.join(args.screenshots, "failed.png"))
            except Exception:
                pass
        traceback.print_exc()  # where it failed, for the CI log
        print(f"browser scenario FAILED: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
              file=sys.stderr)
        try:
            with open(os.path.join(work, "server.log"), encoding="utf-8") as f:
                print("server log:\n" + f.read()[-3000:], file=sys.stderr)
        except OSError:
            pass
        return 1
    finally:
        s.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
