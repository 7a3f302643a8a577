from flows.linking.issues import (
    article_context,
    best_category,
    category_scores,
    issue_key,
    new_issue,
    record_anchor,
    record_category,
)


def test_the_longest_cue_wins_where_cues_of_two_categories_overlap():
    # "military aid" is one security cue; "aid" alone would be humanitarian
    assert best_category(category_scores("more military aid for the army")) == "security"
    assert best_category(category_scores("more aid for the camps")) == "humanitarian"


def test_a_broad_word_weighs_less_than_a_specific_cue():
    # "war" is a weak ceasefire cue: the sanctions regime is the matter
    assert category_scores("enforce the sanctions against those who finance the war") == {
        "sanctions": 1.0,
        "ceasefire": 0.5,
    }
    assert best_category(category_scores("enforce the sanctions against those who finance the war")) == "sanctions"
    assert best_category(category_scores("end the war")) == "ceasefire"  # a phrase cue, not the weak word
    assert best_category(category_scores("make aid conditional on access for investigators")) == "justice"


def test_talks_count_only_when_no_other_matter_is_named():
    ctx = article_context("a1", "Talks on the port strike", "The port workers and employers met.", None)
    assert record_category("continue negotiating to reach a contract", None, ctx) == "economy"
    assert record_category("resume the talks without preconditions", None, ctx) == "process"


def test_a_meeting_takes_the_article_matter_not_its_evidence_sentence():
    ctx = article_context("a1", "Ceasefire talks", "The ceasefire must hold. Nobody mentioned sanctions.", None)
    evidence = "At the meeting, one envoy called for new sanctions."
    assert record_category("Security Council meeting", evidence, ctx, "negotiation") == "ceasefire"
    # an agreement is about what its sentence says it is about
    assert record_category("the 2005 agreement", evidence, ctx, "negotiation") == "sanctions"


def test_category_from_cues_with_priority_on_ties():
    assert best_category(category_scores("end its uranium enrichment")) == "nuclear"
    assert best_category(category_scores("lift the sanctions and the embargo")) == "sanctions"
    assert best_category(category_scores("release all hostages")) == "detainees"
    assert best_category(category_scores("the weather")) is None


def test_article_context_prefers_title_and_conflict_areas():
    ctx = article_context(
        "a1",
        "US pushes Hamas to agree with Israel on Gaza cease-fire terms",
        "Washington said the United States wants a deal. Gaza talks continue. The United States said so.",
        None,
    )
    assert ctx.anchor == "Israel–Palestine" and ctx.category == "ceasefire"
    assert {"United States", "Israel", "Israel–Palestine"} <= ctx.title_places


def test_record_anchor_and_category_fall_back_to_the_article():
    ctx = article_context("a1", "The war in Ukraine", "Russia and Ukraine. Ukraine said the war must end.", None)
    assert record_anchor("stop weapon deliveries to Russia", ctx) == "Russia"  # another subject
    assert record_anchor("pull back from Donetsk", ctx) == "Ukraine"  # the article's own area
    assert record_anchor("accept the deal", ctx) == "Ukraine"
    # a place that is the record's own actor names who acts, not what about
    assert record_anchor("Russia's offer of a dialogue", ctx, frozenset({"Russia"})) == "Ukraine"
    assert record_category("the terms", "no cue here either", ctx) == ctx.category == "ceasefire"
    # hostages in an article about a ceasefire are part of the ceasefire issue
    assert record_category("release all hostages", None, ctx) == "ceasefire"
    # a negotiation is about its subject, not about the talks
    assert record_category("proximity talks", None, ctx, "negotiation") == "ceasefire"
    assert record_category("resume the talks", None, ctx, "demand") == "process"


def test_issue_ids_come_from_key_and_founding_record():
    a = new_issue(issue_key("Ukraine", "ceasefire"), "Ukraine", "ceasefire", "demand", "d1", "a1", "end the war")
    b = new_issue(issue_key("Ukraine", "ceasefire"), "Ukraine", "ceasefire", "demand", "d1", "a1", "end the war")
    c = new_issue(issue_key("Ukraine", "process"), "Ukraine", "process", "demand", "d1", "a1", "talks")
    assert a.issue_id == b.issue_id != c.issue_id
    assert a.issue_label == "Ukraine — ceasefire" and a.key_terms == ["end", "war"]


def test_an_offer_that_meets_another_actors_demand_shares_its_issue():
    from types import SimpleNamespace

    from flows.linking.issues import demand_met
    from flows.linking.text import key_terms

    demand = "the salaries be paid from the port revenues before any ceasefire"
    demands = [("Rebels", key_terms(demand), "Atlantis", "economy")]
    offer = SimpleNamespace(offerer_name="Government")
    text = "fund the salaries once a ceasefire holds"
    assert demand_met(offer, text, demands) == ("Atlantis", "economy")
    # the demander's own offer, or an offer on another matter, meets nothing
    assert demand_met(SimpleNamespace(offerer_name="Rebels"), text, demands) is None
    assert demand_met(offer, "hold talks once a ceasefire holds", demands) is None


def test_ending_a_conflict_or_crisis_is_the_ceasefire_matter_not_the_talks():
    # the guide: ceasefire is "ending or pausing hostilities ... ending the war", whatever the conflict is called
    ctx = article_context("a1", "Talks in Ruritania", "Envoys met in the capital.", None)
    text = "use the talks to agree steps towards a sustainable end to the conflict in Ruritania"
    assert record_category(text, None, ctx) == "ceasefire"
    assert record_category("use the talks to agree steps", None, ctx) == "process"
    assert best_category(category_scores("a lasting end to the crisis")) == "ceasefire"


def test_warring_is_a_weak_ceasefire_cue_like_war():
    ctx = article_context("a1", "Aid convoys in Ruritania", "Aid convoys and humanitarian access. Aid again.", None)
    assert ctx.category == "humanitarian"
    assert record_category("proximity talks between the warring parties", None, ctx, "negotiation") == "ceasefire"
    # a specific cue outweighs it
    assert record_category("the warring parties must allow humanitarian access", None, ctx) == "humanitarian"
    assert category_scores("warring factions") == {"ceasefire": 0.5}
