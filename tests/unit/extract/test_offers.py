"""Offers on constructed sentences (flows/extract/offers.py)."""

from __future__ import annotations


def offers(extract, text):
    return [(o.offerer_name, o.recipient_name, o.offer_text) for o in extract(text).offers]


# ---- offers ----------------------------------------------------------------------------------
def test_offered_to(extract):
    (o,) = offers(extract, "Qatar offered to mediate between Israel and Hamas.")
    assert o[0] == "Qatar" and o[2].startswith("mediate between Israel and Hamas")


def test_proposed_with_recipient(extract):
    (o,) = offers(extract, "Egypt proposed a three-stage ceasefire plan to Israel.")
    assert o[:2] == ("Egypt", "Israel") and "ceasefire plan" in o[2]


def test_ready_to_in_reported_speech(extract):
    found = offers(extract, "Russia said it is ready to resume talks with Ukraine.")
    assert ("Russia", None, "resume talks with Ukraine") in found


def test_unveiled_plan_but_not_a_report(extract):
    assert offers(extract, "The United States unveiled a 20-point peace plan for Gaza.")[0][0] == "United States"
    assert offers(extract, "The United States presented its annual report to Congress.") == []


def test_condolences_and_threats_are_not_offers(extract):
    assert offers(extract, "Norway offered condolences to the families of the victims.") == []
    assert offers(extract, "Iran warned that its armed forces are prepared to respond to any aggression.") == []


def test_conditional_readiness_belongs_to_no_one(extract):
    found = offers(extract, "Russia offered dialogue if the West is willing to coexist with it.")
    assert [o[0] for o in found] == ["Russia"]
    assert found[0][2] == "dialogue if the West is willing to coexist with it"


def test_commitment_by_the_speaker(extract):
    found = offers(extract, "Turkey said it will allow the refugees to return home.")
    assert found and found[0][0] == "Turkey" and found[0][2].startswith("allow the refugees to return home")


def test_agreed_to_is_an_offer_but_not_the_terms_of_an_old_deal(extract):
    found = offers(extract, "Ethiopia has agreed to reopen its border with Eritrea.")
    assert found == [("Ethiopia", None, "reopen its border with Eritrea")]
    assert offers(extract, "Under the 1999 accord, Ethiopia agreed to reopen its border with Eritrea.") == []
    assert offers(extract, "Ethiopia has not agreed to reopen its border with Eritrea.") == []


def test_agreed_on_a_pact_by_both_parties(extract):
    found = offers(extract, "The United States and Jordan agreed on a new trade pact.")
    assert {o[0] for o in found} == {"United States", "Jordan"}


def test_accepted_invitation_and_will_visit(extract):
    assert offers(extract, "Japan accepted an invitation to the summit in Seoul.")[0][0] == "Japan"
    assert offers(extract, "Chancellor Olaf Scholz will visit Poland next week.")[0][0] == "Olaf Scholz"


def test_curly_possessive_after_a_plural_name_keeps_the_person_as_offerer(nlp):
    from flows.extract import extract_articles
    from flows.extract.nlp import parse_ready
    from flows.records import Article

    text = "The truce rests on a proposal by the Philippines’ President Ferdinand Marcos, officials said."
    assert len(parse_ready(text)) == len(text) and parse_ready(text) != text
    article = Article("t", None, None, None, None, text, "h", "t.txt")
    [ex] = extract_articles(nlp, [article])
    assert [o.offerer_name for o in ex.offers] == ["Ferdinand Marcos"]
    assert "Philippines’ President" in ex.offers[0].evidence_text  # evidence stays verbatim


def test_offered_object_is_the_offer_and_its_purpose_is_not(extract):
    ex = extract("The rebels offered a three-month ceasefire on Sunday to allow aid deliveries.")
    assert [o.offer_text for o in ex.offers] == ["a three-month ceasefire"]


def test_agreeing_to_accept_anothers_proposal_is_a_response_not_an_offer(extract):
    ex = extract(
        "Norway proposed a team of unarmed monitors for the border. "
        "Sweden agreed to accept the monitors that Norway proposed."
    )
    assert not [o for o in ex.offers if o.offerer_name == "Sweden"]
    [r] = [r for r in ex.responses if r.responder_name == "Sweden"]
    assert (r.stance, r.to_actor_name) == ("accept", "Norway")
    assert r.object_text.startswith("the monitors")


def test_what_a_relative_clause_proposes_is_its_antecedent(extract):
    ex = extract("Sweden rejected the committee that Norway proposed last week.")
    assert [o.offer_text for o in ex.offers if o.offerer_name == "Norway"] == ["the committee"]


def test_a_nested_offer_is_the_inner_speakers(extract):
    ex = extract(
        "Karl Weber said on Monday that the UN envoy, Anna Berg, has said she intends to convene the parties "
        "in Vienna later this month, and that Austria supports it."
    )
    assert [o.offerer_name for o in ex.offers] == ["Anna Berg"]


def test_a_body_reporting_a_foreign_visitors_commitment_gives_the_visitor_s_offer(extract):
    ex = extract("Foreign Minister Karl Weber of Austria will visit Norway in June, the Norwegian embassy said.")
    assert [o.offerer_name for o in ex.offers] == ["Karl Weber"]


def test_a_question_offers_nothing(extract):
    assert offers(extract, "QUESTION: Is Bolivia's proposal for a border commission acceptable to Chile?") == []


def test_accepted_back_reference_is_not_a_second_offer(extract):
    text = (
        "Bolivia proposed that a team of 30 observers monitor the border crossings. "
        "Chile agreed to accept the observers that Bolivia proposed."
    )
    found = [o for o in offers(extract, text) if o[0] == "Bolivia"]
    assert len(found) == 1 and "monitor the border crossings" in found[0][2]


def test_urged_to_agree_is_no_offer(extract):
    text = (
        "The Security Council encouraged the Government of Chile and the rebels to agree on a transitional arrangement."
    )
    assert offers(extract, text) == []


def test_proposed_to_y_that_is_an_offer_to_y(extract):
    found = offers(extract, "Chile proposed to Peru that the two countries form a joint commission.")
    assert found == [("Chile", "Peru", "the two countries form a joint commission")]


def test_an_offer_inside_a_fuller_one_is_the_same_offer(extract):
    found = offers(
        extract, "Bolivia agreed to extend the bilateral, national and temporary truce for a further 90 days."
    )
    assert len(found) == 1 and found[0][2].startswith("extend the bilateral")


def test_parties_agreeing_together_to_a_deed_make_a_deal_not_offers(extract):
    assert offers(extract, "Chile and Peru agreed on Monday to extend their truce by 90 days.") == []
    assert offers(extract, "The delegations of Chile and Peru agreed to release all prisoners.") == []
    assert offers(extract, "Peru agreed to extend the truce.") == [("Peru", None, "extend the truce")]


def test_a_commitment_according_to_a_source_is_the_committed_party_s_offer(extract):
    found = offers(
        extract, "Hamas will release ten hostages on Friday, according to officials familiar with the talks."
    )
    assert found == [("Hamas", None, "release ten hostages on Friday")]
    assert (
        offers(extract, "The rebels will free ten hostages on Friday, according to officials familiar with the talks.")
        == []
    )


def test_a_title_line_sums_up_and_offers_nothing(extract):
    text = "Peru, Chile rebels extend ceasefire as talks resume\n\nThe rebels said on Monday they were ready to talk."
    assert [o.offer_text for o in extract(text).offers if o.offer_text == "ceasefire"] == []


def test_the_sides_agreeing_together_make_no_offer_even_when_one_party_is_unnamed(extract):
    text = (
        "The delegations of the Government of Chile and MOVIPAZ met in Lima under the facilitation of the "
        "Government of Norway.\n\nThe delegations agreed to extend the truce for a further 60 days."
    )
    assert [o for o in offers(extract, text) if o[2].startswith("extend the truce")] == []


def test_a_group_named_by_its_own_modifiers_agreeing_is_that_group_s_offer(extract):
    found = offers(
        extract, "The Turkish and Greek sides of the island have agreed to share information on missing people."
    )
    assert [o[0] for o in found] == ["Turkish and Greek sides"]
