with positions as (
    select * from {{ ref('int_positions') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
),

actors as (
    select * from {{ ref('int_actors_resolved') }}
)

select
    positions.position_id,
    positions.actor_id,
    coalesce(actors.actor_name, positions.actor_name) as actor_name,
    positions.on_behalf_of_actor_id,
    coalesce(on_behalf_of.actor_name, positions.actor_name) as on_behalf_of_name,
    positions.issue_id,
    positions.stance,
    positions.source_stance,
    articles.published_at,
    positions.article_id,
    positions.story_id,
    positions.source_kind,
    positions.source_id,
    positions.target_actor_id,
    positions.position_text,
    positions.evidence_text,
    positions.evidence_start,
    positions.evidence_end
from positions
inner join articles on articles.article_id = positions.article_id
left join actors on actors.actor_id = positions.actor_id
left join actors as on_behalf_of on on_behalf_of.actor_id = positions.on_behalf_of_actor_id
