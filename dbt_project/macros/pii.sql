{% macro email_hash(column) -%}
    {#- md5 of the normalised address: joins survey and Canny authors to CRM users without
        the address itself ever leaving raw. Empty or missing addresses hash to null. -#}
    {{ dbt.hash('lower(' ~ clean_text(column) ~ ')') }}
{%- endmacro %}
