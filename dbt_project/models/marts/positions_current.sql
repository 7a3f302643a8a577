-- actor x issue -> the latest stance, when first and last stated, how many stories stated any
-- stance on it, and the stance before the latest change (with when it changed).
with positions as (
    select * from {{ ref('fct_positions') }}
),

ordered as (
    select
        *,
        row_number() over (
            partition by actor_id, issue_id
            order by published_at nulls first, article_id, evidence_start, position_id
        ) as position_seq
    from positions
),

with_previous as (
    select
        *,
        lag(stance) over (partition by actor_id, issue_id order by position_seq) as previous_stance
    from ordered
),

flagged as (
    select
        *,
        -- stance is never null: only the first position of an actor on an issue has no previous one
        case when previous_stance is null or previous_stance != stance then 1 else 0 end as starts_run
    from with_previous
),

numbered as (
    select
        *,
        sum(starts_run) over (
            partition by actor_id, issue_id order by position_seq rows between unbounded preceding and current row
        ) as run_seq
    from flagged
),

stance_runs as (
    select
        actor_id,
        issue_id,
        run_seq,
        any_value(stance) as stance,
        min(published_at) as run_started_at,
        max(position_seq) as last_position_seq
    from numbered
    group by actor_id, issue_id, run_seq
),

latest_runs as (
    select *
    from stance_runs
    qualify row_number() over (partition by actor_id, issue_id order by run_seq desc) = 1
),

pair_totals as (
    select
        actor_id,
        issue_id,
        any_value(actor_name) as actor_name,
        any_value(on_behalf_of_actor_id) as on_behalf_of_actor_id,
        any_value(on_behalf_of_name) as on_behalf_of_name,
        min(published_at) as first_stated_at,
        max(published_at) as last_stated_at,
        count(distinct coalesce(story_id, article_id)) as n_stories,
        count(*) as n_positions
    from positions
    group by actor_id, issue_id
),

latest_evidence as (
    select
        numbered.actor_id,
        numbered.issue_id,
        numbered.position_id,
        numbered.evidence_text
    from numbered
    inner join latest_runs
        on
            latest_runs.actor_id = numbered.actor_id
            and latest_runs.issue_id = numbered.issue_id
            and latest_runs.last_position_seq = numbered.position_seq
)

select
    md5(pair_totals.actor_id || ':' || pair_totals.issue_id) as position_key,
    pair_totals.actor_id,
    pair_totals.actor_name,
    pair_totals.on_behalf_of_actor_id,
    pair_totals.on_behalf_of_name,
    pair_totals.issue_id,
    latest_runs.stance as current_stance,
    pair_totals.first_stated_at,
    pair_totals.last_stated_at,
    pair_totals.n_stories,
    pair_totals.n_positions,
    previous_runs.stance as previous_stance,
    case when previous_runs.stance is not null then latest_runs.run_started_at end as changed_at,
    latest_evidence.position_id as latest_position_id,
    latest_evidence.evidence_text as latest_evidence_text
from pair_totals
inner join latest_runs
    on latest_runs.actor_id = pair_totals.actor_id and latest_runs.issue_id = pair_totals.issue_id
left join stance_runs as previous_runs
    on
        previous_runs.actor_id = pair_totals.actor_id
        and previous_runs.issue_id = pair_totals.issue_id
        and previous_runs.run_seq = latest_runs.run_seq - 1
left join latest_evidence
    on latest_evidence.actor_id = pair_totals.actor_id and latest_evidence.issue_id = pair_totals.issue_id
