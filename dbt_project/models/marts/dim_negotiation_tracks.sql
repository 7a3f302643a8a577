-- One row per negotiation track with at least one record: parties, mediators and venues across
-- its records, its time span and latest status. n_articles counts stories (copies once).
with tracks as (
    select * from {{ ref('stg_negotiation_tracks') }}
),

records as (
    select
        links.negotiation_track_id,
        negotiations.negotiation_id,
        negotiations.article_id,
        coalesce(links.story_id, negotiations.article_id) as story_id,
        articles.published_at,
        negotiations.parties,
        negotiations.mediator_name,
        negotiations.venue
    from {{ ref('int_negotiations_deduped') }} as negotiations
    inner join {{ ref('int_record_links') }} as links
        on links.record_kind = 'negotiation' and links.record_id = negotiations.negotiation_id
    inner join {{ ref('stg_articles') }} as articles on articles.article_id = negotiations.article_id
    where links.negotiation_track_id is not null
),

parties as (
    select
        negotiation_track_id,
        list_sort(list(distinct party)) as parties,
        list_sort(list(distinct {{ actor_id('party') }})) as party_actor_ids
    from (select
        negotiation_track_id,
        unnest(parties) as party
    from records)
    group by negotiation_track_id
),

track_counts as (
    select
        negotiation_track_id,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        count(distinct story_id) as n_articles,
        count(*) as n_records,
        list_sort(list(distinct {{ actor_id('mediator_name') }}) filter (where mediator_name is not null))
            as mediator_actor_ids,
        list_sort(list(distinct venue) filter (where venue is not null)) as venues
    from records
    group by negotiation_track_id
),

current_status as (
    select
        negotiation_track_id,
        status
    from {{ ref('int_negotiation_status_runs') }}
    where is_current
)

select
    tracks.negotiation_track_id,
    tracks.track_name,
    tracks.issue_id,
    coalesce(parties.parties, []::varchar[]) as parties,  -- noqa: LT01
    coalesce(parties.party_actor_ids, []::varchar[]) as party_actor_ids,  -- noqa: LT01
    coalesce(track_counts.mediator_actor_ids, []::varchar[]) as mediator_actor_ids,  -- noqa: LT01
    coalesce(track_counts.venues, []::varchar[]) as venues,  -- noqa: LT01
    track_counts.first_published_at,
    track_counts.last_published_at,
    current_status.status as latest_status,
    track_counts.n_articles,
    track_counts.n_records,
    tracks.is_event,
    tracks.founding_record_id,
    tracks.founding_article_id
from tracks
inner join track_counts on track_counts.negotiation_track_id = tracks.negotiation_track_id
left join parties on parties.negotiation_track_id = tracks.negotiation_track_id
left join current_status on current_status.negotiation_track_id = tracks.negotiation_track_id
