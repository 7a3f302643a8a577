with source as (
    select * from {{ source('landing', 'negotiations') }}
),

renamed as (
    select
        article_id,
        negotiation_id,
        negotiation_name,
        coalesce(parties, []::varchar[]) as parties,  -- noqa: LT01
        nullif(trim(mediator_name), '') as mediator_name,
        nullif(trim(venue), '') as venue,
        status,
        coalesce(provisions, []::varchar[]) as provisions,  -- noqa: LT01
        cue_text,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
