{% macro z_critical(alpha) -%}
    {#- Two-sided: |z| above this has probability alpha under the null hypothesis. -#}
    {%- set table = {'0.1': 1.6449, '0.05': 1.9600, '0.01': 2.5758, '0.001': 3.2905} -%}
    {%- set key = (alpha | float) | string -%}
    {%- if key not in table -%}
        {{ exceptions.raise_compiler_error("z_critical: significance " ~ alpha ~ " is not one of 0.1, 0.05, 0.01, 0.001") }}
    {%- endif -%}
    {{ table[key] }}
{%- endmacro %}
