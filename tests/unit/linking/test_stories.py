from flows.linking.stories import (
    BANDS,
    THRESHOLD,
    StoryCandidate,
    assign_story,
    band_keys,
    from_hex,
    signature,
    similarity,
)

BODY = " ".join(
    f"Paragraph {i}: the delegations met for a {i}th time to discuss the ceasefire terms and the exchange of "
    f"prisoners, officials said, adding that no date had been set for the next round of talks in the capital."
    for i in range(12)
)


def test_a_syndicated_copy_is_the_same_story_and_another_text_is_not():
    original = signature("a", BODY)
    copy = signature("b", "By Jane Doe, Wire Service\n" + BODY + "\nCopyright 2025 Wire Service. All rights reserved.")
    other = signature("c", BODY.replace("ceasefire", "tariff").replace("prisoners", "grain")[: len(BODY) // 3])
    assert similarity(original, copy) >= THRESHOLD
    assert similarity(original, other) < THRESHOLD
    assert set(band_keys(original)) & set(band_keys(copy))  # the index finds the copy


def test_story_assignment_joins_the_most_similar_candidate_or_founds_one():
    original = signature("a", BODY)
    link, bands = assign_story(original, [])
    assert link.similarity is None and len(bands) == len(BANDS)
    copy = signature("b", "Updated: " + BODY)
    joined, _ = assign_story(copy, [StoryCandidate("a", link.story_id, original)])
    assert joined.story_id == link.story_id and joined.similarity >= THRESHOLD
    unrelated = signature("c", "A completely different report about weather and sports results in the region.")
    alone, _ = assign_story(unrelated, [StoryCandidate("a", link.story_id, original)])
    assert alone.story_id != link.story_id


def test_signatures_round_trip_through_their_stored_form():
    sig = signature("a", BODY)
    back = from_hex("a", sig.hex())
    assert similarity(sig, back) == 1.0 and band_keys(back) == band_keys(sig)
