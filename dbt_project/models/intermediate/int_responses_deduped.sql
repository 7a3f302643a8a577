-- responses with records extracted twice from one article collapsed
{{ dedupe_within_article(
    ref('stg_responses'), 'response_id', ['responder_name', 'to_actor_name', 'stance', 'object_text']
) }}
