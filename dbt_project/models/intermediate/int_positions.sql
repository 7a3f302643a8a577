-- One row per position an actor takes: a demand or an offer supports what it asks or offers;
-- a response's stance maps to support (accept, welcome), oppose (reject), conditional, skeptical.
-- A person or group (or a state's own body) rolls up to the state or organisation it acts for.
with links as (
    select * from {{ ref('int_record_links') }}
),

actors as (
    select * from {{ ref('int_actors_resolved') }}
),

affiliations as (
    select
        actors.actor_id,
        case
            when actors.actor_type in ('person', 'group') then coalesce(actors.affiliation_actor_id, actors.actor_id)
            when actors.actor_type = 'organization' and parent.actor_type = 'state' then parent.actor_id
            else actors.actor_id
        end as on_behalf_of_actor_id
    from actors
    left join actors as parent on parent.actor_id = actors.affiliation_actor_id
),

demand_positions as (
    select
        'demand' as source_kind,
        demand_id as source_id,
        article_id,
        demander_name as actor_name,
        addressee_name as target_actor_name,
        'support' as stance,
        'demand' as source_stance,
        demand_text as position_text,
        evidence_text,
        evidence_start,
        evidence_end
    from {{ ref('int_demands_deduped') }}
),

offer_positions as (
    select
        'offer' as source_kind,
        offer_id as source_id,
        article_id,
        offerer_name as actor_name,
        recipient_name as target_actor_name,
        'support' as stance,
        'offer' as source_stance,
        offer_text as position_text,
        evidence_text,
        evidence_start,
        evidence_end
    from {{ ref('int_offers_deduped') }}
),

response_positions as (
    select
        'response' as source_kind,
        response_id as source_id,
        article_id,
        responder_name as actor_name,
        to_actor_name as target_actor_name,
        case stance
            when 'accept' then 'support'
            when 'welcome' then 'support'
            when 'reject' then 'oppose'
            else stance
        end as stance,
        stance as source_stance,
        object_text as position_text,
        evidence_text,
        evidence_start,
        evidence_end
    from {{ ref('int_responses_deduped') }}
),

all_positions as (
    select * from demand_positions
    union all
    select * from offer_positions
    union all
    select * from response_positions
)

select
    md5(all_positions.source_kind || ':' || all_positions.source_id) as position_id,
    {{ actor_id('all_positions.actor_name') }} as actor_id,
    all_positions.actor_name,
    coalesce(affiliations.on_behalf_of_actor_id, {{ actor_id('all_positions.actor_name') }}) as on_behalf_of_actor_id,
    links.issue_id,
    all_positions.stance,
    all_positions.source_stance,
    all_positions.article_id,
    links.story_id,
    all_positions.source_kind,
    all_positions.source_id,
    {{ actor_id('all_positions.target_actor_name') }} as target_actor_id,
    all_positions.position_text,
    all_positions.evidence_text,
    all_positions.evidence_start,
    all_positions.evidence_end
from all_positions
inner join links
    on
        links.record_kind = all_positions.source_kind
        and links.record_id = all_positions.source_id
left join affiliations on affiliations.actor_id = {{ actor_id('all_positions.actor_name') }}
where all_positions.actor_name is not null
