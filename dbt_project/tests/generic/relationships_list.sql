{#- Like `relationships`, for a list column: every non-null element must exist in to.field. -#}
{% test relationships_list(model, column_name, to, field) %}
with elements as (
    select unnest({{ column_name }}) as element
    from {{ model }}
)
select elements.element
from elements
where elements.element is not null
  and not exists (
      select 1 from {{ to }} as parent
      where parent.{{ field }} = elements.element
  )
{% endtest %}
