with actors as (
    select * from {{ ref('int_actors_resolved') }}
),

mention_counts as (
    select
        actor_id,
        count(*) as n_mentions
    from {{ ref('fct_actor_mentions') }}
    group by actor_id
)

select
    actors.actor_id,
    actors.actor_name,
    actors.actor_type,
    actors.affiliation_actor_id,
    actors.affiliation_name,
    actors.aliases,
    actors.country_code,
    actors.n_articles,
    coalesce(mention_counts.n_mentions, 0) as n_mentions
from actors
left join mention_counts on mention_counts.actor_id = actors.actor_id
