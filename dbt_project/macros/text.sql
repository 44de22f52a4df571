{#- Text and enum clean-up shared by the staging models. -#}

{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}


{% macro clean_enum(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}


{% macro join_texts(first, second, separator='. ') -%}
    {#- Either part may be missing: the separator only stands between two non-empty parts. -#}
    case
        when {{ clean_text(first) }} is null then {{ clean_text(second) }}
        when {{ clean_text(second) }} is null then {{ clean_text(first) }}
        else {{ dbt.concat([clean_text(first), "'" ~ separator ~ "'", clean_text(second)]) }}
    end
{%- endmacro %}
