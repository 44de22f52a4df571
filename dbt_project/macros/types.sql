{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_insights')()) }}
{%- endmacro %}

{#- dbt.type_float() is single precision on some adapters (DuckDB's float is 4 bytes), too coarse
    for ARR sums and scores; `double precision` is the ANSI name for an 8-byte float. -#}
{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}

{#- Spark SQL has no `double precision`; its 8-byte float is `double`. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}
