from flows.linking.answers import ResponseFeatures, Target, best_answer, demand_headed
from flows.linking.text import key_terms


def resp(obj, to=None, responder="ua", aid="a1", date="2025-01-02"):
    return ResponseFeatures("r1", aid, responder, to, tuple(key_terms(obj)), date, demand_headed(obj))


def target(kind, rid, text, actors, aid="a1", date="2025-01-01", issue="i1"):
    return Target(kind, rid, aid, tuple(actors), tuple(key_terms(text)), issue, date)


DEMAND = target("demand", "d1", "withdraw troops from Donetsk and Luhansk", ["ru"])
OFFER = target("offer", "o1", "security guarantees", ["ru"])
NEGOTIATION = target("negotiation", "n1", "proposed ceasefire", ["ua", "ru"])


def test_the_record_whose_text_the_object_names_wins_in_the_article():
    hit = best_answer(resp("the withdrawal of troops from Donetsk", to="ru"), [DEMAND, OFFER, NEGOTIATION], [])
    assert hit is not None and hit[0].record_id == "d1"
    assert best_answer(resp("a proposed ceasefire", to="ru"), [DEMAND, OFFER, NEGOTIATION], [])[0].record_id == "n1"


def test_nothing_fits_nothing_is_answered_and_one_never_answers_oneself():
    assert best_answer(resp("remarks about the weather"), [DEMAND, OFFER], []) is None
    own = target("demand", "d2", "withdraw troops", ["ua"])
    assert best_answer(resp("withdraw troops", to=None, responder="ua"), [own], []) is None


def test_a_call_answers_only_a_demand():
    talks = target("negotiation", "n2", "six-party talks on the nuclear programme", ["us", "kp"])
    assert best_answer(resp("a call to return to six-party talks on the nuclear programme"), [talks], []) is None
    assert best_answer(resp("nuclear six-party talks"), [talks], []) is not None


def test_earlier_articles_answer_through_the_actor_it_answers():
    older = target("demand", "d9", "withdraw troops from Donetsk and Luhansk", ["ru"], aid="a0", date="2024-12-01")
    later = target("demand", "d8", "withdraw troops from Donetsk and Luhansk", ["ru"], aid="a5", date="2026-01-01")
    hit = best_answer(resp("the demand to withdraw troops from Donetsk and Luhansk", to="ru"), [], [older, later])
    assert hit is not None and hit[0].record_id == "d9"  # not the one published after the response
    assert best_answer(resp("the demand to withdraw troops from Donetsk", to=None), [], [older]) is None


def test_an_anaphor_answers_the_nearest_earlier_record_of_the_actor_it_answers():
    first = Target("demand", "d1", "a1", ("ru",), tuple(key_terms("withdraw from the territories")), "i1", None, 100)
    second = Target("demand", "d2", "a1", ("ru",), tuple(key_terms("accept the territorial gains")), "i1", None, 300)
    after = Target("demand", "d3", "a1", ("ru",), tuple(key_terms("endorse the deal")), "i1", None, 900)
    feats = ResponseFeatures("r1", "a1", "ua", "ru", tuple(key_terms("these terms")), None, False, 500)
    hit = best_answer(feats, [first, after, second], [])
    assert hit is not None and hit[0].record_id == "d2"
    nobody = ResponseFeatures("r1", "a1", "ua", None, tuple(key_terms("these terms")), None, False, 500)
    assert best_answer(nobody, [first, second], []) is None
