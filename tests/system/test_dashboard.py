"""The positions dashboard: its pages in headless Chromium over a warehouse built by the real flow.

One warehouse is built per module from the sample articles (all of raw/ but one) with the real flow;
`parley dashboard` runs as a subprocess on a free loopback port; Debian's chromium + chromium-driver
(driven by selenium, no browser download) load each page, wait for rows from the warehouse, take a
screenshot (into the test's tmp dir, and into $PARLEY_SCREENSHOT_DIR when set, for review) and check
the visible text against values read straight from the DuckDB file. The last test publishes a new
warehouse with `parley run` while the dashboard is up. The queries' own tests are in
tests/unit/dashboard (a small constructed DuckDB file).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.dashboard import queries as q
from tests.support.paths import RAW, copy_raw

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,2400",
)
ADDED_ARTICLE = "voa-2009-07-23-nk-rejects-talks.json"  # published by the last test while the dashboard is up
FIRST_ARTICLES = sorted(p.name for p in RAW.iterdir() if p.is_file() and p.name not in {"README.md", ADDED_ARTICLE})
WAIT_SECONDS = 60
ARTICLE_COUNT = r"Articles (\d+) Stories"  # the overview's first metric, as visible text
COPY_OF = "voa-2019-01-09-us-china-trade-talks.md"  # republished under another headline (write_syndicated_copy)
REVIEW_DIR = os.environ.get("PARLEY_SCREENSHOT_DIR")  # also copy each screenshot here (for a person to look at)


def norm(text: str) -> str:
    return " ".join(str(text).split())


def rows(serving: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Expected values, read straight from the serving file (independent of flows.dashboard.queries)."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parley_command() -> list[str]:
    script = Path(sys.executable).with_name("parley")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def child_env() -> dict[str, str]:
    """This environment without the test session's Prefect API (a CLI run starts its own), logging steps."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return {**env, "PREFECT_LOGGING_LEVEL": "INFO"}


class Dashboard:
    """`parley dashboard` as a subprocess on a free loopback port."""

    def __init__(self, serving: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.proc = subprocess.Popen(
            [*parley_command(), "dashboard", "--serving", str(serving), "--port", str(self.port)],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            env=child_env(),
        )
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"dashboard exited: {self.log.read_text()}"
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"dashboard not healthy after {WAIT_SECONDS}s: {self.log.read_text()}")

    def open_files(self) -> list[str]:
        """Paths the dashboard process holds open (Linux /proc)."""
        fd_dir = Path(f"/proc/{self.proc.pid}/fd")
        out = []
        for fd in fd_dir.iterdir():
            try:
                out.append(os.readlink(fd))
            except OSError:
                continue
        return out

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def write_syndicated_copy(raw: Path) -> Path:
    """The sample article COPY_OF republished by a wire service: other id, headline, url, date, byline, footer."""
    text = (RAW / COPY_OF).read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    headline = "Wire: US and China end trade talks on an optimistic note"
    front = re.sub(r'(?m)^article_id: ".*"$', 'article_id: "wire-copy-us-china-trade-talks"', front)
    front = re.sub(r'(?m)^title: ".*"$', f'title: "{headline}"', front)
    front = re.sub(r'(?m)^url: ".*"$', 'url: "https://wire.example.org/2019/01/10/us-china-trade-talks"', front)
    front = re.sub(r'(?m)^source: ".*"$', 'source: "Example Wire Service (wire.example.org)"', front)
    front = re.sub(r'(?m)^published_at: ".*"$', 'published_at: "2019-01-10"', front)
    lines = body.strip().split("\n")
    body = "\n".join([headline, "", "By A. Reporter, Example Wire Service", *lines[1:]])
    copy = raw / "wire-copy-us-china-trade-talks.md"
    copy.write_text(
        f"{front}\n---\n\n{body}\n\n(c) 2019 Example Wire Service. All rights reserved.\n", encoding="utf-8"
    )
    return copy


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_api) -> Settings:
    """A serving file built by the real flow from the sample articles and a syndicated copy of one."""
    from flows.pipeline import parley_run

    tmp = tmp_path_factory.mktemp("dashboard")
    raw = copy_raw(tmp / "raw", FIRST_ARTICLES)
    write_syndicated_copy(raw)
    settings = Settings.resolve(raw, tmp / "warehouse" / "parley.duckdb", workers=1)
    summary = parley_run(settings)
    assert summary.published and settings.serving.is_file()
    return settings


@pytest.fixture(scope="module")
def dashboard(warehouse: Settings) -> Iterator[Dashboard]:
    dash = Dashboard(warehouse.serving, warehouse.state_dir / "dashboard.log")
    yield dash
    dash.stop()


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        message = "needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="parley-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


TABLES = '[data-testid="stDataFrame"]'


def table_text(driver) -> str:
    """The cell text of the page's st.dataframe tables (drawn on a canvas; the text is in their a11y table)."""
    from selenium.webdriver.common.by import By

    return norm(" ".join(t.get_attribute("textContent") for t in driver.find_elements(By.CSS_SELECTOR, TABLES)))


def show(
    driver,
    url: str | None,
    expected: list[str],
    shot: Path | None = None,
    pattern: str | None = None,
    in_tables: list[str] = (),
) -> str:
    """Load `url` (None: stay), wait until the app script has finished, every expected text (and
    `pattern`, a regular expression) is visible and every `in_tables` text is in a table; screenshot it.
    Returns the visible text, whitespace collapsed.

    Streamlit draws a page piece by piece, even after its script has finished: wait for what is checked.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wanted = [norm(t) for t in expected]
    tabled = [norm(t) for t in in_tables]
    if url is not None:
        driver.get(url)
    seen = tables = ""

    def ready(d) -> bool:
        nonlocal seen, tables
        seen = norm(d.find_element(By.TAG_NAME, "body").text)
        tables = table_text(d) if tabled else ""
        finished = d.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"][data-test-script-state="notRunning"]')
        return (
            bool(finished)
            and all(t in seen for t in wanted)
            and all(t in tables for t in tabled)
            and (pattern is None or bool(re.search(pattern, seen)))
        )

    try:
        WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.25).until(ready)
    except TimeoutException:
        missing = [t for t in wanted if t not in seen] + [t for t in tabled if t not in tables]
        missing += [pattern] if pattern else []
        raise AssertionError(
            f"{url} never showed {missing}; it showed: {seen[:3000]} / tables: {tables[:2000]}"
        ) from None
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), seen[:3000]
    assert "Page not found" not in seen, seen[:500]
    if shot is not None:
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if REVIEW_DIR:
            Path(REVIEW_DIR).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(REVIEW_DIR) / shot.name)
    return seen


def wait_until(driver, condition, what: str) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.25).until(condition)
    except TimeoutException:
        raise AssertionError(f"timed out waiting for {what}") from None


def choose(driver, option: str) -> None:
    """Pick `option` in the page's first select box, as a person would (type, Enter)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, '[data-testid="stSelectbox"] input')
    box.click()
    box.send_keys(option)
    wait_until(
        driver,
        lambda d: any(o.text == option for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]')),
        f"option {option!r}",
    )
    box.send_keys(Keys.ENTER)


# --- the queries on the real warehouse (their unit tests are in tests/unit/dashboard) ---


def test_queries_agree_with_the_marts_of_a_real_run(warehouse):
    serving = warehouse.serving
    with q.open_serving(serving) as con:
        issues = q.issues(con)
        grid = q.positions_grid(con, max_actors=10_000)
        pairs = q.demands_with_responses(con)
    marts = rows(serving, "select issue_id, n_records, n_articles, n_actors from dim_issues")
    assert sorted(issues[["issue_id", "n_records", "n_stories", "n_actors"]].itertuples(index=False, name=None)) == (
        sorted(marts)
    )
    current = rows(serving, "select actor_id, issue_id, current_stance from positions_current")
    assert sorted(grid[["actor_id", "issue_id", "stance"]].itertuples(index=False, name=None)) == sorted(current)
    linked = rows(serving, "select answers_id, response_id from fct_responses where answers_kind = 'demand'")
    answered = pairs[pairs.response_id.notna()]
    assert sorted(answered[["demand_id", "response_id"]].itertuples(index=False, name=None)) == sorted(linked)


# --- the pages, in headless Chromium ---


def test_overview_is_served_at_the_root_and_at_overview(warehouse, dashboard, browser, shots):
    from selenium.webdriver.common.by import By

    titles = [t for (t,) in rows(warehouse.serving, "select title from dim_articles where title is not null")]
    n_articles, n_stories = rows(warehouse.serving, "select count(*), count(distinct story_id) from dim_articles")[0]
    assert n_stories == n_articles - 1  # the wire copy is one story with its original
    expected = ["Records per type over time", f"Articles {n_articles} Stories {n_stories} Actors", *titles]
    show(browser, dashboard.url, expected, shots / "overview.png")
    urls = {u for (u,) in rows(warehouse.serving, "select url from dim_articles where url like 'http%'")}
    hrefs = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href^='http']")}
    assert urls and urls <= hrefs
    # issue 9: /overview opened "Page not found"
    show(browser, f"{dashboard.url}overview", expected, shots / "overview-path.png")
    assert browser.current_url.rstrip("/").endswith("/overview")


def test_issue_page_groups_actors_by_stance_and_rolls_them_up(warehouse, dashboard, browser, shots):
    serving = warehouse.serving
    # the issue with the most actors among those where a person or group speaks for a state or organisation
    issue_id, label = rows(
        serving,
        """
        select p.issue_id, i.issue_label from fct_positions p join dim_issues i using (issue_id)
        where p.issue_id in (select issue_id from fct_positions where on_behalf_of_actor_id <> actor_id)
        group by all order by count(distinct p.actor_id) desc, p.issue_id limit 1""",
    )[0]
    names = [
        n for (n,) in rows(serving, "select distinct actor_name from fct_positions where issue_id = ?", [issue_id])
    ]
    stances = [s for (s,) in rows(serving, "select distinct stance from fct_positions where issue_id = ?", [issue_id])]
    records = [
        t
        for (t,) in rows(
            serving,
            """
        select demand_text from fct_demands where issue_id = $1 union all
        select offer_text from fct_offers where issue_id = $1 union all
        select object_text from fct_responses where issue_id = $1 union all
        select negotiation_name from fct_negotiations where issue_id = $1""",
            [issue_id],
        )
        if t
    ]
    assert 1 < len(records) <= 40, "the timeline table shows up to 40 rows without scrolling"
    show(
        browser,
        f"{dashboard.url}issue?issue_id={issue_id}",
        [label, "Who stands where", "Timeline", *names, *stances],
        shots / "issue.png",
        in_tables=records,
    )
    # rolled up, a state or organisation speaks through its people: "Russia … through Vladimir Putin"
    person, state = rows(
        serving,
        """
        select actor_name, on_behalf_of_name from fct_positions
        where issue_id = ? and on_behalf_of_actor_id <> actor_id order by actor_name limit 1""",
        [issue_id],
    )[0]
    text = show(
        browser, f"{dashboard.url}issue?issue_id={issue_id}&roll_up=1", [state, "through"], shots / "issue-rollup.png"
    )
    assert re.search(rf"through (?:[^·]*, )?{re.escape(person)}", text), text


def test_issue_list_links_every_issue(warehouse, dashboard, browser, shots):
    labels = [t for (t,) in rows(warehouse.serving, "select issue_label from dim_issues order by n_articles desc")]
    assert len(labels) <= 40
    show(browser, f"{dashboard.url}issue", ["Issues", "Category"], shots / "issues.png", in_tables=labels)


def test_positions_grid_is_coloured_by_current_stance_and_links_to_the_evidence(warehouse, dashboard, browser, shots):
    from selenium.webdriver.common.by import By

    serving = warehouse.serving
    actor_id, issue_id, actor, stance = rows(
        serving,
        """
        select actor_id, issue_id, actor_name, current_stance from positions_current
        order by n_positions desc, n_stories desc, actor_id, issue_id limit 1""",
    )[0]
    evidence = [
        e
        for (e,) in rows(
            serving, "select evidence_text from fct_positions where actor_id = ? and issue_id = ?", [actor_id, issue_id]
        )
    ]
    show(browser, f"{dashboard.url}positions", ["Positions", actor], shots / "positions.png")
    cells = browser.find_elements(By.CSS_SELECTOR, "a[data-stance]")
    assert cells
    for cell in cells:  # every cell's colour is the pair's current stance in the mart
        href = cell.get_attribute("href")
        a, i = re.search(r"actor_id=([^&]+)", href).group(1), re.search(r"issue_id=([^&]+)", href).group(1)
        assert [cell.get_attribute("data-stance")] == [
            s
            for (s,) in rows(
                serving, "select current_stance from positions_current where actor_id = ? and issue_id = ?", [a, i]
            )
        ]
    (target,) = [
        c
        for c in cells
        if f"actor_id={actor_id}" in c.get_attribute("href") and f"issue_id={issue_id}" in c.get_attribute("href")
    ]
    assert target.get_attribute("data-stance") == stance
    target.click()
    wait_until(browser, lambda d: f"issue_id={issue_id}" in d.current_url, "the evidence URL")
    show(browser, None, ["Evidence", actor, *evidence], shots / "positions-evidence.png")
    assert browser.find_elements(By.CSS_SELECTOR, "td.selected a[data-stance]")

    # rolled up, people and groups count for the state or organisation they act for: no row of their own
    person, holder = rows(
        serving,
        """
        select actor_name, on_behalf_of_name from fct_positions where on_behalf_of_actor_id <> actor_id
        group by all order by count(*) desc, 1 limit 1""",
    )[0]
    show(browser, f"{dashboard.url}positions?roll_up=1", ["Positions", holder], shots / "positions-rollup.png")
    row_names = {th.text for th in browser.find_elements(By.CSS_SELECTOR, "th.actor")}
    assert holder in row_names and person not in row_names
    assert all("roll_up=1" in c.get_attribute("href") for c in browser.find_elements(By.CSS_SELECTOR, "a[data-stance]"))


def test_negotiation_track_page_shows_status_over_time_parties_and_articles(warehouse, dashboard, browser, shots):
    serving = warehouse.serving
    track_id, name, status, venues = rows(
        serving,
        """
        select negotiation_track_id, track_name, latest_status, venues from dim_negotiation_tracks
        order by n_articles desc, n_records desc, negotiation_track_id limit 1""",
    )[0]
    parties = [
        n
        for (n,) in rows(
            serving,
            """
        select a.actor_name from dim_negotiation_tracks t, unnest(t.party_actor_ids) as u(id)
        join dim_actors a on a.actor_id = u.id where t.negotiation_track_id = ?""",
            [track_id],
        )
    ]
    history = [
        e
        for (e,) in rows(
            serving,
            "select evidence_text from fct_negotiation_status_history where negotiation_track_id = ?",
            [track_id],
        )
    ]
    titles = [
        t
        for (t,) in rows(
            serving,
            """
        select coalesce(a.title, a.article_id) from fct_negotiations n join dim_articles a using (article_id)
        where n.negotiation_track_id = ?""",  # an article without a title is shown by its id
            [track_id],
        )
    ]
    assert len(titles) >= 2, "the sample articles should hold a track reported by two articles"
    show(
        browser,
        f"{dashboard.url}tracks?track_id={track_id}",
        [name, status, "Status over time", "Articles", *parties, *venues, *history, *titles],
        shots / "track.png",
    )
    recent = [
        n
        for (n,) in rows(
            serving, "select track_name from dim_negotiation_tracks order by last_published_at desc nulls last limit 5"
        )
    ]
    show(
        browser,
        f"{dashboard.url}tracks",
        ["Negotiation tracks", "Latest status"],
        shots / "tracks.png",
        in_tables=recent,
    )


# demands, answered, unanswered between $1 and $2 (null: open); the copies of a demand in syndicated copies
# of a story (same story, demander and text) are one demand, answered when any copy is
DEMAND_COUNTS = """
    with keyed as (
        select demand_id, md5(concat_ws('|', coalesce(story_id, article_id), coalesce(demander_name, ''),
                                        lower(trim(coalesce(demand_text, ''))))) as k
        from fct_demands where ($1::date is null or published_at between $1::date and $2::date)
    ),
    answered as (
        select distinct k from keyed join fct_responses r on r.answers_kind = 'demand' and r.answers_id = demand_id
    )
    select count(distinct k), count(distinct k) filter (where k in (select k from answered)),
           count(distinct k) filter (where k not in (select k from answered))
    from keyed"""


def test_demands_page_shows_only_linked_pairs_and_lists_unanswered_demands(warehouse, dashboard, browser, shots):
    serving = warehouse.serving
    linked = rows(
        serving,
        """
        select d.demand_text, d.evidence_text, r.responder_name, r.stance, r.evidence_text
        from fct_responses r join fct_demands d on r.answers_kind = 'demand' and r.answers_id = d.demand_id""",
    )
    assert linked, "the sample articles should hold a response linked to the demand it answers"
    n_demands, n_answered, n_unanswered = rows(serving, DEMAND_COUNTS, [None, None])[0]
    newest_unanswered = rows(
        serving,
        """
        select demand_text from fct_demands where demand_id not in (
            select answers_id from fct_responses where answers_kind = 'demand' and answers_id is not null)
        order by published_at desc nulls last, article_id, evidence_start limit 3""",
    )
    # responses the old same-article join attached to a demand (addressed to its demander), answering no demand
    decoys = [
        e
        for (e,) in rows(
            serving,
            """
        select distinct r.evidence_text from fct_responses r
        join fct_demands d on d.article_id = r.article_id and d.demander_actor_id = r.to_actor_id
        where r.answers_kind is distinct from 'demand'
          and r.evidence_text not in (select evidence_text from fct_demands)""",
        )
    ]
    text = show(
        browser,
        f"{dashboard.url}demands",
        [
            f"Demands {n_demands} Answered {n_answered} Unanswered {n_unanswered}",
            "Unanswered demands",
            *[v for pair in linked for v in pair],
        ],
        shots / "demands.png",
        in_tables=[t for (t,) in newest_unanswered],
    )
    # one response line per answers link (a copy's answer, same responder, stance and text, once), nothing else
    (n_lines,) = rows(
        serving,
        """
        select count(distinct (coalesce(d.story_id, d.article_id), d.demander_name, lower(trim(d.demand_text)),
                               r.responder_name, r.stance, r.object_text))
        from fct_responses r join fct_demands d on r.answers_kind = 'demand' and r.answers_id = d.demand_id""",
    )[0]
    assert text.count("↳") == n_lines
    assert not [e for e in decoys if norm(e) in text]


def set_date_range(driver, start, end) -> None:
    """Type `start`–`end` into the sidebar's date range (year, month, day segments), then leave it."""
    from selenium.webdriver.common.by import By

    for field, day in (("start", start), ("end", end)):
        for kind, value in (("year", f"{day.year:04d}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}")):
            segment = driver.find_element(
                By.CSS_SELECTOR, f'[data-testid="stDateInput"] [data-range-field="{field}"] [data-type="{kind}"]'
            )
            segment.click()
            segment.send_keys(value)
    driver.find_element(By.TAG_NAME, "h1").click()


def test_date_filter_narrows_every_page_and_shows_the_empty_state(warehouse, dashboard, browser, shots):
    import datetime as dt

    from selenium.webdriver.common.by import By

    serving = warehouse.serving
    years = {
        y
        for (y,) in rows(serving, "select distinct year(published_at) from dim_articles where published_at is not null")
    }
    gap = next((y for y in range(min(years), max(years)) if y not in years), max(years) + 1)
    empty = f"from={gap}-01-01&to={gap}-12-31"
    for page, what in [
        ("", "articles"),
        ("issue", "issues"),
        ("positions", "positions"),
        ("demands", "demands"),
        ("tracks", "negotiation tracks"),
    ]:
        shot = shots / f"empty-{page or 'overview'}.png" if page in ("", "positions") else None
        show(
            browser,
            f"{dashboard.url}{page}?{empty}",
            [f"No {what} published between {gap}-01-01 and {gap}-12-31"],
            shot,
        )
    # a range that holds some: the demands of the answered demand's day only
    (day,) = rows(
        serving,
        """
        select d.published_at from fct_responses r
        join fct_demands d on r.answers_kind = 'demand' and r.answers_id = d.demand_id limit 1""",
    )[0]
    assert isinstance(day, dt.date)
    n_day, n_answered, _ = rows(serving, DEMAND_COUNTS, [day, day])[0]
    # typed into the sidebar's date range as a person would: the URL, the page and the next page follow
    show(browser, f"{dashboard.url}demands", ["Demands ↔ responses", "Published between"])
    set_date_range(browser, day, day)
    wait_until(browser, lambda d: f"from={day}&to={day}" in d.current_url, "the URL to carry the range")
    show(browser, None, [f"Demands {n_day} Answered {n_answered}"], shots / "demands-one-day.png")
    browser.find_element(By.LINK_TEXT, "Positions").click()
    wait_until(browser, lambda d: "/positions?" in d.current_url and f"to={day}" in d.current_url, "the range to stay")


def test_actor_page_lists_positions_and_records_with_evidence(warehouse, dashboard, browser, shots):
    serving = warehouse.serving
    actor_id, name = rows(
        serving,
        """
        select demander_actor_id, demander_name from fct_demands group by all order by count(*) desc, 1 limit 1""",
    )[0]
    evidence = [
        e
        for (e,) in rows(
            serving,
            """
        select evidence_text from fct_demands where demander_actor_id = $1
        union select evidence_text from fct_statements where speaker_actor_id = $1
        union select evidence_text from fct_responses where responder_actor_id = $1""",
            [actor_id],
        )
    ]
    labels = [
        t
        for (t,) in rows(
            serving,
            """
        select distinct i.issue_label from fct_demands d join dim_issues i using (issue_id)
        where d.demander_actor_id = ?""",
            [actor_id],
        )
    ]
    show(
        browser,
        f"{dashboard.url}actor?actor_id={actor_id}",
        [name, "Positions by issue", "Demands made", "Negotiations it is party to", "Statements", *labels, *evidence],
        shots / "actor.png",
    )
    # the old parameter still opens the actor; choosing another actor puts it in the URL
    show(browser, f"{dashboard.url}actor?actor={actor_id}", [name, *evidence[:1]])
    other_id, other, mentions, other_evidence = rows(
        serving,
        """
        select a.actor_id, a.actor_name, a.n_mentions, min(s.evidence_text) from dim_actors a
        join fct_statements s on s.speaker_actor_id = a.actor_id
        where a.actor_id <> ? group by all order by a.n_mentions desc, a.actor_id limit 1""",
        [actor_id],
    )[0]
    choose(browser, f"{other} ({mentions} mentions)")
    wait_until(browser, lambda d: f"actor_id={other_id}" in d.current_url, "the URL to name the chosen actor")
    show(browser, browser.current_url, [other, other_evidence])


def test_missing_serving_file_is_explained_then_picked_up(warehouse, browser, tmp_path, shots):
    serving = tmp_path / "later" / "parley.duckdb"
    dash = Dashboard(serving, tmp_path / "dashboard.log")
    try:
        show(browser, dash.url, ["No warehouse at", "parley run"], shots / "missing.png")
        serving.parent.mkdir()
        shutil.copy(warehouse.serving, serving)
        (title,) = rows(serving, "select title from dim_articles limit 1")[0]
        show(browser, dash.url, ["Records per type over time", title])
    finally:
        dash.stop()


def test_dashboard_keeps_working_while_parley_run_publishes(warehouse, dashboard, browser, shots):
    """Runs last: adds an article, publishes with the CLI while pages keep loading, then shows it."""
    shutil.copy2(RAW / ADDED_ARTICLE, warehouse.raw_dir / ADDED_ARTICLE)
    before = rows(warehouse.serving, "select count(*) from dim_articles")[0][0]
    log = warehouse.state_dir / "rerun.log"
    run = subprocess.Popen(
        [
            *parley_command(),
            "run",
            "--raw-dir",
            str(warehouse.raw_dir),
            "--serving",
            str(warehouse.serving),
            "--state-dir",
            str(warehouse.state_dir),
            "--workers",
            "1",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env=child_env(),
    )
    seen_counts = []
    try:
        deadline = time.monotonic() + 300
        while run.poll() is None and time.monotonic() < deadline:
            text = show(browser, dashboard.url, ["Records per type over time"], pattern=ARTICLE_COUNT)
            seen_counts.append(int(re.search(ARTICLE_COUNT, text).group(1)))
            time.sleep(2)  # leave the (2-core) machine to the run
        assert run.wait(timeout=max(1.0, deadline - time.monotonic())) == 0, log.read_text()[-3000:]
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=10)
    assert seen_counts and set(seen_counts) <= {before, before + 1}  # the old warehouse or the new one, whole
    assert dashboard.proc.poll() is None

    (title,) = rows(warehouse.serving, "select title from dim_articles where source_file = ?", [ADDED_ARTICLE])[0]
    show(browser, dashboard.url, [title, f"Articles {before + 1} Stories"], shots / "overview-after-publish.png")
    # the dashboard holds no handle on the old or the new serving file between renders
    held = [f for f in dashboard.open_files() if Path(f.removesuffix(" (deleted)")).name == warehouse.serving.name]
    assert held == []
