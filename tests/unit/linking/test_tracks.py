from flows.linking.tracks import NegotiationFeatures, assign_track, is_event, is_upcoming, negotiation_terms


def feats(rid, aid, name, parties=("p1",), date="2025-01-01", issue="i1"):
    return NegotiationFeatures(
        rid, aid, issue, name, negotiation_terms(name, None), tuple(parties), is_event(name), date
    )


def test_same_plan_across_articles_joins_one_track():
    tid, first = assign_track(feats("n1", "a1", "Joint Comprehensive Plan of Action"), [])
    assert first is not None and first.negotiation_track_id == tid
    same, new = assign_track(
        feats("n2", "a2", "the JCPOA, the Joint Comprehensive Plan of Action", date="2019-06-26"), [first]
    )
    assert (same, new) == (tid, None)


def test_the_same_talks_filed_under_another_issue_of_the_anchor_join_its_track():
    tid, first = assign_track(feats("n1", "a1", "six-party talks on the nuclear program"), [])
    assert assign_track(feats("n2", "a2", "six-party talks on the nuclear program", issue="i2"), [first]) == (tid, None)
    # between equal fits, the track of the negotiation's own issue
    _, other = assign_track(feats("n0", "a0", "six-party talks on the nuclear program", issue="i2"), [])
    assert assign_track(feats("n3", "a3", "six-party talks on the nuclear program", issue="i2"), [first, other])[0] == (
        other.negotiation_track_id
    )


def test_a_meeting_yet_to_take_place_joins_its_track_for_weeks():
    _, meeting = assign_track(feats("n1", "a1", "ministerial meeting in Luanda", date="2026-03-01"), [])
    later = feats("n2", "a2", "the ministerial meeting in Luanda", date="2026-03-15")
    assert assign_track(later, [meeting])[1] is not None  # a meeting that took place: only nearby days
    upcoming = NegotiationFeatures(**{**later.__dict__, "upcoming": True})
    assert assign_track(upcoming, [meeting]) == (meeting.negotiation_track_id, None)
    assert is_upcoming("scheduled") and not is_upcoming("concluded")


def test_disjoint_parties_or_other_names_found_new_tracks():
    _, first = assign_track(feats("n1", "a1", "six-party talks on the nuclear program"), [])
    assert assign_track(feats("n3", "a2", "six-party talks on the nuclear program", parties=("p9",)), [first])[1]
    assert assign_track(feats("n4", "a2", "grain corridor initiative"), [first])[1] is not None
    # synonyms: six-nation negotiations == six-party talks
    assert assign_track(feats("n5", "a3", "six-nation negotiations on its nuclear programmes"), [first])[1] is None


def test_a_meeting_is_one_event_only_for_nearby_days():
    _, meeting = assign_track(feats("n1", "a1", "Security Council meeting on Ukraine", date="2023-09-20"), [])
    assert meeting.is_event
    assert assign_track(feats("n2", "a2", "Security Council meeting on Ukraine", date="2024-09-24"), [meeting])[1]
    assert (
        assign_track(feats("n3", "a3", "Security Council meeting on Ukraine", date="2023-09-21"), [meeting])[1] is None
    )


def test_a_meeting_or_call_about_a_plan_is_not_the_plan():
    _, plan = assign_track(feats("n1", "a1", "UN roadmap for the peace process"), [])
    call = feats("n2", "a1", "telephone call between the ministers about the UN roadmap for the peace process")
    assert call.is_event and not plan.is_event
    assert assign_track(call, [plan])[1] is not None


def test_the_parties_names_do_not_count_in_a_negotiations_name():
    # the parties are compared on their own: "ministerial meeting between X and Y" is the "ministerial meeting"
    terms = negotiation_terms("ministerial meeting between Freedonia and Sylvania", None, ["Freedonia", "Sylvania"])
    assert terms == ("ministerial", "meeting")
    assert negotiation_terms("Freedonia and Sylvania", None, ["Freedonia", "Sylvania"]) == ("freedonia", "sylvania")
    _, meeting = assign_track(
        NegotiationFeatures("n1", "a1", "i1", "m", terms, ("p1",), True, "2026-03-06", upcoming=True), []
    )
    later = NegotiationFeatures(
        "n2", "a2", "i1", "m", negotiation_terms("ministerial meeting", "Ruritania"), ("p1",), True, "2026-03-16", True
    )
    assert assign_track(later, [meeting]) == (meeting.negotiation_track_id, None)


def test_a_meeting_going_on_is_not_over_it_joins_its_track_for_weeks():
    assert is_upcoming("ongoing") and is_upcoming("proposed") and not is_upcoming("stalled")
