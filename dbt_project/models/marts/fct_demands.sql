{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

demands as (
    select * from {{ ref('int_demands_deduped') }}
),

links as (
    select * from {{ ref('int_record_links') }}
    where record_kind = 'demand'
)

select
    demands.demand_id,
    demands.article_id,
    articles.published_at,
    {{ actor_id('demands.demander_name') }} as demander_actor_id,
    demands.demander_name,
    {{ actor_id('demands.addressee_name') }} as addressee_actor_id,
    demands.addressee_name,
    demands.demand_text,
    demands.condition_text,
    demands.threat_text,
    demands.cue_text,
    demands.evidence_text,
    demands.evidence_start,
    demands.evidence_end,
    articles.loaded_at,
    links.issue_id,
    links.story_id
from demands
inner join articles on articles.article_id = demands.article_id
left join links on links.record_id = demands.demand_id
