"""Statements, speaker attribution and speech acts on constructed sentences."""

from __future__ import annotations

import pytest

from flows.extract import extract_doc
from flows.extract.quotes import find_quotes
from flows.records import Statement


@pytest.fixture(scope="module")
def statements(nlp):
    def run(text: str) -> list[Statement]:
        return extract_doc("t", text, nlp(text)).statements

    return run


def _by_kind(recs: list[Statement], kind: str) -> list[Statement]:
    return [r for r in recs if r.statement_kind == kind]


# ---- quotes -------------------------------------------------------------------------
def test_quote_split_around_attribution_gives_two_records_same_speaker(statements):
    recs = statements(
        "Foreign Minister Anna Berg spoke in Oslo on Monday. "
        "“We will not give up,” she said, “because our people are united.”"
    )
    direct = _by_kind(recs, "direct")
    assert [r.statement_text for r in direct] == ["We will not give up", "because our people are united"]
    assert {r.speaker_name for r in direct} == {"Anna Berg"}


def test_multi_sentence_quote_keeps_its_speaker(statements):
    recs = statements("“The talks have failed. We are deeply disappointed,” said Lars Holm.")
    (rec,) = _by_kind(recs, "direct")
    assert rec.speaker_name == "Lars Holm"
    assert rec.statement_text.startswith("The talks have failed. We are")


def test_colon_introduced_quote_and_its_act(statements):
    recs = statements("Lars Holm told reporters on Friday:\n“The offer is unacceptable.”")
    (rec,) = _by_kind(recs, "direct")
    assert (rec.speaker_name, rec.speech_act) == ("Lars Holm", "reject")


def test_unclosed_quote_ends_at_paragraph():
    text = "He said: “We will fight on.\n\nThe army moved north."
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == "We will fight on." and not q.closed


# ---- reported speech and speakers ---------------------------------------------------
def test_layered_reporting_gives_a_statement_per_actor(statements):
    recs = statements("John Miller said Egypt told him that the talks would resume next week.")
    speakers = {r.speaker_name for r in _by_kind(recs, "reported")}
    assert {"John Miller", "Egypt"} <= speakers


def test_according_to(statements):
    recs = statements("The ceasefire collapsed on Monday after heavy fighting, according to Kenya.")
    (rec,) = recs
    assert rec.speaker_name == "Kenya" and rec.statement_kind == "reported"
    assert "according" not in rec.statement_text


def test_pronoun_speaker_follows_the_previous_speaker_role(statements):
    recs = statements(
        "Norway's representative said the proposal was deeply flawed. "
        "He added that Oslo would keep talking to all sides."
    )
    assert [r.speaker_name for r in recs] == ["Norway", "Norway"]


def test_representative_of_a_state(statements):
    recs = statements("“We reject this resolution,” said the representative of Brazil.")
    (rec,) = recs
    assert (rec.speaker_name, rec.speech_act) == ("Brazil", "reject")


def test_unresolvable_speaker_is_not_emitted(statements):
    assert statements("“This is over,” a person familiar with the matter said.") == []


def test_headline_summaries_are_not_statements(statements):
    recs = statements(
        "Brazil Rejects Plan, Says Talks Must Continue\n\n"
        "Brazil said on Monday that it would keep talking to both parties."
    )
    assert [r.statement_text for r in recs] == ["it would keep talking to both parties"]


def test_transcript_turn_is_direct(statements):
    recs = statements("Jane Smith spoke to reporters in Geneva.\nSMITH: We want a deal by Friday.")
    (rec,) = _by_kind(recs, "direct")
    assert (rec.speaker_name, rec.statement_text) == ("Jane Smith", "We want a deal by Friday")


def test_issued_statement_paragraphs_are_direct(statements):
    recs = statements(
        "The following statement by Jane Smith was issued today:\n\n"
        "I welcome the agreement between the two sides. It is an important step.\n\n"
        "All parties must now respect the ceasefire."
    )
    direct = _by_kind(recs, "direct")
    assert [(r.speaker_name, r.speech_act) for r in direct] == [("Jane Smith", "support"), ("Jane Smith", "demand")]


# ---- communicative verbs with objects (PLOVER-style news items) ---------------------
@pytest.mark.parametrize(
    ("text", "speaker", "act"),
    [
        ("Iran threatened to cut off gas supplies to Turkey.", "Iran", "threat"),
        ("Chile accused Peru of violating the border treaty.", "Chile", "accuse"),
        ("Germany praised Poland for its role in the talks.", "Germany", "support"),
        ("Japan urged China to release the detained fishermen.", "Japan", "demand"),
        ("Argentina said it would impose sanctions on Britain unless the talks resumed.", "Argentina", "threat"),
        ("Greece has been criticized by Turkey for its naval exercises.", "Turkey", "accuse"),
        ("The opposition leader was praised by the Kenyan government for his restraint.", "Kenya", "support"),
        ("China complained to Japan over the visit of its minister to the island.", "China", "accuse"),
        ("Pakistan blamed India for the attack on the border post.", "Pakistan", "accuse"),
        ("Russia lodged a protest with Norway over the detention of its fishermen.", "Russia", "accuse"),
        ("Germany backed the proposal for a ceasefire in the region.", "Germany", "support"),
        ("Egypt congratulated Sudan on the peace deal with the rebels.", "Egypt", "support"),
        ("The United States defended the right of the protesters to assemble peacefully.", "United States", "support"),
        ("Turkey warned it would retaliate against any attack on its soldiers.", "Turkey", "threat"),
        (
            "Greece will extend the curfew on the islands for two more weeks, the government spokesman said.",
            "Greece",
            "threat",
        ),
        # a body named by its state or organisation speaks for it
        ("The Bolivian parliament threatened on Tuesday to suspend relations with Peru.", "Bolivia", "threat"),
        ("The Hamas leadership has said it will boycott the conference unless the blockade ends.", "Hamas", "threat"),
        # an infinitive the parser attaches as an adverbial clause
        (
            "Ethnic Albanians have sworn to fight until they control the villages, officials in Skopje said.",
            "Albanians",
            "threat",
        ),
    ],
)
def test_communicative_verb_yields_reported_statement(statements, text, speaker, act):
    recs = statements(text)
    assert (speaker, act) in {(r.speaker_name, r.speech_act) for r in recs}


@pytest.mark.parametrize(
    "text",
    [
        "Rebels attacked an army base near the border on Sunday.",
        "Government troops fought insurgents in the northern province.",
        "Japan sent food aid to flood victims in Pakistan.",
        "Ukrainian troops defended the city for months against the offensive.",
        "Rebels backed by Rwanda seized the town of Goma.",
    ],
)
def test_material_events_yield_no_speech_acts(statements, text):
    assert [r for r in statements(text) if r.speech_act != "assert"] == []


def test_complement_ends_before_a_second_reporting_participle(statements):
    recs = statements(
        "Foreign Minister Anna Berg said the sanctions have failed, adding that the talks "
        "will resume in Geneva next month."
    )
    texts = [(r.statement_text, r.cue_text) for r in recs]
    assert ("the sanctions have failed", "said") in texts
    assert ("the talks will resume in Geneva next month", "adding") in texts


def test_passive_agent_left_as_by_phrase_is_the_speaker(statements):
    recs = statements(
        "Former president Juan Ortega has been accused of misusing up to 50 million dollars in public "
        "funds, much of it believed to have been stolen, by Peruvian government officials."
    )
    assert [(r.speaker_name, r.speech_act) for r in recs] == [("Peruvian government officials", "accuse")]


def test_clause_closing_on_a_partial_quote_is_left_to_the_direct_record(statements):
    recs = statements('Foreign Minister Anna Berg spoke on Monday. She dismissed the talks as "not serious".')
    assert [(r.statement_kind, r.statement_text, r.speech_act) for r in recs] == [("direct", "not serious", "reject")]


def test_quoted_fragment_takes_the_act_of_its_clause(statements):
    recs = statements("Foreign Minister Anna Berg said the agreement must be “fully implemented” by all sides.")
    frag = next(r for r in _by_kind(recs, "direct") if r.statement_text == "fully implemented")
    assert frag.speech_act == "demand"


def test_calling_something_names_it_and_demands_nothing(statements):
    recs = statements("Foreign Minister Anna Berg called the announcement “extremely significant”.")
    assert [r.speech_act for r in recs] == ["support"]  # a word of praise, not a demand
    recs = statements("Foreign Minister Anna Berg called the announcement “a surprise”.")
    assert [r.speech_act for r in recs] == ["assert"]


# ---- round 3: speakers, fronted clauses, nominal reports, evaluations ------------------
def test_relative_clause_speaker_is_its_antecedent(statements):
    recs = statements(
        "The mood echoed that of Prime Minister Karl Weiss, who wrote on Friday that the "
        "negotiations were making real progress."
    )
    (rec,) = _by_kind(recs, "reported")
    assert rec.speaker_name == "Karl Weiss"
    assert rec.statement_text.startswith("the negotiations were making")


def test_lone_family_or_given_name_resolves_to_the_named_person(statements):
    recs = statements(
        "Pak Chol-Min, the delegation's spokesman, arrived on Monday. "
        "Pak says the proposed package is worthless for his country."
    )
    (rec,) = _by_kind(recs, "reported")
    assert rec.speaker_name == "Pak Chol-Min"


def test_the_party_refers_to_the_latest_party_named(statements):
    recs = statements(
        "The government needs the votes of the Northern Farmers Party. "
        "The party has said it will not support the budget."
    )
    (rec,) = _by_kind(recs, "reported")
    assert rec.speaker_name == "Northern Farmers Party"
    assert rec.speech_act == "reject"


def test_fronted_reported_clause_leaves_out_its_scene_setting_phrase(statements):
    recs = statements(
        "After three weeks of heavy fighting in the north, both armies must return to the "
        "table, Foreign Minister Anna Berg told reporters."
    )
    (rec,) = _by_kind(recs, "reported")
    assert rec.speaker_name == "Anna Berg"
    assert rec.statement_text.startswith("both armies must return")


def test_possessed_message_noun_with_that_clause_is_a_report(statements):
    recs = statements(
        "Observers voiced doubts about Poland's announcement on Monday that it will close the border crossings."
    )
    rec = next(r for r in _by_kind(recs, "reported") if r.speaker_name == "Poland")
    assert rec.statement_text == "it will close the border crossings"


def test_meeting_speakers_are_a_group_speaker_and_their_pronoun(statements):
    recs = statements(
        "Many speakers told the General Assembly that the blockade of the port must end. "
        "They also called on Ethiopia to reopen the border."
    )
    assert [s.speaker_name for s in recs] == ["Speakers", "Speakers"]


def test_quote_attributed_by_an_urging_verb_leaves_its_audience_out(statements):
    recs = statements(
        "“Let us give diplomacy a chance in Darfur,” Kenyan President William Ruto urged "
        "an emergency summit of the African Union on Sunday."
    )
    assert [(r.statement_kind, r.statement_text) for r in recs] == [
        ("direct", "Let us give diplomacy a chance in Darfur")
    ]


def test_sentence_case_title_line_is_a_summary_not_a_statement(statements):
    recs = statements(
        "Kenya, Ethiopia agree to reopen border crossings\n\n"
        "Kenya's foreign minister said on Monday that both crossings would reopen within a week."
    )
    assert [r.statement_text for r in recs] == ["both crossings would reopen within a week"]


def test_he_is_not_someone_already_referred_to_as_she(statements):
    recs = statements(
        "Chief mediator Amina Yusuf told reporters the truce was holding. "
        "She said both armies must pull back from the river. "
        "The militia's leader, Omar Hassan, arrived in the capital on Monday. "
        "He said his fighters would stay until the elections."
    )
    assert [r.speaker_name for r in recs if r.speaker_mention == "He"] == ["Omar Hassan"]


def test_a_demonstrative_that_stays_in_the_reported_object(statements):
    [rec] = statements("The militia's leader, Omar Hassan, rejected that proposal in a radio address.")
    assert rec.statement_text.startswith("that proposal")


def test_an_announced_object_is_what_was_said(statements):
    recs = statements("Ethiopian Prime Minister Abiy Ahmed announced a unilateral ceasefire in Tigray on Monday.")
    assert [(r.speaker_name, r.statement_kind) for r in recs] == [("Abiy Ahmed", "reported")]
    assert recs[0].statement_text.startswith("a unilateral ceasefire")


def test_the_group_stands_for_the_organisation_just_named(statements):
    recs = statements(
        "The Rapid Support Forces offered a truce on Sunday. "
        "A spokesperson for the group accused the army of “choosing starvation over peace.”"
    )
    assert ("Rapid Support Forces", "choosing starvation over peace") in {
        (r.speaker_name, r.statement_text) for r in recs
    }


def test_speaker_mention_stops_before_a_clause_on_the_subject(statements):
    recs = statements(
        "Two Egyptian officials, speaking on condition of anonymity because they were not "
        "authorized to brief reporters, said Cairo would host the next round."
    )
    assert [r.speaker_mention for r in recs] == ["Two Egyptian officials"]


def test_transcript_labels_in_capitals(extract):
    ex = extract(
        "MR DUARTE: We continue to urge both sides to return to the table.\n\n"
        "QUESTION: Has Bolivia accepted the latest text?\n\n"
        "MR DUARTE: Bolivia has accepted the framework."
    )
    assert {a.actor_name for a in ex.actors if a.actor_type == "person"} == {"Duarte"}
    assert {s.speaker_name for s in ex.statements} == {"Duarte"}  # a question reports nothing
    assert {(r.responder_name, r.object_text) for r in ex.responses} == {("Bolivia", "the framework")}


# ---- transcripts: interviews and parliamentary statements ----------------------------------
def test_answer_turns_are_the_interviewee_s(extract):
    ex = extract(
        "Farmland minister Olga Varga spoke to us before the summit in Vienna.\n\n"
        "Q: Will you meet the rebels?\n\n"
        "A: No. We will not negotiate with armed groups while they hold hostages.\n\n"
        "Q: And the aid convoys?\n\n"
        "A: They will move next week."
    )
    direct = [s for s in ex.statements if s.statement_kind == "direct"]
    assert [s.speaker_name for s in direct] == ["Olga Varga", "Olga Varga"]
    assert direct[0].statement_text.startswith("No. We will not negotiate")
    assert not any("Will you" in s.statement_text for s in ex.statements)


def test_parliamentary_labels_with_constituency_and_party(extract):
    ex = extract(
        "Statement by the Minister for Trade, Karl Brenner, with questions from Members.\n\n"
        "The Minister for Trade (Karl Brenner): With permission, I will make a statement on the tariff talks.\n\n"
        "We have asked Norway to lift the duties on steel before the summer.\n\n"
        "Dr Anna Lind (Leeds North) (Lab): I thank the Minister. The Government must publish the text.\n\n"
        "Karl Brenner: We will publish it next week."
    )
    direct = [(s.speaker_name, s.statement_text) for s in ex.statements if s.statement_kind == "direct"]

    def said(name: str, start: str) -> bool:
        return any(n == name and t.startswith(start) for n, t in direct)

    assert said("Karl Brenner", "With permission, I will make")
    assert said("Karl Brenner", "We have asked Norway")  # the turn runs on over its paragraphs
    assert said("Anna Lind", "I thank the Minister.")
    assert said("Karl Brenner", "We will publish it")


def test_according_to_an_unnamed_source_is_that_source(extract):
    ex = extract("Norway has offered to host the talks, according to two diplomats briefed on the discussions.")
    speakers = {s.speaker_name for s in ex.statements if s.statement_text.startswith("Norway has offered")}
    assert speakers == {"two diplomats briefed on the discussions"}
    assert "two diplomats briefed on the discussions" in {a.actor_name for a in ex.actors}


def test_a_transcript_turn_s_cue_is_its_label(extract):
    ex = extract("MR DUARTE: We continue to urge both sides to return to the table.\n\nQUESTION: Thanks.")
    assert [s.cue_text for s in ex.statements if s.statement_kind == "direct"] == ["MR DUARTE"]


def test_a_deed_reported_according_to_others_is_only_their_statement(extract):
    ex = extract("Bolivia has proposed to host the talks in La Paz, according to officials familiar with the offer.")
    assert [s.speaker_name for s in ex.statements] == ["officials familiar with the offer"]


def test_an_unnamed_spokesman_of_the_actor_speaks_for_it(extract):
    ex = extract(
        "Peru urged the parties on Monday not to let the dispute derail the ceasefire, "
        "according to a Peruvian foreign ministry spokesman."
    )
    assert [(s.speaker_name, s.speech_act) for s in ex.statements] == [("Peru", "demand")]


def test_an_unnamed_spokesman_of_a_state_body_speaks_for_the_state(extract):
    ex = extract(
        "The United States called on both armies to pull back from the river, according to a Pentagon spokesman."
    )
    assert {s.speaker_name for s in ex.statements} == {"United States"}


BRIEFING = (
    "Daily Press Briefing by the Office of the Spokesperson\n\n"
    "Miguel Torres, Spokesperson\n\n"
    "MR. TORRES: Good afternoon. The Secretary-General spoke yesterday with the President of Chile, who "
    "welcomed the proposal to send observers to the border. The Secretary-General also spoke with Peru's "
    "foreign minister, Juan Perez, who said Peru would study the plan.\n\n"
    "QUESTION: Miguel, has Peru rejected the plan? Will the observers deploy this month?\n\n"
    "MR. TORRES: I would not characterize it that way. We urge both countries to show restraint. The "
    "Secretary-General's envoy, Ana Lopez, will travel to Lima next week."
)


def test_a_label_surname_names_the_person_spelled_out_before(extract):
    ex = extract(BRIEFING)
    assert {s.speaker_name for s in ex.statements if s.statement_kind == "direct"} == {"Miguel Torres"}


def test_conjoined_speakers_each_get_the_statement(extract):
    ex = extract("Peru and Chile agreed on Friday to reopen their border, a joint statement said.")
    assert {s.speaker_name for s in ex.statements} == {"Peru", "Chile"}


def test_speaker_after_a_dateline_is_the_named_person(extract):
    ex = extract(
        "BRUSSELS, June 2 - The European Union's foreign policy chief, Karl Weber, said on Monday that "
        "the two sides had made progress."
    )
    assert [s.speaker_name for s in ex.statements] == ["Karl Weber"]


def test_the_ministers_are_the_body_named_with_them_before(extract):
    ex = extract(
        "Serbian President Milan Jovic rejected that view. Kosovo's prime minister, Arben Krasniqi, disagreed.\n\n"
        "ASEAN foreign ministers, meeting in Jakarta, called for an end to violence in Myanmar. In their "
        "statement, the ministers said they remained committed to the five-point consensus."
    )
    speakers = {s.speaker_name for s in ex.statements if "five-point" in s.statement_text}
    assert speakers and not speakers & {"Milan Jovic", "Arben Krasniqi"}


def test_a_document_speaks_for_its_authors(extract):
    ex = extract(
        "A joint statement issued by Peru and Bolivia said the two countries would form a trade commission.\n\n"
        "Peru and Chile held talks in Arica. The statement, signed by the foreign ministers of Peru and Chile, "
        "said the border would reopen within weeks."
    )
    by_text = {}
    for s in ex.statements:
        by_text.setdefault(s.statement_text, set()).add(s.speaker_name)
    assert by_text["the two countries would form a trade commission"] == {"Peru", "Bolivia"}
    assert by_text["the border would reopen within weeks"] == {"Peru", "Chile"}


def test_a_parliament_label_spelling_out_the_name_is_that_person(extract):
    ex = extract(
        "Mr JOHN HARLOW (Canberra) (Minister for Foreign Affairs) (14:05): Australia calls on the military "
        "regime to release all political prisoners.\n\nMr PETER VANCE (Wentworth) (14:09): Will the minister "
        "impose sanctions?\n\nMr HARLOW: We will consider all options."
    )
    assert {s.speaker_name for s in ex.statements if s.statement_kind == "direct"} == {"John Harlow", "Peter Vance"}


def test_a_role_label_is_the_person_introduced_in_that_role(extract):
    ex = extract(
        "The following is a transcript of today's briefing by Lucia Ferrante, Spokesperson for the "
        "Secretary-General.\n\nSpokesperson: Good afternoon. We are ready to support the parties.\n\n"
        "Question: Will the UN send observers?\n\nSpokesperson: Not at this stage."
    )
    assert {s.speaker_name for s in ex.statements if s.statement_kind == "direct"} == {"Lucia Ferrante"}


def test_a_quote_reporting_another_s_offer_is_not_the_speaker_s_offer(extract):
    ex = extract('"The Saudis told us they are ready to fund the salaries," Tom Hale said.')
    assert [s.speech_act for s in ex.statements if s.speaker_name == "Tom Hale"] == ["assert"]
    ex = extract('"We are ready to fund the salaries," Tom Hale said.')
    assert [s.speech_act for s in ex.statements if s.speaker_name == "Tom Hale"] == ["offer"]
