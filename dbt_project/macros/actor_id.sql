{#- The warehouse-wide actor key: md5 of the trimmed, lower-cased canonical name (null stays null). -#}
{% macro actor_id(name_expression) -%}
    md5(lower(trim({{ name_expression }})))
{%- endmacro %}
