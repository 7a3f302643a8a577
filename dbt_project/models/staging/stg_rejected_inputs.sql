with source as (
    select * from {{ source('landing', 'rejected_inputs') }}
),

renamed as (
    select
        file,
        line,
        reason,
        detail,
        content_hash,
        run_id,
        loaded_at as rejected_at
    from source
)

select * from renamed
