{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

responses as (
    select * from {{ ref('int_responses_deduped') }}
),

links as (
    select * from {{ ref('int_record_links') }}
    where record_kind = 'response'
)

select
    responses.response_id,
    responses.article_id,
    articles.published_at,
    {{ actor_id('responses.responder_name') }} as responder_actor_id,
    responses.responder_name,
    responses.stance,
    {{ actor_id('responses.to_actor_name') }} as to_actor_id,
    responses.to_actor_name,
    responses.object_text,
    responses.cue_text,
    responses.evidence_text,
    responses.evidence_start,
    responses.evidence_end,
    articles.loaded_at,
    links.issue_id,
    links.answers_kind,
    links.answers_id,
    links.story_id
from responses
inner join articles on articles.article_id = responses.article_id
left join links on links.record_id = responses.response_id
