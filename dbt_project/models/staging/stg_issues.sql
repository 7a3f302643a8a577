with source as (
    select * from {{ source('landing', 'issues') }}
),

renamed as (
    select
        issue_id,
        issue_key,
        issue_label,
        issue_category,
        anchor,
        founding_kind,
        founding_record_id,
        article_id as founding_article_id
    from source
)

select * from renamed
