with source as (
    select * from {{ source('landing', 'responses') }}
),

renamed as (
    select
        article_id,
        response_id,
        nullif(trim(responder_name), '') as responder_name,
        stance,
        nullif(trim(to_actor_name), '') as to_actor_name,
        object_text,
        cue_text,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
