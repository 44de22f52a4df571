{#- Incremental builds of the event models (docs/performance.md, "Incremental models").
    Staging tables carry each row's raw `_source_file` and `_loaded_at`; a night re-stages
    only the keys that raw rows loaded since the last build touch. Extract and dbt never
    write at the same time (one DuckDB writer; extract runs before dbt), so every raw row
    loaded after the newest `_loaded_at` already staged is new: no lookback is needed on
    load time. The date marts take var incremental_lookback_days on the event date. -#}

{% macro staged_file_reloaded(staged, raw_relation) -%}
    {#- True for a staged row whose landing file was loaded again after the row was staged:
        a reload deletes every raw row of the file first, so the staged row's origin is gone
        (its key may still live in another file, or nowhere). -#}
    exists (
        select 1
        from {{ raw_relation }} as reloaded
        where reloaded._source_file = {{ staged }}._source_file
            and reloaded._loaded_at > {{ staged }}._loaded_at
    )
{%- endmacro %}


{% macro incremental_raw_rows(raw_relation, raw_key, staged_key) -%}
    {#- Every raw row of the keys to re-stage: keys loaded since the last build, and keys
        whose staged row came from a file reloaded since. All raw rows of those keys, not
        only the new ones, so the latest-load-wins dedupe sees what a full build sees. A
        full build reads all of raw. -#}
    select *
    from {{ raw_relation }}
    {%- if is_incremental() %}
    where {{ raw_key }} in (
        select {{ raw_key }}
        from {{ raw_relation }}
        where _loaded_at > (select max(staged._loaded_at) from {{ this }} as staged)
            -- An empty table (no rows staged yet, e.g. no Amplitude export before) has no
            -- watermark: everything raw holds is new.
            or not exists (select 1 from {{ this }})
        union all
        select staged.{{ staged_key }}
        from {{ this }} as staged
        where {{ staged_file_reloaded('staged', raw_relation) }}
    )
    {%- endif %}
{%- endmacro %}


{% macro delete_rows_gone_from_raw(raw_relation) -%}
    {#- Post-hook: a staged row from a file reloaded since it was staged, and not replaced
        by this build, has no raw row left (the re-export dropped it): delete it, as a full
        build would not have it. Limit: a file re-exported empty leaves no raw row to
        notice the reload by; its old rows stay until a full refresh. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} as staged
        where {{ staged_file_reloaded('staged', raw_relation) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{% macro is_incremental_with(column) -%}
    {#- is_incremental(), and the existing table already has `column`. A warehouse built before
        a model turned incremental holds it as a table without its watermark column: that
        night builds it whole (on_schema_change adds the column), the next ones incrementally. -#}
    {#- A unit test has no table behind `this` to read columns from: it tests the full build. -#}
    {%- if model.resource_type == 'unit_test' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return(column | lower in names) }}
{%- endmacro %}
