{#- Each source rates feedback on its own scale; these put them on one scale, [-1, 1], with 0 as
    neutral, so sentiment can be averaged across sources. -#}

{% macro nps_to_sentiment(score) -%}
    {#- NPS 0..10: 5 is neutral, 0 is -1, 10 is +1. -#}
    (cast({{ score }} as {{ type_double() }}) - 5) / 5
{%- endmacro %}


{% macro stars_to_sentiment(rating) -%}
    {#- App store stars 1..5: 3 is neutral, 1 is -1, 5 is +1. -#}
    (cast({{ rating }} as {{ type_double() }}) - 3) / 2
{%- endmacro %}


{% macro csat_to_sentiment(satisfaction) -%}
    {#- Zendesk satisfaction rating: good +1, bad -1; offered / unoffered / missing say nothing. -#}
    case {{ satisfaction }}
        when 'good' then cast(1 as {{ type_double() }})
        when 'bad' then cast(-1 as {{ type_double() }})
    end
{%- endmacro %}
