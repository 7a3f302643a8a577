"""Demands on constructed sentences (flows/extract/demands.py; not from the corpora)."""

from __future__ import annotations


def demands(extract, text):
    return [(d.demander_name, d.addressee_name, d.demand_text) for d in extract(text).demands]


# ---- demands ---------------------------------------------------------------------------------
def test_urge_object_control(extract):
    (d,) = demands(extract, "France urged Germany to lift the tariffs on steel imports.")
    assert d[:2] == ("France", "Germany")
    assert d[2].startswith("lift the tariffs")


def test_call_on(extract):
    (d,) = demands(extract, "Japan called on China to release the detained fishermen.")
    assert d[:2] == ("Japan", "China")
    assert "release the detained fishermen" in d[2]


def test_call_for_names_the_demanded_thing(extract):
    (d,) = demands(extract, "Brazil called for an immediate ceasefire in the region.")
    assert d[0] == "Brazil" and d[1] is None
    assert "immediate ceasefire" in d[2]


def test_demanded_that_clause_takes_its_subject_as_addressee(extract):
    (d,) = demands(extract, "Poland demanded that Belarus reopen the border crossings.")
    assert d[:2] == ("Poland", "Belarus")
    assert d[2].startswith("reopen the border crossings")


def test_must_clause_in_a_quote(extract):
    found = demands(extract, "“Serbia must withdraw its police from the border,” Croatia said on Monday.")
    assert ("Croatia", "Serbia", "withdraw its police from the border") in found


def test_threat_alternative_is_split_off(extract):
    ex = extract("“Iran must stop enriching uranium or face new sanctions,” the United States said.")
    (d,) = ex.demands
    assert d.demander_name == "United States" and d.addressee_name == "Iran"
    assert "sanctions" not in d.demand_text and d.demand_text.startswith("stop enriching uranium")
    assert d.threat_text == "face new sanctions"


def test_condition_after_dash(extract):
    ex = extract("“Armenia must pull back its troops — then the shelling will stop,” Azerbaijan said.")
    (d,) = ex.demands
    assert d.demander_name == "Azerbaijan" and d.addressee_name == "Armenia"
    assert d.condition_text == "the shelling will stop"
    assert "shelling" not in d.demand_text


def test_imperative_quote_is_a_demand(extract):
    found = demands(extract, "“Stop the bombing of civilians now,” Turkey said on Sunday.")
    assert found and found[0][0] == "Turkey" and "bombing of civilians" in found[0][2]


def test_epistemic_must_is_not_a_demand(extract):
    assert demands(extract, "The attack must have been planned for weeks, Israel said.") == []


def test_orders_and_material_events_are_not_demands(extract):
    assert demands(extract, "The government ordered the newspaper to suspend publication.") == []
    ex = extract("Rebels attacked a police station in the north, killing three officers, police said.")
    assert ex.demands == [] and ex.offers == []


def test_one_record_per_addressee_and_no_double_count(extract):
    found = demands(extract, "Canada urged Armenia and Azerbaijan to respect the ceasefire.")
    assert sorted(a for _, a, _ in found) == ["Armenia", "Azerbaijan"]
    assert all(text.startswith("respect the ceasefire") for *_, text in found)


def test_threat_unless_makes_a_demand_with_its_threat(extract):
    ex = extract("Turkey threatened to close its airspace unless Greece withdrew the warships.")
    (d,) = ex.demands
    assert (d.demander_name, d.addressee_name) == ("Turkey", "Greece")
    assert d.demand_text.startswith("withdrew the warships")
    assert d.threat_text == "close its airspace"


def test_if_not_clause_with_will(extract):
    ex = extract("Egypt said it will suspend the talks if Israel does not halt the raids.")
    d = next(d for d in ex.demands if d.threat_text)
    assert (d.demander_name, d.addressee_name) == ("Egypt", "Israel")
    assert d.demand_text == "halt the raids" and d.threat_text == "suspend the talks"


def test_short_if_not_clause_restates_the_previous_demand(extract):
    ex = extract(
        "“Serbia must remove its police from the border. If they do not leave, we will close "
        "the crossings,” Kosovo said."
    )
    assert len(ex.demands) == 1
    assert ex.demands[0].demand_text.startswith("remove its police")
    assert ex.demands[0].threat_text == "close the crossings"


def test_once_clause_gives_the_condition(extract):
    ex = extract("“Once Israel stops the strikes, Iran will stop its response,” Iran said.")
    d = next(d for d in ex.demands if d.condition_text)
    assert d.demander_name == "Iran" and d.addressee_name == "Israel"
    assert d.demand_text == "stops the strikes" and d.condition_text == "Iran will stop its response"


def test_threat_to_respond_if_attacked_is_no_demand(extract):
    assert demands(extract, "Iran threatened to retaliate if Israel attacks its nuclear sites.") == []


def test_modal_clause_after_a_non_speech_verb(extract):
    found = demands(extract, "The European Union concluded on Monday that Serbia must recognise Kosovo.")
    assert ("European Union", "Serbia", "recognise Kosovo") in found
    assert demands(extract, "Serbia denied that Kosovo must be recognised.") == []


def test_message_noun_with_a_modal_clause(extract):
    found = demands(extract, "France sent a firm message to Iran that it must free the detained sailors.")
    assert ("France", "Iran", "free the detained sailors") in found
    assert demands(extract, "France sent a message to Iran about the detained sailors.") == []


def test_pressed_for_a_clause_with_its_own_subject(extract):
    found = demands(extract, "Britain pressed hard for the United States to back its debt relief plan.")
    assert found and found[0][:2] == ("United Kingdom", "United States") and found[0][2].startswith("back")


def test_urge_with_a_misparsed_addressee(extract):
    found = demands(extract, "“I urge all concerned to respect the truce,” Antonio Guterres said.")
    assert found and found[0][0] == "Antonio Guterres" and found[0][2].startswith("respect the truce")


def test_demanded_that_singular_actor_cease_names_the_addressee(extract):
    ex = extract(
        "The Security Council demanded that the ELN immediately cease hostilities and withdraw from the towns."
    )
    [d] = ex.demands
    assert (d.demander_name, d.addressee_name) == ("UN Security Council", "ELN")
    assert d.demand_text.startswith("cease hostilities")


def test_their_call_reiterated_is_the_subjects_own(extract):
    ex = extract(
        "The members of the Security Council expressed support for the mediation of the Caribbean Community "
        "and reiterated their call for an immediate cessation of hostilities."
    )
    assert [d.demander_name for d in ex.demands] == ["UN Security Council"]
