-- demands with records extracted twice from one article collapsed
{{ dedupe_within_article(ref('stg_demands'), 'demand_id', ['demander_name', 'addressee_name', 'demand_text']) }}
