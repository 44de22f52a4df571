{% macro latest_per_key(relation, key, order_by) -%}
    {#- The newest row of each `key` from `relation`, newest meaning first by `order_by`.
        row_number() in a subquery rather than `qualify`, which not every warehouse has. -#}
    select *
    from (
        select
            *,
            row_number() over (partition by {{ key }} order by {{ order_by }}) as dedupe_rank
        from {{ relation }}
    ) as ranked
    where dedupe_rank = 1
{%- endmacro %}


{% macro latest_load_order() -%}
    {#- Tie-break for rows loaded more than once: the latest load, then the later file, then
        the later line, so the choice is deterministic. -#}
    _loaded_at desc, _source_file desc, _line desc
{%- endmacro %}
