{#- Jira workflows differ by team; these are the status names of Jira's default and
    Scrum/Kanban workflows, lower-cased by staging. Anything else counts as planned: the item
    exists on the roadmap but nobody has started it. -#}
{% macro roadmap_status(jira_status) -%}
    case
        when {{ jira_status }} is null then 'not on roadmap'
        when {{ jira_status }} in ('done', 'closed', 'resolved', 'released', 'shipped') then 'shipped'
        when {{ jira_status }} in ('in progress', 'in review', 'in development', 'in qa', 'testing') then 'in progress'
        else 'planned'
    end
{%- endmacro %}


{#- The index-th element (0-based) of a JSON list of strings, as text; null past the end. -#}
{% macro json_list_item(column, index) -%}
    {{ return(adapter.dispatch('json_list_item', 'customer_insights')(column, index)) }}
{%- endmacro %}

{#- No portable default: JSON functions differ on every engine, so a new adapter fails to
    compile here instead of producing wrong SQL. -#}
{% macro duckdb__json_list_item(column, index) -%}
    json_extract_string({{ column }}, '$[{{ index }}]')
{%- endmacro %}

{#- Spark SQL's get_json_object takes the same JSONPath and returns a string. -#}
{% macro spark__json_list_item(column, index) -%}
    get_json_object({{ column }}, '$[{{ index }}]')
{%- endmacro %}
