with source as (
    select * from {{ source('landing', 'story_links') }}
),

renamed as (
    select
        article_id,
        story_id,
        similarity as story_similarity
    from source
)

select * from renamed
