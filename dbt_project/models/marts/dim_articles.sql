{%- set record_counts = {
    'n_statements': 'fct_statements',
    'n_demands': 'fct_demands',
    'n_offers': 'fct_offers',
    'n_responses': 'fct_responses',
    'n_negotiations': 'fct_negotiations',
    'n_mentions': 'fct_actor_mentions',
} -%}

with articles as (
    select * from {{ ref('stg_articles') }}
),

actor_counts as (
    select
        article_id,
        count(distinct {{ actor_id('actor_name') }}) as n_actors
    from {{ ref('stg_actors') }}
    group by article_id
),
{% for count_column, fact in record_counts.items() %}
    {{ count_column }}_per_article as (
        select
            article_id,
            count(*) as {{ count_column }}
        from {{ ref(fact) }}
        group by article_id
    ),
{% endfor %}

final as (
    select
        articles.article_id,
        articles.source,
        articles.url,
        articles.title,
        articles.published_at,
        articles.content_hash,
        articles.source_file,
        articles.loaded_at as ingested_at,
        {%- for count_column in record_counts %}
            coalesce({{ count_column }}_per_article.{{ count_column }}, 0) as {{ count_column }},
        {%- endfor %}
        coalesce(actor_counts.n_actors, 0) as n_actors,
        articles.source_line,
        articles.license,
        articles.is_truncated,
        length(articles.article_text) as n_chars,
        articles.run_id,
        stories.story_id
    from articles
    left join actor_counts on actor_counts.article_id = articles.article_id
    left join {{ ref('stg_story_links') }} as stories on stories.article_id = articles.article_id
    {%- for count_column in record_counts %}
        left join {{ count_column }}_per_article on {{ count_column }}_per_article.article_id = articles.article_id
    {%- endfor %}
)

select * from final
