{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_article_rows() }}",
) }}

with articles as (
    {{ articles_to_load() }}
),

statements as (
    select * from {{ ref('int_statements_deduped') }}
)

select
    statements.statement_id,
    statements.article_id,
    articles.published_at,
    {{ actor_id('statements.speaker_name') }} as speaker_actor_id,
    statements.speaker_name,
    statements.speaker_mention,
    statements.statement_kind,
    statements.statement_text,
    statements.speech_act,
    statements.cue_text,
    statements.text_start,
    statements.text_end,
    statements.evidence_text,
    statements.evidence_start,
    statements.evidence_end,
    articles.loaded_at
from statements
inner join articles on articles.article_id = statements.article_id
