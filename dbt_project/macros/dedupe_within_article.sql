{#- One row per article and natural key: identical records extracted twice collapse to the
    one with the lowest id (then earliest evidence), so the choice is deterministic. -#}
{% macro dedupe_within_article(relation, id_column, natural_key) -%}
select *
from {{ relation }}
qualify row_number() over (
    partition by article_id, {{ natural_key | join(', ') }}
    order by {{ id_column }}, evidence_start, evidence_end
) = 1
{%- endmacro %}
