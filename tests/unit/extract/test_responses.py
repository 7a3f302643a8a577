"""Responses on constructed sentences, real spaCy parses (flows/extract/responses.py)."""

from __future__ import annotations


def stances(ex) -> set[tuple[str | None, str]]:
    return {(r.responder_name, r.stance) for r in ex.responses}


def test_capital_rejecting_terms_is_a_reject_response(extract):
    ex = extract("Moscow demanded a withdrawal from the eastern regions. Kyiv has rejected these terms.")
    assert ("Ukraine", "reject") in stances(ex)


def test_refusal_to_act_is_a_reject_with_the_clause_as_object(extract):
    ex = extract("Iraq refused to withdraw its troops from the disputed border region.")
    [r] = [r for r in ex.responses if r.responder_name == "Iraq"]
    assert r.stance == "reject"
    assert "withdraw" in r.object_text


def test_ruling_out_talks_is_a_reject(extract):
    ex = extract("North Korea has ruled out nuclear talks with the United States.")
    assert ("North Korea", "reject") in stances(ex)
    assert any("talks" in r.object_text for r in ex.responses)


def test_evaluation_as_a_basis_is_welcome(extract):
    ex = extract("Vladimir Putin called the American plan a basis for future agreements.")
    [r] = ex.responses
    assert (r.responder_name, r.stance) == ("Vladimir Putin", "welcome")
    assert r.to_actor_name == "United States"  # "American plan": the owner from the demonym


def test_scepticism_of_assurances_is_skeptical_and_names_their_owner(extract):
    ex = extract("Germany is sceptical of Vladimir Putin's assurances.")
    [r] = ex.responses
    assert (r.responder_name, r.stance, r.to_actor_name) == ("Germany", "skeptical", "Vladimir Putin")


def test_negated_support_is_a_reject(extract):
    ex = extract("France will not support the draft resolution.")
    assert stances(ex) == {("France", "reject")}


def test_would_consider_is_conditional(extract):
    ex = extract("Egypt said it would consider the proposal.")
    assert ("Egypt", "conditional") in stances(ex)


def test_acceptance_that_is_only_asked_for_is_not_a_response(extract):
    ex = extract("The United States pressed Hamas to accept the deal. Israel must accept the plan.")
    assert ex.responses == []


def test_mutual_signing_is_a_negotiation_not_a_response(extract):
    ex = extract("Iran and Iraq signed a peace treaty in Geneva.")
    assert ex.responses == []
    [n] = ex.negotiations
    assert set(n.parties) == {"Iran", "Iraq"}
    assert n.venue == "Geneva"


def test_lifting_a_curfew_is_a_concession(extract):
    ex = extract("Serbia lifted the night curfew in the province.")
    assert ("Serbia", "accept") in stances(ex)


def test_material_events_give_no_responses(extract):
    ex = extract("Rebels shelled the capital on Sunday, killing 20 people. Troops attacked a camp near the border.")
    assert ex.responses == []


def test_nominal_acceptance_with_possessor(extract):
    ex = extract("Despite Ukraine's acceptance of a proposed ceasefire, the attacks continued.")
    [r] = ex.responses
    assert (r.responder_name, r.stance) == ("Ukraine", "accept")
    assert "ceasefire" in r.object_text


def test_pronoun_object_resolves_to_the_proposal_not_own_demands(extract):
    ex = extract("Hamas said the proposal did not meet its demands, but it would consider it.")
    [r] = [r for r in ex.responses if r.stance in {"skeptical", "conditional"}]
    assert r.responder_name == "Hamas"
    assert "proposal" in r.object_text


def test_bare_mention_takes_its_fuller_antecedent_and_tracks_merge(extract):
    ex = extract("Washington unveiled a 20-point peace plan for Gaza on Monday. Hamas rejected the plan on Tuesday.")
    [r] = [r for r in ex.responses if r.responder_name == "Hamas"]
    assert r.stance == "reject"
    assert "20-point" in r.object_text
    assert r.to_actor_name == "United States"
    plans = [n for n in ex.negotiations if "plan" in n.negotiation_name]
    assert len(plans) == 1
    assert {"United States", "Hamas"} <= set(plans[0].parties)


# ---- concessions: giving ground is an acceptance ------------------------------------------------
def accepts(ex) -> list:
    return [r for r in ex.responses if r.stance == "accept"]


def test_withdrawing_forces_is_a_concession_with_the_forces_as_object(extract):
    ex = extract("Russia withdrew its forces from the northern region on Friday.")
    [r] = accepts(ex)
    assert r.responder_name == "Russia"
    assert "forces" in r.object_text


def test_completed_withdrawal_noun_is_a_concession(extract):
    ex = extract("The United States completed the withdrawal of its troops from Iraq.")
    [r] = accepts(ex)
    assert r.responder_name == "United States"
    assert r.object_text.startswith("the withdrawal of its troops")


def test_resigning_is_a_concession_but_threatening_to_resign_is_not(extract):
    assert ("Pedro Castillo", "accept") in stances(extract("Pedro Castillo resigned on Sunday after protests."))
    assert accepts(extract("Pedro Castillo threatened to resign on Sunday.")) == []


def test_released_prisoners_versus_released_a_statement(extract):
    assert ("Hamas", "accept") in stances(extract("Hamas released the hostages on Monday."))
    assert extract("Hamas released a statement on Monday.").responses == []


def test_paying_compensation_names_the_payee(extract):
    ex = extract("Argentina paid compensation to Brazil for the damaged ship.")
    [r] = accepts(ex)
    assert (r.responder_name, r.to_actor_name) == ("Argentina", "Brazil")
    assert r.object_text == "compensation"


def test_permission_to_an_actor_is_a_concession_to_them(extract):
    ex = extract("Kenya allowed Raila Odinga to contest the election.")
    [r] = accepts(ex)
    assert (r.responder_name, r.to_actor_name) == ("Kenya", "Raila Odinga")
    assert "contest the election" in r.object_text
    assert accepts(extract("Egypt allowed aid trucks to enter the territory.")) == []


def test_negated_hypothetical_or_mutual_concessions_are_not_acceptances(extract):
    assert accepts(extract("Israel has not lifted the blockade.")) == []
    assert accepts(extract("Israel could lift the blockade next week.")) == []
    assert accepts(extract("Russia and Ukraine exchanged prisoners on Saturday.")) == []


def test_withdrawing_from_talks_is_a_rejection_not_a_retreat(extract):
    ex = extract("Iran withdrew from the talks on Tuesday.")
    assert stances(ex) == {("Iran", "reject")}


# ---- responses in evaluative statements -----------------------------------------------------------
def test_saying_a_proposal_is_unacceptable_rejects_it(extract):
    ex = extract("Russia said the proposal was unacceptable.")
    [r] = ex.responses
    assert (r.responder_name, r.stance) == ("Russia", "reject")
    assert "proposal" in r.object_text


def test_saying_a_plan_is_a_good_basis_welcomes_it(extract):
    ex = extract("Germany said the plan was a good basis for negotiations.")
    assert stances(ex) == {("Germany", "welcome")}


def test_saying_something_else_is_dangerous_is_no_response(extract):
    ex = extract("Russia said the situation was dangerous.")
    assert ex.responses == []


def test_value_to_someone_is_an_argument_not_a_verdict(extract):
    ex = extract('"This agreement is important for the workers," the senators wrote.')
    assert ex.responses == []


def test_yet_to_respond_is_skeptical(extract):
    ex = extract("China has yet to respond to the proposal.")
    assert stances(ex) == {("China", "skeptical")}


def test_responding_is_no_withheld_answer(extract):
    ex = extract("China responded to the proposal on Monday.")
    assert ("China", "skeptical") not in stances(ex)


def test_studying_a_proposal_is_conditional(extract):
    ex = extract("Hamas said it was studying the proposal.")
    assert stances(ex) == {("Hamas", "conditional")}


def test_participial_rejection_takes_the_pronoun_speaker_of_its_clause(extract):
    ex = extract(
        "Brazil's ambassador said the Council had waited too long. "
        "Rejecting the proposal for a new tribunal, he warned that it would divide the Council."
    )
    assert ("Brazil", "reject") in stances(ex)  # "he" is the ambassador the statement chain resolved
    assert any("new tribunal" in r.object_text for r in ex.responses)


def test_a_role_with_a_named_apposition_responds_as_the_person(extract):
    ex = extract("The ELN's commander, Antonio Garcia, rejected the government's demand on Sunday.")
    [r] = ex.responses
    assert (r.responder_name, r.stance) == ("Antonio Garcia", "reject")
    assert r.to_actor_name != "ELN"  # "the government" is no rebel group's


def test_refusing_to_sign_until_a_condition_is_met_is_conditional(extract):
    ex = extract("Serbia's president said Belgrade would not sign the accord until Kosovo dissolved its army.")
    assert ("Serbia", "conditional") in stances(ex)


def test_answered_object_leaves_out_its_date(extract):
    ex = extract("Chile welcomed a trade agreement on Friday.")
    assert [r.object_text for r in ex.responses] == ["a trade agreement"]


def test_bare_definite_object_stands_for_a_body_mention_not_the_title(extract):
    ex = extract(
        "Guyana and Suriname sign border pact at regional summit\n\n"
        "The two countries signed a maritime border agreement in Georgetown. "
        "Brazil welcomed the deal."
    )
    [r] = [r for r in ex.responses if r.responder_name == "Brazil"]
    assert r.object_text.startswith("a maritime border agreement")


def test_dismissing_a_threat_is_a_reject_response(extract):
    ex = extract("Taipei dismissed the threat as empty rhetoric.")
    assert ("Taiwan", "reject") in stances(ex)


def test_an_offer_made_paragraphs_before_is_answered_to_its_maker(extract):
    ex = extract(
        "Norway offered to host the next round of talks in Oslo.\n\n"
        "The fighting continued in the north. Aid convoys were stopped. Two towns were shelled.\n\n"
        "The envoy travelled to the capital on Friday.\n\n"
        "Sweden welcomed the offer on Monday."
    )
    [r] = [r for r in ex.responses if r.responder_name == "Sweden"]
    assert (r.stance, r.to_actor_name) == ("welcome", "Norway")


def test_agreeing_to_accept_only_if_is_conditional(extract):
    ex = extract(
        "Norway proposed a joint committee. Sweden agreed to accept the committee that Norway proposed, "
        "but only if the committee is based in Malmo."
    )
    [r] = [r for r in ex.responses if r.responder_name == "Sweden"]
    assert (r.stance, r.to_actor_name) == ("conditional", "Norway")


def test_the_delegations_agreeing_is_a_deal_not_an_answer(extract):
    ex = extract(
        "The delegations of Chile and Bolivia met in Lima.\n\n"
        "The delegations agreed to extend the ceasefire for a further 90 days."
    )
    assert not [r for r in ex.responses if r.stance == "accept"]


def test_speaker_answers_for_his_own_government(extract):
    ex = extract("President Juan Perez of Peru said his government would not accept the ELN demand for direct talks.")
    assert ("Juan Perez", "reject") in stances(ex)


def test_welcomed_readiness_voiced_by_another_answers_it(extract):
    ex = extract(
        "The members of the Security Council welcomed the readiness expressed by the Government of Chad "
        "to allow monitors along the border."
    )
    [r] = ex.responses
    assert (r.responder_name, r.stance, r.to_actor_name) == ("UN Security Council", "welcome", "Chad")
    assert [(o.offerer_name, o.offer_text) for o in ex.offers] == [("Chad", "allow monitors along the border")]


def test_restrictive_relative_clause_stays_in_the_object(extract):
    ex = extract("The Chilean government rejects any arrangement that would hand the copper mines to the rebels.")
    [r] = ex.responses
    assert r.object_text == "any arrangement that would hand the copper mines to the rebels"


def test_echoing_a_suggestion_welcomes_it(extract):
    ex = extract(
        "Bolivia suggested that the observers come from Andean states. "
        "Peru said its commanders had echoed the Bolivian suggestion."
    )
    assert ("Peru", "welcome") in stances(ex)


def test_supporting_that_answers_the_proposal_just_made(extract):
    ex = extract(
        "Peru's foreign minister, Juan Perez, told reporters that the UN envoy, Ana Lopez, had said she "
        "intends to convene the parties in Lima next month, and that Peru supports that."
    )
    assert [(r.responder_name, r.stance, r.to_actor_name) for r in ex.responses] == [("Peru", "welcome", "Ana Lopez")]


def test_demanded_that_it_withdraw_is_no_concession(extract):
    ex = extract(
        "The Security Council demanded that the ELN immediately cease hostilities and withdraw from the towns."
    )
    assert ex.responses == []


def test_welcomed_commitment_of_a_government_answers_that_state(extract):
    ex = extract("The Security Council welcomed the commitment of the Government of Chile to hold elections this year.")
    assert [(r.responder_name, r.to_actor_name) for r in ex.responses] == [("UN Security Council", "Chile")]


def test_layered_report_makes_the_reported_party_the_responder(extract):
    ex = extract(
        "The Secretary-General spoke yesterday with the President of Chile, who welcomed the proposal "
        "to send observers to the border."
    )
    assert ("Chile", "welcome") in stances(ex)


def test_no_to_a_question_put_to_the_interviewee_rejects_it(extract):
    text = (
        "Chile's foreign minister, Ana Soto, spoke to us in Santiago about the crisis with Peru.\n\n"
        "Q: Will you negotiate with the Andean Front?\n\n"
        "A: No. They are terrorists, and we do not talk to terrorists.\n\n"
        "Q: What about Peru?\n\n"
        "A: Peru is our neighbour."
    )
    ex = extract(text)
    rejects = [(r.responder_name, r.to_actor_name, r.object_text) for r in ex.responses if r.stance == "reject"]
    assert rejects == [("Ana Soto", "Andean Front", "negotiate with the Andean Front")]
    assert [s.speech_act for s in ex.statements if s.statement_text.startswith("No.")] == ["reject"]


def test_it_in_a_reported_clause_is_the_speaker(extract):
    ex = extract(
        "Bolivia proposed a joint commission on the border. The Chilean government said it was studying the proposal."
    )
    assert [(r.responder_name, r.stance, r.to_actor_name) for r in ex.responses] == [
        ("Chile", "conditional", "Bolivia")
    ]


def test_a_bare_refusal_answers_the_demand_just_made(extract):
    for answer in ("Chile refused.", "Chile said it would not withdraw."):
        ex = extract("Bolivia demanded that Chile withdraw its troops. " + answer)
        assert [(r.responder_name, r.stance, r.to_actor_name) for r in ex.responses] == [
            ("Chile", "reject", "Bolivia")
        ], answer


def test_an_office_holders_conditional_acceptance_is_his_states(extract):
    ex = extract(
        "The European Union presented a plan for the bridge. Kosovo's prime minister said he could accept "
        "the plan only if Serbia recognised Kosovo."
    )
    assert ("Kosovo", "conditional") in stances(ex)


def test_accepting_on_condition_is_conditional(extract):
    ex = extract(
        "The European Union presented a plan for the bridge. Kosovo accepted the plan on condition that "
        "Serbia recognise it."
    )
    assert stances(ex) == {("Kosovo", "conditional")}


def test_ignoring_and_a_step_backwards_reject(extract):
    ex = extract("Serbia demanded that Kosovo halt the bridge opening. Kosovo ignored the demand.")
    assert ("Kosovo", "reject") in stances(ex)
    ex = extract("The EU proposed a new bridge regime. Serbia's president described the proposal as a step backwards.")
    assert stances(ex) == {("Serbia", "reject")}


def test_refusing_to_sign_is_no_signature_and_lukewarm_is_skeptical(extract):
    ex = extract("Kenya launched a peace initiative for Sudan. Ethiopia refused to sign the agreement.")
    assert stances(ex) == {("Ethiopia", "reject")}
    ex = extract("Kenya proposed a ceasefire. Ethiopia was lukewarm about the proposal.")
    assert stances(ex) == {("Ethiopia", "skeptical")}
