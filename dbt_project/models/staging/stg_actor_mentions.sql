with source as (
    select * from {{ source('landing', 'actor_mentions') }}
),

renamed as (
    select
        article_id,
        mention_id,
        nullif(trim(actor_name), '') as actor_name,
        lower(trim(actor_type)) as actor_type,
        mention_text,
        start_char,
        end_char,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
