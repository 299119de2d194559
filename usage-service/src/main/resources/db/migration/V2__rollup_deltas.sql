-- Roll-up deltas, appended by the writers and folded into usage_rollup by one folder.
--
-- Writers used to add each batch to usage_rollup in place: an update per touched row, whose row
-- lock the other writer waited for until commit whenever both batches touched the same
-- (platform, model, day, customer type, currency). Now a batch appends its sums here (a COPY, no
-- index, no lock on any shared row) and RollupFolder moves every committed delta into
-- usage_rollup in one transaction (delete … returning, grouped, upserted), so each delta is added
-- exactly once. Readers see the sum of both: usage_rollup_all.
create table usage_rollup_delta (
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    day           date not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    requests      numeric(38, 18) not null,
    input_tokens  numeric(38, 18) not null,
    output_tokens numeric(38, 18) not null,
    characters    numeric(38, 18) not null,
    audio_seconds numeric(38, 18) not null,
    gpu_seconds   numeric(38, 18) not null,
    other_units   jsonb not null
) with (
    -- emptied every second or so: vacuumed by row counts, not by a share of a tiny table
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 20000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 20000
);

-- The roll-ups as of now: folded rows plus the deltas not folded yet. Sum over it.
create view usage_rollup_all as
    select platform_id, model_id, day, customer_type, currency, events, revenue, requests, input_tokens,
           output_tokens, characters, audio_seconds, gpu_seconds, other_units
    from usage_rollup
    union all
    select platform_id, model_id, day, customer_type, currency, events, revenue, requests, input_tokens,
           output_tokens, characters, audio_seconds, gpu_seconds, other_units
    from usage_rollup_delta;
