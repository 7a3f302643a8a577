{#- A model's relationships tests as one test (one node per model, not per column): every non-null
    value of each listed column exists in its parent, `to`.`field`. A failing row names its column
    and value. `columns`: a list of {column, to, field}, `to` as in `relationships` (ref('...')). -#}
{% test references(model, columns) %}
{%- for reference in columns %}
{%- if not loop.first %}
union all
{%- endif %}
select
    '{{ reference.column }}' as column_name,
    cast(child.{{ reference.column }} as varchar) as missing_value
from {{ model }} as child
where child.{{ reference.column }} is not null
  and not exists (
      select 1 from {{ reference.to }} as parent
      where parent.{{ reference.field }} = child.{{ reference.column }}
  )
{%- endfor %}
{% endtest %}
