with source as (
    select * from {{ source('landing', 'demands') }}
),

renamed as (
    select
        article_id,
        demand_id,
        nullif(trim(demander_name), '') as demander_name,
        nullif(trim(addressee_name), '') as addressee_name,
        demand_text,
        condition_text,
        threat_text,
        cue_text,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
