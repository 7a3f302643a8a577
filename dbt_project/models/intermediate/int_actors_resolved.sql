-- One row per canonical actor across all articles. Actors are keyed by their lower-cased
-- name; the spelling, type, affiliation and country seen in the most articles win.
with actor_rows as (
    select
        {{ actor_id('actor_name') }} as actor_id,
        article_id,
        actor_name,
        actor_type,
        aliases,
        affiliation_name,
        country_code
    from {{ ref('stg_actors') }}
    where actor_name is not null
),

mention_rows as (
    select
        {{ actor_id('actor_name') }} as actor_id,
        article_id,
        actor_name,
        actor_type
    from {{ ref('int_actor_mentions_deduped') }}
    where actor_name is not null
),

sightings as (
    select
        actor_id,
        article_id,
        actor_name,
        actor_type
    from actor_rows
    union
    select
        actor_id,
        article_id,
        actor_name,
        actor_type
    from mention_rows
),

canonical_names as (
    {{ most_common_per_actor('sightings', 'actor_name') }}
),

majority_types as (
    {{ most_common_per_actor('sightings', 'actor_type') }}
),

majority_affiliations as (
    {{ most_common_per_actor('actor_rows', 'affiliation_name') }}
),

majority_countries as (
    {{ most_common_per_actor('actor_rows', 'country_code') }}
),

article_counts as (
    select
        actor_id,
        count(distinct article_id) as n_articles
    from sightings
    group by actor_id
),

surface_forms as (
    select
        actor_id,
        trim(unnest(aliases)) as alias  -- noqa: RF04
    from actor_rows
    union
    select
        actor_id,
        actor_name as alias  -- noqa: RF04
    from sightings
),

alias_lists as (
    select
        surface_forms.actor_id,
        list_sort(list(distinct surface_forms.alias)) as aliases
    from surface_forms
    inner join canonical_names on canonical_names.actor_id = surface_forms.actor_id
    where
        surface_forms.alias <> ''
        and surface_forms.alias <> canonical_names.actor_name
    group by surface_forms.actor_id
),

resolved_affiliations as (
    select
        majority_affiliations.actor_id,
        affiliated.actor_id as affiliation_actor_id,
        coalesce(affiliated.actor_name, majority_affiliations.affiliation_name) as affiliation_name
    from majority_affiliations
    left join canonical_names as affiliated
        on affiliated.actor_id = {{ actor_id('majority_affiliations.affiliation_name') }}
    where {{ actor_id('majority_affiliations.affiliation_name') }} <> majority_affiliations.actor_id
)

select
    canonical_names.actor_id,
    canonical_names.actor_name,
    majority_types.actor_type,
    resolved_affiliations.affiliation_actor_id,
    resolved_affiliations.affiliation_name,
    coalesce(alias_lists.aliases, []::varchar []) as aliases,
    majority_countries.country_code,
    article_counts.n_articles
from canonical_names
inner join article_counts on article_counts.actor_id = canonical_names.actor_id
left join majority_types on majority_types.actor_id = canonical_names.actor_id
left join resolved_affiliations on resolved_affiliations.actor_id = canonical_names.actor_id
left join alias_lists on alias_lists.actor_id = canonical_names.actor_id
left join majority_countries on majority_countries.actor_id = canonical_names.actor_id
