-- A track's statuses over publication time (type 2): consecutive records of one status are one
-- run; a run is valid from its first record's publication date until the next run starts.
-- Records without a publication date sort first (they cannot be placed in time).
with records as (
    select
        links.negotiation_track_id,
        negotiations.negotiation_id,
        negotiations.article_id,
        links.story_id,
        articles.published_at,
        negotiations.status,
        negotiations.evidence_text,
        negotiations.evidence_start
    from {{ ref('int_negotiations_deduped') }} as negotiations
    inner join {{ ref('int_record_links') }} as links
        on links.record_kind = 'negotiation' and links.record_id = negotiations.negotiation_id
    inner join {{ ref('stg_articles') }} as articles on articles.article_id = negotiations.article_id
    where links.negotiation_track_id is not null
),

ordered as (
    select
        *,
        row_number() over (
            partition by negotiation_track_id
            order by published_at nulls first, article_id, evidence_start, negotiation_id
        ) as record_seq
    from records
),

with_previous as (
    select
        *,
        lag(status) over (partition by negotiation_track_id order by record_seq) as previous_status
    from ordered
),

flagged as (
    select
        *,
        -- status is never null: only the first record of a track has no previous one
        case when previous_status is null or previous_status != status then 1 else 0 end as starts_run
    from with_previous
),

numbered as (
    select
        *,
        sum(starts_run) over (
            partition by negotiation_track_id order by record_seq rows between unbounded preceding and current row
        ) as status_seq
    from flagged
),

run_starts as (
    select *
    from numbered
    where starts_run = 1
)

select
    negotiation_track_id,
    status_seq,
    status,
    published_at as valid_from,
    lead(published_at) over (partition by negotiation_track_id order by status_seq) as valid_to,
    lead(status_seq) over (partition by negotiation_track_id order by status_seq) is null as is_current,
    article_id,
    negotiation_id,
    story_id,
    evidence_text
from run_starts
