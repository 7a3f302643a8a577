"""Negotiations on constructed sentences (flows/extract/negotiations.py)."""

from __future__ import annotations


def stances(ex) -> set[tuple[str | None, str]]:
    return {(r.responder_name, r.stance) for r in ex.responses}


def test_held_talks_with_is_a_negotiation_between_both(extract):
    ex = extract("Russia held talks with Ukraine in Istanbul on Tuesday.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Russia", "Ukraine"}
    assert n.venue == "Istanbul"


def test_meeting_verb_gives_a_negotiation(extract):
    ex = extract("Emmanuel Macron met Olaf Scholz in Berlin on Monday.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Emmanuel Macron", "Olaf Scholz"}
    assert "meeting" in n.negotiation_name
    assert n.status == "concluded"


def test_meeting_needs_actors_not_needs(extract):
    ex = extract("The agency said it was working to meet the needs of the civilian population.")
    assert ex.negotiations == []


def test_mediator_and_welcome_subject_is_no_party(extract):
    ex = extract("The talks between Israel and Hamas were mediated by Qatar. Egypt welcomed the talks.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Israel", "Hamas"}
    assert n.mediator_name == "Qatar"
    assert ("Egypt", "welcome") in stances(ex)


# ---- consultations ------------------------------------------------------------------------------
def test_receiving_a_delegation_is_a_meeting_with_its_sender(extract):
    ex = extract("King Abdullah received a Russian delegation in Amman on Monday.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Abdullah", "Russia"}
    assert n.venue == "Amman"


def test_welcoming_a_decision_is_no_meeting(extract):
    ex = extract("Jordan welcomed Israel's decision on Monday.")
    assert ex.negotiations == []


def test_group_of_diplomats_takes_part_in_their_meeting(extract):
    ex = extract("A group of Moroccan diplomats held a meeting with Barack Obama at the White House.")
    [n] = ex.negotiations
    assert len(n.parties) == 2 and "Barack Obama" in n.parties


def test_speaking_in_a_meeting_is_taking_part(extract):
    ex = extract("Members of the Security Council demanded in an emergency meeting that the fighting stop.")
    [n] = ex.negotiations
    assert n.parties == ["UN Security Council"]


# ---- negotiations named without parties of their own ----------------------------------------------
def test_a_capitalised_name_is_a_track_without_parties(extract):
    ex = extract("Grain exports resumed last year. Officials said the Danube Corridor Initiative had eased prices.")
    names = [n.negotiation_name for n in ex.negotiations]
    assert any("Danube Corridor Initiative" in n for n in names)


def test_headline_capitals_do_not_make_a_name(extract):
    ex = extract("Ministers Hold Talks On New Regional Plan\nThe weather was mild on Monday.")
    assert ex.negotiations == []


def test_a_qualified_track_takes_parties_from_its_sentence(extract):
    ex = extract("Despite Georgia's acceptance of a proposed ceasefire, Armenia kept shelling the border.")
    [n] = [n for n in ex.negotiations if "ceasefire" in n.negotiation_name]
    assert "Georgia" in n.parties
    assert n.status == "proposed"


def test_a_future_treaty_is_not_the_dated_agreement(extract):
    ex = extract(
        "Under the 2019 agreement between Peru and Chile, trade resumed. "
        "Speakers urged Peru and Chile to work toward a future peace treaty."
    )
    names = sorted(n.negotiation_name for n in ex.negotiations)
    assert len(names) == 2 and any("future" in n for n in names)


def test_two_different_names_stay_two_tracks(extract):
    ex = extract(
        "Spain and France signed the Lisbon Accord in May. "
        "Later, the Atlantic Fisheries Initiative was praised by observers."
    )
    assert len(ex.negotiations) == 2


# ---- readouts: a call or meeting that took place is a concluded negotiation ------------------------
def test_a_call_with_a_leader_is_a_concluded_negotiation_between_their_states(extract):
    ex = extract(
        "President Ana Duarte of Chile spoke today by telephone with President Luis Ortega of Peru about the border."
    )
    [n] = ex.negotiations
    assert set(n.parties) == {"Chile", "Peru"}  # a person stands for the state they act for
    assert n.status == "concluded" and "telephone call" in n.negotiation_name


def test_an_expected_call_is_scheduled(extract):
    ex = extract("President Ana Duarte of Chile is expected to speak with President Luis Ortega of Peru next week.")
    assert [n.status for n in ex.negotiations] == ["scheduled"]


def test_speaking_to_reporters_is_no_negotiation(extract):
    assert extract("President Ana Duarte of Chile spoke to reporters about the border on Monday.").negotiations == []


def test_office_holder_call_with_named_minister_is_a_meeting_of_his_state(extract):
    ex = extract(
        "Peru and Chile are neighbours. The Secretary spoke on Monday with Chilean Foreign Minister Tomas Rojas."
    )
    calls = [n for n in ex.negotiations if "call" in n.negotiation_name]
    assert len(calls) == 1
    assert "Chile" in calls[0].parties
    assert "Tomas Rojas" in calls[0].negotiation_name and calls[0].status == "concluded"


def test_meeting_name_is_the_whole_encounter(extract):
    ex = extract("Emmanuel Macron met Olaf Scholz in Berlin on Monday.")
    [n] = ex.negotiations
    assert n.negotiation_name.startswith("meeting between Emmanuel Macron and Olaf Scholz")


def test_negotiating_alone_is_no_track(extract):
    ex = extract('"We are not going to negotiate through the press," the Peruvian foreign minister Ana Soto said.')
    assert ex.negotiations == []


def test_a_question_puts_no_track_on_the_table(extract):
    ex = extract("QUESTION: Is Bolivia's proposal for a border commission acceptable to Chile?")
    assert ex.negotiations == []


def test_met_two_guests_in_two_places_is_two_meetings(extract):
    ex = extract(
        "\"Last week I met Peru's Minister of Justice in Lima and the President of the Andean Regional "
        "Administration in Cusco,\" said Chile's foreign minister, Ana Soto."
    )
    assert sorted(n.venue for n in ex.negotiations) == ["Cusco", "Lima"]


def test_capital_in_a_track_name_is_its_venue_not_a_party(extract):
    ex = extract("Three years after the Lima agreement between Chile and the Andean Front ended the war, peace holds.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Chile", "Andean Front"} and n.venue == "Lima"


def test_a_discussed_topic_is_not_named_as_a_party(extract):
    ex = extract("Peru and Chile discussed the next steps of the border commission on Monday.")
    assert all("between Peru and the next steps" not in n.negotiation_name for n in ex.negotiations)


def test_two_capitals_naming_a_track_are_its_parties(extract):
    ex = extract("The Lima-Quito talks resumed on Monday.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Peru", "Ecuador"} and n.venue is None


READOUT = (
    "Readout of the Meeting between President Ana Soto of Chile and President Juan Perez of Peru\n\n"
    "President Ana Soto of Chile met President Juan Perez of Peru in Lima on Tuesday. The leaders welcomed "
    "the proposal by the Organization of American States to send observers. They will meet again in Santiago in June."
)


def test_readout_meeting_took_place_and_the_next_one_is_scheduled(extract):
    ex = extract(READOUT)
    by_venue = {n.venue: n for n in ex.negotiations}
    assert by_venue["Lima"].status == "concluded"
    assert by_venue["Santiago"].status == "scheduled"
    assert set(by_venue["Santiago"].parties) == {"Chile", "Peru"}


def test_two_calls_with_different_guests_are_two_tracks(extract):
    ex = extract(
        "The Secretary-General spoke yesterday with the President of Chile about the border. "
        "The Secretary-General also spoke with Peru's foreign minister, Juan Perez."
    )
    calls = sorted(tuple(n.parties) for n in ex.negotiations if "call" in n.negotiation_name)
    assert calls == [("Chile",), ("Peru",)]


def test_a_hyphenated_broker_is_the_mediator_and_between_is_in_the_name(extract):
    ex = extract("A Qatari-brokered truce between Peru and Bolivia collapsed on Sunday.")
    [n] = ex.negotiations
    assert n.mediator_name == "Qatar" and set(n.parties) == {"Peru", "Bolivia"}
    assert n.negotiation_name == "Qatari-brokered truce between Peru and Bolivia"


def test_wanting_to_reach_an_agreement_is_not_concluded(extract):
    [n] = extract("Peru and Chile want to reach an agreement on the border.").negotiations
    assert n.status != "concluded"


def test_an_expected_round_of_talks_is_scheduled_and_named_whole(extract):
    [n] = extract("Peru and Chile are expected to hold a new round of talks in June.").negotiations
    assert n.status == "scheduled" and n.negotiation_name == "new round of talks"


def test_proposed_talks_are_proposed(extract):
    [n] = extract("Peru proposed talks with Chile.").negotiations
    assert n.status == "proposed"


def test_a_track_noun_describing_an_unnamed_source_is_no_track(extract):
    ex = extract("Chile has offered to fund the salaries, according to officials familiar with the talks.")
    assert ex.negotiations == []


def test_a_meeting_for_a_numbered_round_is_that_round_and_the_next_round_is_its_own(extract):
    ex = extract(
        "The delegations of Chile and Peru met in Lima for the fourth round of talks. "
        "The fifth round of talks will be held in Quito in June."
    )
    found = sorted((n.negotiation_name, tuple(n.parties), n.status) for n in ex.negotiations)
    assert found == [
        ("fifth round of talks", ("Chile", "Peru"), "scheduled"),
        ("fourth round of talks", ("Chile", "Peru"), "concluded"),
    ]


def test_talks_a_party_stands_ready_to_open_are_proposed_with_it_as_party(extract):
    ex = extract("Chile said it was ready to open talks with Peru on transport links.")
    [n] = ex.negotiations
    assert set(n.parties) == {"Chile", "Peru"} and n.status == "proposed"


def test_talks_named_as_a_future_condition_are_no_track(extract):
    assert extract("The rebels will lay down their arms only after direct negotiations with Peru.").negotiations == []
    ex = extract("The ceasefire was agreed after talks in Doha between Israel and Hamas.")
    assert [set(n.parties) for n in ex.negotiations] == [{"Israel", "Hamas"}]
