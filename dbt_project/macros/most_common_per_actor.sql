{#- For each actor_id, the non-null value of `value_column` seen in the most articles
    (ties: the smallest value), from a relation with actor_id, article_id and that column. -#}
{% macro most_common_per_actor(relation, value_column) -%}
select actor_id, {{ value_column }}
from (
    select actor_id, {{ value_column }}, count(distinct article_id) as n_articles
    from {{ relation }}
    where {{ value_column }} is not null
    group by actor_id, {{ value_column }}
)
qualify row_number() over (partition by actor_id order by n_articles desc, {{ value_column }}) = 1
{%- endmacro %}
