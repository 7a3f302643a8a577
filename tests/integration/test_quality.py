"""Quality regression: the extraction scored on the gold corpora with the shared scorer.

The floors sit a little under the figures measured when they were set (see the issue
notes), so a change that lowers extraction quality fails here. The scorer and gold files
come from `../shared/` (the workplace's copy beside the repo).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flows.evaluation.evaluate import load_scorer, predict, read_articles
from tests.support.paths import REPO, SHARED

CORPUS = SHARED / "corpus"
SCORER = SHARED / "eval" / "score.py"

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py not beside the repo")

# Floors: the figures measured when they were last raised, less 0.01 (extraction is
# deterministic, so a drop means a change made it worse). Measured 2026-11-25:
# actors 0.868, statements 0.757, demands 0.613, offers 0.643, responses 0.531,
# negotiations 0.484 (0.583 after round 3), attribution 0.930, speech act 0.739; PLOVER recall 0.708, 0 spurious.
# Raised in round 3: statements 0.777, speech act 0.784 (after dropping two idioms taken from a dev article).
# Raised in round 4 (meeting speakers as groups, pronoun responders): statements 0.786, demands 0.649,
# responses 0.549, attribution 0.940, speech act 0.787; PLOVER unchanged.
# Raised in round 5 (session 2 probes: datelines, questions, pronoun gender, appositive names, led bodies,
# armed-group members): actors 0.872, statements 0.793, offers 0.714, attribution 0.946, speech act 0.782
# (one more matched statement whose act differs); PLOVER 0.728 extracted here (0.723 through the pipeline,
# which drops the suite's duplicate texts).
# Raised in round 6 (issue 10: one resolver, one declared pipeline, readouts, transcripts, parties):
# responses 0.588, negotiations 0.603 (dev macro 0.703); PLOVER 0.723 here and through the pipeline, 0 spurious
# (recall floor kept at 0.718: the one AGREE sentence lost is "X will visit Y, the embassy said", now the
# embassy's statement, whose commitment of a third party is no offer of the speaker's).
# Styles suite, tune half (tests/corpus/styles, issue 10; the holdout half is never a test): measured
# actors 0.844, statements 0.811, demands 0.708, offers 0.538, responses 0.474, negotiations 0.378,
# attribution 0.966, speech act 0.716, macro 0.626.
DEV_FLOORS = {
    "actors": 0.862,
    "statements": 0.783,
    "demands": 0.639,
    "offers": 0.704,
    "responses": 0.578,
    "negotiations": 0.593,
}
DEV_ATTRIBUTION_FLOOR = 0.936
DEV_SPEECH_ACT_FLOOR = 0.772
PLOVER_RECALL_FLOOR = 0.718
PLOVER_MAX_SPURIOUS = 1
STYLES = REPO / "tests" / "corpus" / "styles"
TUNE_FLOORS = {
    "actors": 0.834,
    "statements": 0.801,
    "demands": 0.698,
    "offers": 0.528,
    "responses": 0.464,
    "negotiations": 0.368,
}
TUNE_MACRO_FLOOR = 0.616


@pytest.fixture(scope="module")
def scorer():
    return load_scorer(SCORER)


@pytest.fixture(scope="module")
def dev_scores(scorer):
    preds = predict(read_articles(CORPUS / "dev.articles.jsonl"))
    return scorer.score(scorer.load_jsonl(str(CORPUS / "dev.gold.jsonl")), preds)


@pytest.mark.parametrize("kind", sorted(DEV_FLOORS))
def test_dev_f1_does_not_regress(dev_scores, kind):
    assert dev_scores["articles_missing"] == 0
    assert dev_scores[kind]["f1"] >= DEV_FLOORS[kind], dev_scores[kind]


def test_dev_speaker_attribution_and_speech_acts(dev_scores):
    assert dev_scores["speaker_attribution_accuracy"] >= DEV_ATTRIBUTION_FLOOR
    assert dev_scores["speech_act_accuracy"] >= DEV_SPEECH_ACT_FLOOR


@pytest.fixture(scope="module")
def tune_scores(scorer):
    preds = predict(read_articles(STYLES / "tune.articles.jsonl"))
    return scorer.score(scorer.load_jsonl(str(STYLES / "tune.gold.jsonl")), preds)


@pytest.mark.parametrize("kind", sorted(TUNE_FLOORS))
def test_styles_tune_half_f1_does_not_regress(tune_scores, kind):
    """Styles the dev set lacks (readouts, briefings, council statements, communiqués, interviews, ...)."""
    assert tune_scores["articles_missing"] == 0
    assert tune_scores[kind]["f1"] >= TUNE_FLOORS[kind], tune_scores[kind]


def test_styles_tune_half_macro(tune_scores):
    macro = sum(tune_scores[k]["f1"] for k in TUNE_FLOORS) / len(TUNE_FLOORS)
    assert macro >= TUNE_MACRO_FLOOR, macro


def test_seed_article_yields_every_record_type():
    (pred,) = predict(read_articles(CORPUS / "seed.articles.jsonl")).values()
    for kind in ("actors", "statements", "demands", "offers", "responses", "negotiations"):
        assert pred[kind], f"no {kind} from the seed article"


def test_plover_peer_suite(tmp_path):
    script = SHARED / "eval" / "score_plover.py"
    arts = tmp_path / "plover.jsonl"
    subprocess.run([sys.executable, str(script), "articles", str(arts)], check=True, capture_output=True)
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as f:
        for rec in predict(read_articles(arts)).values():
            f.write(json.dumps(rec) + "\n")
    out = tmp_path / "score.json"
    subprocess.run(
        [sys.executable, str(script), "score", "--pred", str(pred), "--json", str(out)], check=True, capture_output=True
    )
    res = json.loads(out.read_text())
    assert res["recall"] >= PLOVER_RECALL_FLOOR, res
    assert res["spurious"] <= PLOVER_MAX_SPURIOUS, res


def test_every_named_actor_has_an_actor_row():
    """The marts' relationship tests need every speaker, demander, party... among the article's actors."""
    preds = predict(read_articles(CORPUS / "dev.articles.jsonl"))
    fields = {
        "statements": ["speaker"],
        "demands": ["demander", "addressee"],
        "offers": ["offerer", "recipient"],
        "responses": ["responder", "to_actor"],
        "negotiations": ["mediator"],
    }
    for pred in preds.values():
        names = {a["name"] for a in pred["actors"]}
        for kind, keys in fields.items():
            for rec in pred[kind]:
                for key in keys:
                    assert rec[key] is None or rec[key] in names, (pred["article_id"], kind, key, rec[key])
        for neg in pred["negotiations"]:
            assert set(neg["parties"]) <= names, (pred["article_id"], neg["parties"])
