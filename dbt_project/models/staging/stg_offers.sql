with source as (
    select * from {{ source('landing', 'offers') }}
),

renamed as (
    select
        article_id,
        offer_id,
        nullif(trim(offerer_name), '') as offerer_name,
        nullif(trim(recipient_name), '') as recipient_name,
        offer_text,
        cue_text,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
