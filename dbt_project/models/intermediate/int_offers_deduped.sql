-- offers with records extracted twice from one article collapsed
{{ dedupe_within_article(ref('stg_offers'), 'offer_id', ['offerer_name', 'recipient_name', 'offer_text']) }}
