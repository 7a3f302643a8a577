{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

offers as (
    select * from {{ ref('int_offers_deduped') }}
),

links as (
    select * from {{ ref('int_record_links') }}
    where record_kind = 'offer'
)

select
    offers.offer_id,
    offers.article_id,
    articles.published_at,
    {{ actor_id('offers.offerer_name') }} as offerer_actor_id,
    offers.offerer_name,
    {{ actor_id('offers.recipient_name') }} as recipient_actor_id,
    offers.recipient_name,
    offers.offer_text,
    offers.cue_text,
    offers.evidence_text,
    offers.evidence_start,
    offers.evidence_end,
    articles.loaded_at,
    links.issue_id,
    links.story_id
from offers
inner join articles on articles.article_id = offers.article_id
left join links on links.record_id = offers.offer_id
