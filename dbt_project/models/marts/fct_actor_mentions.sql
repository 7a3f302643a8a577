{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

mentions as (
    select * from {{ ref('int_actor_mentions_deduped') }}
)

select
    mentions.mention_id,
    mentions.article_id,
    {{ actor_id('mentions.actor_name') }} as actor_id,
    mentions.actor_name,
    mentions.actor_type,
    mentions.mention_text,
    mentions.start_char,
    mentions.end_char,
    mentions.evidence_text,
    mentions.evidence_start,
    mentions.evidence_end,
    articles.published_at,
    articles.loaded_at
from mentions
inner join articles on articles.article_id = mentions.article_id
