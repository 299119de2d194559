-- Ids are compared byte by byte (collate "C"): cheaper btrees and sorts than a language collation.

-- Each (platform, eventId) once, forever: the de-duplication key of every ingestion path.
create table event_key (
    platform_id text collate "C" not null,
    event_id    text collate "C" not null,
    occurred_at timestamptz not null,
    primary key (platform_id, event_id)
);

-- The raw events, the audit trail, partitioned by month of occurredAt.
create table usage_event (
    platform_id   text collate "C" not null,
    event_id      text collate "C" not null,
    occurred_at   timestamptz not null,
    model_ref     text collate "C" not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null,
    components    jsonb,
    -- [{modelId, weight}] once attributed; null while unattributed
    attribution   jsonb,
    attributed_at timestamptz,
    batch_id      uuid not null,
    source        text not null,
    received_at   timestamptz not null,
    primary key (platform_id, event_id, occurred_at)
) partition by range (occurred_at);
-- unattributed events: listed per (platform, modelRef), re-examined per modelRef when an alias appears
create index usage_event_unattributed_idx on usage_event (platform_id, model_ref) where attribution is null;
create index usage_event_unattributed_ref_idx on usage_event (model_ref) where attribution is null;

-- Creates the monthly partitions that a range of instants needs (idempotent).
create or replace function ensure_usage_event_partitions(from_ts timestamptz, to_ts timestamptz)
returns void language plpgsql as $$
declare
    m date := date_trunc('month', from_ts at time zone 'UTC')::date;
    name text;
begin
    while m <= (to_ts at time zone 'UTC')::date loop
        name := 'usage_event_' || to_char(m, 'YYYY_MM');
        if to_regclass(name) is null then
            execute format(
                'create table if not exists %I partition of usage_event for values from (%L) to (%L)',
                name, (m::timestamp at time zone 'UTC'), ((m + interval '1 month')::timestamp at time zone 'UTC'));
        end if;
        m := (m + interval '1 month')::date;
    end loop;
end $$;

-- Roll-ups at the grain settlement needs: (platform, model, UTC day, customer type, currency).
create table usage_rollup (
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    day           date not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    -- the units of DESIGN.md's event as columns (cheap to add up); any other unit in other_units
    requests      numeric(38, 18) not null,
    input_tokens  numeric(38, 18) not null,
    output_tokens numeric(38, 18) not null,
    characters    numeric(38, 18) not null,
    audio_seconds numeric(38, 18) not null,
    gpu_seconds   numeric(38, 18) not null,
    other_units   jsonb not null,
    primary key (platform_id, model_id, day, customer_type, currency)
);

-- Adds two unit maps key by key, exactly (numeric).
create or replace function add_units(a jsonb, b jsonb) returns jsonb language sql immutable as $$
    select coalesce(jsonb_object_agg(k, to_jsonb(total)), '{}'::jsonb)
    from (
        select k, sum(v::numeric) as total
        from (select key as k, value #>> '{}' as v from jsonb_each(a)
              union all
              select key, value #>> '{}' from jsonb_each(b)) u
        group by k
    ) s
$$;

-- The deltas for usage.attributed, committed with the batch that made them; the relay deletes sent ones.
create table attributed_outbox (
    id         bigserial primary key,
    delta_id   text collate "C" not null unique,
    model_id   text collate "C" not null,
    payload    text not null,
    created_at timestamptz not null
);

-- Kafka positions, committed in the same transaction as the data they produced.
create table consumer_offset (
    consumer_group text not null,
    topic          text not null,
    partition_no   int not null,
    next_offset    bigint not null,
    primary key (consumer_group, topic, partition_no)
);

create aggregate sum_units(jsonb) (sfunc = add_units, stype = jsonb, initcond = '{}');
