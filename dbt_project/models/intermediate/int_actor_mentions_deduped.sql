-- actor mentions with records extracted twice from one article collapsed
{{ dedupe_within_article(ref('stg_actor_mentions'), 'mention_id', ['actor_name', 'start_char', 'end_char']) }}
