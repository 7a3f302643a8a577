"""The positions dashboard: its queries on a real warehouse, and its pages in headless Chromium.

One warehouse is built per module from sample articles with the real flow; `parley dashboard`
runs as a subprocess on a free loopback port; Debian's chromium + chromium-driver (driven by
selenium, no browser download) load each page, wait for rows from the warehouse, take a
screenshot and check the visible text against values read from the DuckDB file. The last test
publishes a new warehouse with `parley run` while the dashboard is up.
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
FIRST_ARTICLES = ["seed.articles.jsonl", "voa-2019-01-09-us-china-trade-talks.md"]
ADDED_ARTICLE = "voa-2009-07-23-nk-rejects-talks.json"
WAIT_SECONDS = 60
ARTICLE_COUNT = r"Articles (\d+) Actors"  # the overview's first metric, as visible text


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


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_api) -> Settings:
    """A serving file built by the real flow from two sample articles."""
    from flows.pipeline import parley_run

    tmp = tmp_path_factory.mktemp("dashboard")
    raw = copy_raw(tmp / "raw", FIRST_ARTICLES)
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


def show(driver, url: str, expected: list[str], shot: Path | None = None, pattern: str | None = None) -> str:
    """Load `url`, wait until the app script has finished and every expected text (and `pattern`, a
    regular expression) is visible, screenshot it. Returns the visible text, whitespace collapsed.

    Streamlit draws a page piece by piece, even after its script has finished: wait for what is checked.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wanted = [norm(t) for t in expected]
    driver.get(url)
    seen = ""

    def ready(d) -> bool:
        nonlocal seen
        seen = norm(d.find_element(By.TAG_NAME, "body").text)
        finished = d.find_elements(By.CSS_SELECTOR, '[data-testid="stApp"][data-test-script-state="notRunning"]')
        return bool(finished) and all(t in seen for t in wanted) and (pattern is None or re.search(pattern, seen))

    try:
        WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.25).until(ready)
    except TimeoutException:
        missing = [t for t in wanted if t not in seen] + ([pattern] if pattern else [])
        raise AssertionError(f"{url} never showed {missing}; it showed: {seen[:3000]}") from None
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), seen[:3000]
    if shot is not None:
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
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


# --- the queries, without the UI ---


def test_open_serving_is_read_only_and_reports_a_missing_file(warehouse, tmp_path):
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(q.ServingUnavailable, match="No warehouse at"), q.open_serving(missing):
        pass
    with q.open_serving(warehouse.serving) as con, pytest.raises(duckdb.Error):
        con.execute("create table main.scribble as select 1")


def test_summary_and_over_time_count_what_the_marts_hold(warehouse):
    serving = warehouse.serving
    with q.open_serving(serving) as con:
        counts = q.summary(con)
        by_year = q.records_over_time(con, "year")
        arts = q.articles(con)
    assert counts["articles"] == len(FIRST_ARTICLES) == len(arts)
    assert counts["demands"] == rows(serving, "select count(*) from fct_demands")[0][0]
    dated = rows(serving, "select count(*) from fct_statements where published_at is not null")[0][0]
    assert by_year[by_year.record_type == "statements"].n.sum() == dated
    assert set(by_year.period.dt.month) == {1} and set(by_year.record_type) <= set(q.RECORD_TABLES)
    with q.open_serving(serving) as con, pytest.raises(ValueError):
        q.records_over_time(con, "week")


def test_actor_sections_hold_the_actors_records(warehouse):
    serving = warehouse.serving
    (actor_id,) = rows(serving, "select demander_actor_id from fct_demands group by 1 order by count(*) desc limit 1")[
        0
    ]
    with q.open_serving(serving) as con:
        sections = {s: q.actor_records(con, s, actor_id) for s in q.ACTOR_SECTIONS}
    made = rows(serving, "select evidence_text from fct_demands where demander_actor_id = ?", [actor_id])
    assert sorted(sections["demands_made"].evidence_text) == sorted(r[0] for r in made)
    spoken = rows(serving, "select count(*) from fct_statements where speaker_actor_id = ?", [actor_id])[0][0]
    assert len(sections["statements"]) == spoken
    for section, df in sections.items():
        assert {"evidence_text", "article_title", "article_url"} <= set(df.columns), section
        assert df.evidence_text.notna().all(), section


def test_demands_join_responses_addressed_to_the_demander(warehouse):
    serving = warehouse.serving
    with q.open_serving(serving) as con:
        pairs = q.demands_with_responses(con)
        answered = q.demands_with_responses(con, answered_only=True)
    assert pairs.demand_id.nunique() == rows(serving, "select count(*) from fct_demands")[0][0]
    assert len(answered) >= 1 and answered.stance.notna().all()
    expected = rows(
        serving,
        """
        select d.demand_id, r.responder_name, r.stance from fct_demands d
        join fct_responses r on r.article_id = d.article_id and r.to_actor_id = d.demander_actor_id""",
    )
    assert sorted(expected) == sorted(
        answered[["demand_id", "responder_name", "stance"]].itertuples(index=False, name=None)
    )


def test_negotiations_filter_by_status_and_party(warehouse):
    serving = warehouse.serving
    with q.open_serving(serving) as con:
        tracks = q.negotiations(con)
        status = tracks.status.iloc[0]
        same_status = q.negotiations(con, [status])
        party = tracks.party_actor_ids.iloc[0][0]
        with_party = q.negotiations(con, actor_id=party)
    assert len(tracks) == rows(serving, "select count(*) from fct_negotiations")[0][0]
    assert set(same_status.status) == {status}
    assert len(with_party) >= 1 and all(party in list(ids) for ids in with_party.party_actor_ids)


def test_markdown_escaping_keeps_warehouse_text_literal():
    from flows.dashboard.app import md

    assert md("*not bold* $x$ [link](u)\n  # h") == r"\*not bold\* \$x\$ \[link\]\(u\) \# h"
    assert md(None) == "" and md(float("nan")) == ""


# --- the pages, in headless Chromium ---


def test_overview_shows_counts_articles_and_links(warehouse, dashboard, browser, shots):
    from selenium.webdriver.common.by import By

    titles = [t for (t,) in rows(warehouse.serving, "select title from dim_articles")]
    show(
        browser,
        dashboard.url,
        ["Records per type over time", f"Articles {len(titles)} Actors", *titles],
        shots / "overview.png",
    )
    urls = {u for (u,) in rows(warehouse.serving, "select url from dim_articles where url like 'http%'")}
    hrefs = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href^='http']")}
    assert urls and urls <= hrefs


def test_actor_page_lists_records_with_evidence(warehouse, dashboard, browser, shots):
    serving = warehouse.serving
    actor_id, name = rows(
        serving,
        """
        select demander_actor_id, demander_name from fct_demands group by all order by count(*) desc limit 1""",
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
    (title,) = rows(
        serving,
        "select title from dim_articles join fct_demands using (article_id) where demander_actor_id = ? limit 1",
        [actor_id],
    )[0]
    show(
        browser,
        f"{dashboard.url}actor?actor={actor_id}",
        [name, "Demands made", "Negotiations it is party to", "Statements", title, *evidence],
        shots / "actor.png",
    )

    # choosing another actor in the select box shows its records and puts it in the URL
    other_id, other, mentions, other_evidence = rows(
        serving,
        """
        select a.actor_id, a.actor_name, a.n_mentions, min(s.evidence_text) from dim_actors a
        join fct_statements s on s.speaker_actor_id = a.actor_id
        where a.actor_id <> ? group by all order by a.n_mentions desc, a.actor_id limit 1""",
        [actor_id],
    )[0]
    choose(browser, f"{other} ({mentions} mentions)")
    wait_until(browser, lambda d: f"actor={other_id}" in d.current_url, "the URL to name the chosen actor")
    show(browser, browser.current_url, [other, other_evidence])


def test_demands_page_pairs_demands_with_responses(warehouse, dashboard, browser, shots):
    pairs = rows(
        warehouse.serving,
        """
        select d.demander_name, d.demand_text, d.evidence_text, r.responder_name, r.stance, r.evidence_text
        from fct_demands d
        join fct_responses r on r.article_id = d.article_id and r.to_actor_id = d.demander_actor_id""",
    )
    assert pairs, "the sample articles should hold at least one answered demand"
    expected = [v for pair in pairs for v in pair]
    n_demands = rows(warehouse.serving, "select count(*) from fct_demands")[0][0]
    show(browser, f"{dashboard.url}demands", [f"Demands {n_demands} Answered", *expected], shots / "demands.png")


def test_negotiations_page_shows_tracks(warehouse, dashboard, browser, shots):
    tracks = rows(warehouse.serving, "select negotiation_name, status, parties, evidence_text from fct_negotiations")
    expected = [v for name, status, parties, ev in tracks for v in (name, status, ", ".join(parties), ev)]
    show(browser, f"{dashboard.url}negotiations", ["Negotiation tracks", *expected], shots / "negotiations.png")


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
    show(browser, dashboard.url, [title, f"Articles {before + 1} Actors"], shots / "overview-after-publish.png")
    # the dashboard holds no handle on the old or the new serving file between renders
    held = [f for f in dashboard.open_files() if Path(f.removesuffix(" (deleted)")).name == warehouse.serving.name]
    assert held == []
