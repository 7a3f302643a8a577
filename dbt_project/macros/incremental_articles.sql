{#- Incremental fact tables are refreshed per article.

    Every fact row carries its article's `loaded_at`. Before a run adds rows, the pre-hook
    `delete_stale_article_rows` drops the rows of articles that were reloaded (new loaded_at)
    or are gone from landing; `articles_to_load` then selects the articles with no rows left
    in the table. Each model does both in one transaction, so a re-run or a run after a
    crash converges on what a full refresh would build. -#}

{% macro articles_to_load() -%}
select article_id, published_at, loaded_at
from {{ ref('stg_articles') }} as landed
{%- if is_incremental() %}
where not exists (
    select 1
    from {{ this }} as existing
    where existing.article_id = landed.article_id
)
{%- endif %}
{%- endmacro %}

{% macro delete_stale_article_rows() -%}
{%- if is_incremental() -%}
delete from {{ this }} as existing
where not exists (
    select 1
    from {{ ref('stg_articles') }} as landed
    where landed.article_id = existing.article_id
      and landed.loaded_at is not distinct from existing.loaded_at
)
{%- endif -%}
{%- endmacro %}
