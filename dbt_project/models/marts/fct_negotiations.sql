{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

negotiations as (
    select * from {{ ref('int_negotiations_deduped') }}
),

links as (
    select * from {{ ref('int_record_links') }}
    where record_kind = 'negotiation'
)

select
    negotiations.negotiation_id,
    negotiations.article_id,
    articles.published_at,
    negotiations.negotiation_name,
    negotiations.parties,
    list_transform(negotiations.parties, lambda party: {{ actor_id('party') }}) as party_actor_ids, -- noqa: RF02
    {{ actor_id('negotiations.mediator_name') }} as mediator_actor_id,
    negotiations.mediator_name,
    negotiations.venue,
    negotiations.status,
    negotiations.provisions,
    negotiations.cue_text,
    negotiations.evidence_text,
    negotiations.evidence_start,
    negotiations.evidence_end,
    articles.loaded_at,
    links.issue_id,
    links.negotiation_track_id,
    links.story_id
from negotiations
inner join articles on articles.article_id = negotiations.article_id
left join links on links.record_id = negotiations.negotiation_id
