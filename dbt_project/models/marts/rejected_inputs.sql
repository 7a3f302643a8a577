-- Quarantined inputs, one row per (file, line, reason): the latest rejection wins.
with rejections as (
    select
        md5(concat_ws('|', file, coalesce(cast(line as varchar), ''), reason)) as rejection_id,
        *
    from {{ ref('stg_rejected_inputs') }}
)

select
    rejection_id,
    file,
    line,
    reason,
    detail,
    content_hash,
    run_id,
    rejected_at
from rejections
qualify row_number() over (
    partition by rejection_id
    order by rejected_at desc nulls last, run_id desc nulls last
) = 1
