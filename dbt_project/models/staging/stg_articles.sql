with source as (
    select * from {{ source('landing', 'articles') }}
),

renamed as (
    select
        article_id,
        nullif(trim(source), '') as source,
        nullif(trim(url), '') as url,
        nullif(trim(title), '') as title,
        -- ISO date or datetime (with or without offset): keep the date as written; anything else -> null
        try_cast(trim(published_at) as date) as published_at,
        published_at as published_at_raw,
        text as article_text,
        content_hash,
        source_file,
        source_line,
        license,
        coalesce(truncated, false) as is_truncated,
        run_id,
        loaded_at
    from source
)

select * from renamed
