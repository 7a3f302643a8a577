-- negotiations with records extracted twice from one article collapsed
{{ dedupe_within_article(ref('stg_negotiations'), 'negotiation_id', ['negotiation_name']) }}
