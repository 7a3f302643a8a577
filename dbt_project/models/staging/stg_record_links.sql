with source as (
    select * from {{ source('landing', 'record_links') }}
),

renamed as (
    select
        article_id,
        record_kind,
        record_id,
        issue_id,
        negotiation_track_id,
        answers_kind,
        answers_id,
        answers_article_id,
        answers_score
    from source
)

select * from renamed
