with source as (
    select * from {{ source('landing', 'negotiation_tracks') }}
),

renamed as (
    select
        negotiation_track_id,
        issue_id,
        track_name,
        is_event,
        founding_record_id,
        article_id as founding_article_id
    from source
)

select * from renamed
