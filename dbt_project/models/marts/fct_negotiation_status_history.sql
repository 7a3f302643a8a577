with runs as (
    select * from {{ ref('int_negotiation_status_runs') }}
)

select
    md5(negotiation_track_id || ':' || status_seq::varchar) as status_history_id,
    negotiation_track_id,
    status_seq::integer as status_seq,
    status,
    valid_from,
    valid_to,
    is_current,
    article_id,
    negotiation_id,
    story_id,
    evidence_text
from runs
