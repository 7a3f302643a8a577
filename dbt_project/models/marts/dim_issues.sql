-- One row per issue that has at least one record. Counts count stories: syndicated copies of one
-- story are counted once (records by story, kind, actor and text).
with issues as (
    select * from {{ ref('stg_issues') }}
),

links as (
    select * from {{ ref('int_record_links') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
),

record_texts as (
    select
        'demand' as record_kind,
        demand_id as record_id,
        demander_name as actor_name,
        demand_text as record_text
    from {{ ref('int_demands_deduped') }}
    union all
    select
        'offer' as record_kind,
        offer_id as record_id,
        offerer_name as actor_name,
        offer_text as record_text
    from {{ ref('int_offers_deduped') }}
    union all
    select
        'response' as record_kind,
        response_id as record_id,
        responder_name as actor_name,
        object_text as record_text
    from {{ ref('int_responses_deduped') }}
    union all
    select
        'negotiation' as record_kind,
        negotiation_id as record_id,
        null as actor_name,
        negotiation_name as record_text
    from {{ ref('int_negotiations_deduped') }}
),

issue_records as (
    select
        links.issue_id,
        links.record_kind,
        links.article_id,
        coalesce(links.story_id, links.article_id) as story_id,
        articles.published_at,
        record_texts.actor_name,
        lower(trim(record_texts.record_text)) as record_text
    from links
    inner join record_texts
        on record_texts.record_kind = links.record_kind and record_texts.record_id = links.record_id
    inner join articles on articles.article_id = links.article_id
),

issue_counts as (
    select
        issue_id,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        count(distinct story_id) as n_articles,
        count(distinct article_id) as n_copies,
        count(distinct row(story_id, record_kind, coalesce(actor_name, ''), record_text)) as n_records,
        count(distinct case when record_kind = 'demand' then row(story_id, actor_name, record_text) end) as n_demands,
        count(distinct case when record_kind = 'offer' then row(story_id, actor_name, record_text) end) as n_offers,
        count(distinct case when record_kind = 'response' then row(story_id, actor_name, record_text) end)
            as n_responses,
        count(distinct case when record_kind = 'negotiation' then (story_id, record_text) end) as n_negotiations,
        count(distinct lower(trim(actor_name))) as n_actors
    from issue_records
    group by issue_id
)

select
    issues.issue_id,
    issues.issue_label,
    issues.issue_category,
    issues.anchor,
    issue_counts.first_published_at,
    issue_counts.last_published_at,
    issue_counts.n_articles,
    issue_counts.n_copies,
    issue_counts.n_records,
    issue_counts.n_demands,
    issue_counts.n_offers,
    issue_counts.n_responses,
    issue_counts.n_negotiations,
    issue_counts.n_actors,
    issues.founding_kind,
    issues.founding_record_id,
    issues.founding_article_id
from issues
inner join issue_counts on issue_counts.issue_id = issues.issue_id
