-- usage-service's schema in one script: what the migrations V1 to V9 built, object for object
-- (docs/adr/0001-persistence.md, "Schema"). Flyway runs it on an empty database only; a database
-- those migrations built is at version 9 and skips it. A change is a new V<n> migration, n > 9.
-- Ids are compared byte by byte (collate "C"): cheaper btrees and sorts than a language collation.

-- Each (platform, eventId) once, forever: the de-duplication key of every ingestion path.
create table event_key (
    platform_id text collate "C" not null,
    event_id    text collate "C" not null,
    occurred_at timestamptz not null,
    primary key (platform_id, event_id)
);

-- The raw events, the audit trail, partitioned by month of occurredAt. The JSON columns are json
-- (checked, and kept as written) rather than jsonb (parsed into a binary form): nothing looks inside
-- them on the ingestion path, and building jsonb was about a third of PostgreSQL's work to store an
-- event. Queries that look inside cast (attribution::jsonb).
create table usage_event (
    platform_id   text collate "C" not null,
    event_id      text collate "C" not null,
    occurred_at   timestamptz not null,
    model_ref     text collate "C" not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    revenue       numeric(38, 18) not null,
    units         json not null,
    components    json,
    -- [{modelId, weight}] once attributed; null while unattributed. A plain event (one model,
    -- weight "1") keeps its revenue and units on the event, and the service adds them when it
    -- answers (UsageQueries); a pipeline's parts keep their split revenue and units.
    attribution   json,
    attributed_at timestamptz,
    batch_id      uuid not null,
    source        text not null,
    received_at   timestamptz not null,
    -- the pseudonymous subscriber of a subscription platform (DESIGN.md "Revenue pools"); null: the
    -- event is rated per event. A dispute moves its usage with its subscriber.
    subscriber_id text collate "C",
    primary key (platform_id, event_id, occurred_at)
) partition by range (occurred_at);
-- unattributed events: listed per (platform, modelRef), re-examined per modelRef when an alias appears
create index usage_event_unattributed_idx on usage_event (platform_id, model_ref) where attribution is null;
create index usage_event_unattributed_ref_idx on usage_event (model_ref) where attribution is null;

-- Creates the monthly partitions that a range of instants needs (idempotent). Two writers (or two
-- service instances) may find the same month missing at the same instant: "create table if not
-- exists" alone still lets the second fail with "already exists" while the first has not
-- committed. Creators take turns (a transaction-scoped advisory lock), so the second sees the
-- first's partition and skips it.
create or replace function ensure_usage_event_partitions(from_ts timestamptz, to_ts timestamptz)
returns void language plpgsql as $$
declare
    m date := date_trunc('month', from_ts at time zone 'UTC')::date;
    name text;
begin
    perform pg_advisory_xact_lock(hashtext('ensure_usage_event_partitions'));
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
-- Their readers never group by subscriber: pooled usage keeps this grain here, and the
-- usage.attributed deltas carry the sums per subscriber.
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

create aggregate sum_units(jsonb) (sfunc = add_units, stype = jsonb, initcond = '{}');

-- The deltas for usage.attributed, committed with the fold that made them; the relay deletes sent ones.
create table attributed_outbox (
    id         bigserial primary key,
    delta_id   text collate "C" not null unique,
    model_id   text collate "C" not null,
    payload    text not null,
    created_at timestamptz not null
);
-- a payload (a fold's deltas for one model, often several KB) is written once, read once and
-- deleted: kept out of line without compressing it
alter table attributed_outbox alter column payload set storage external;

-- Kafka positions, committed in the same transaction as the data they produced.
create table consumer_offset (
    consumer_group text not null,
    topic          text not null,
    partition_no   int not null,
    next_offset    bigint not null,
    primary key (consumer_group, topic, partition_no)
);

-- A batch's roll-up sums, one row a batch. A writer appends its row with its events; RollupFolder,
-- in one transaction, deletes the committed rows, adds their sums to usage_rollup and writes the
-- outbox's usage.attributed deltas of the whole fold, one per (model, platform). Each batch is
-- added exactly once: before its fold it is here, after it in usage_rollup and the outbox.
create table usage_rollup_batch (
    batch_id uuid primary key,
    -- [{"p": platform_id, "m": model_id, "d": day, "c": customer_type, "k": currency, "n": events,
    --   "r": revenue, "u": {unit: quantity, …}, "s": subscriber_id on pooled rows}], numbers exact;
    -- short names: this is most of the bytes a batch writes besides its events. Text, not json:
    -- only the folder (the service) and readers of usage_rollup_all parse it, and checking it on
    -- the way in cost more than the rest.
    deltas   text not null
) with (
    -- emptied at every fold: vacuumed by row counts, not by a share of a tiny table
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 200,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 200
);
-- written once, read once by the folder and deleted: kept out of line without compressing it
alter table usage_rollup_batch alter column deltas set storage external;

-- The roll-ups as of now: folded rows plus the batches not folded yet. Sum over it.
create view usage_rollup_all as
    select platform_id, model_id, day, customer_type, currency, events, revenue, requests, input_tokens,
           output_tokens, characters, audio_seconds, gpu_seconds, other_units
    from usage_rollup
    union all
    -- usage_rollup's collation, so that readers compare and group the union's ids alike
    select r.p collate "C", r.m collate "C", r.d, r.c collate "C", r.k::char(3), r.n, r.r,
           coalesce((r.u ->> 'requests')::numeric, 0), coalesce((r.u ->> 'input_tokens')::numeric, 0),
           coalesce((r.u ->> 'output_tokens')::numeric, 0), coalesce((r.u ->> 'characters')::numeric, 0),
           coalesce((r.u ->> 'audio_seconds')::numeric, 0), coalesce((r.u ->> 'gpu_seconds')::numeric, 0),
           r.u - array['requests', 'input_tokens', 'output_tokens', 'characters', 'audio_seconds', 'gpu_seconds']
    from usage_rollup_batch b,
         json_to_recordset(b.deltas::json) as r(p text, m text, d date, c text, k text, n bigint, r numeric, u jsonb);

-- Dispute corrections applied (registry.reattributions, keyed by dispute id): a dispute's events,
-- roll-up sums and the topic position commit in one transaction with its row here, and a dispute
-- whose row exists is never applied again, whichever offset brings it.
create table reattribution (
    dispute_id        text collate "C" primary key,
    ref               text collate "C" not null,
    platform_id       text collate "C",
    to_model_id       text collate "C" not null,
    from_day          timestamptz not null,
    -- attributed events whose part for the ref now names another model
    events_moved      bigint not null,
    -- events that were unattributed and are attributed now
    events_attributed bigint not null,
    applied_at        timestamptz not null
);

-- The inbound records already written to usage.dlq, by their coordinates. The dead letters of a
-- batch are written (and acknowledged) before the batch's transaction; the coordinates are
-- committed right after the acknowledgement, so that a batch retried after its transaction failed
-- does not write the same dead letters a second time.
create table dead_letter_written (
    topic text not null,
    partition_no int not null,
    offset_no bigint not null,
    written_at timestamptz not null default now(),
    primary key (topic, partition_no, offset_no)
);

-- Each inbound consumer instance (by consumer group and group.instance.id): the partitions it was
-- last assigned, and whether it is running. A start that finds running = true follows a process
-- that died (out of memory, kill -9): it first examines what those partitions hold past their
-- stored offsets, and quarantines the record that a reader cannot hold (docs/operations.md,
-- "Quarantined records").
create table consumer_member (
    consumer_group text not null,
    instance_id    text not null,
    partitions     text[] not null default '{}',
    running        boolean not null,
    updated_at     timestamptz not null default now(),
    primary key (consumer_group, instance_id)
);

-- The inbound records set aside instead of stored: each one written once to usage.dlq with the
-- code UNPROCESSABLE_RECORD. A platform's usage is incomplete while it has one here.
create table quarantined_record (
    id             bigserial primary key,
    platform_id    text collate "C" not null,
    topic          text not null,
    partition_no   int not null,
    offset_no      bigint not null,
    reason         text not null,
    quarantined_at timestamptz not null default now(),
    unique (topic, partition_no, offset_no)
);
create index quarantined_record_platform_idx on quarantined_record (platform_id, id);
