with source as (
    select * from {{ source('landing', 'actors') }}
),

renamed as (
    select
        article_id,
        nullif(trim(actor_name), '') as actor_name,
        lower(trim(actor_type)) as actor_type,
        coalesce(aliases, []::varchar[]) as aliases,  -- noqa: LT01
        nullif(trim(affiliation_name), '') as affiliation_name,
        upper(nullif(trim(country_code), '')) as country_code
    from source
)

select * from renamed
