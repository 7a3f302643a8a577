-- statements with records extracted twice from one article collapsed
{{ dedupe_within_article(ref('stg_statements'), 'statement_id', ['speaker_name', 'statement_text']) }}
