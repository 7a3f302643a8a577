-- Issue, track and story of each demand, offer, response and negotiation, with the record it
-- answers kept only when that record survived de-duplication (so answers_id always resolves).
with links as (
    select * from {{ ref('stg_record_links') }}
),

stories as (
    select * from {{ ref('stg_story_links') }}
),

answerable_records as (
    select
        'demand' as record_kind,
        demand_id as record_id
    from {{ ref('int_demands_deduped') }}
    union all
    select
        'offer' as record_kind,
        offer_id as record_id
    from {{ ref('int_offers_deduped') }}
    union all
    select
        'negotiation' as record_kind,
        negotiation_id as record_id
    from {{ ref('int_negotiations_deduped') }}
)

select
    links.article_id,
    links.record_kind,
    links.record_id,
    links.issue_id,
    links.negotiation_track_id,
    case when answerable_records.record_id is not null then links.answers_kind end as answers_kind,
    answerable_records.record_id as answers_id,
    case when answerable_records.record_id is not null then links.answers_article_id end as answers_article_id,
    stories.story_id
from links
left join answerable_records
    on
        answerable_records.record_kind = links.answers_kind
        and answerable_records.record_id = links.answers_id
left join stories on stories.article_id = links.article_id
