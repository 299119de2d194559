-- A batch's roll-up sums as one row instead of one row per roll-up key.
--
-- At the benchmark's spread (28 days, 50 models, 4 platforms, 2 customer types) a batch of a few
-- thousand events touched almost as many roll-up keys, so usage_rollup_delta took ~0.5 row an
-- event, each copied in, deleted and grouped again by the folder, and every batch also wrote its
-- usage.attributed deltas to the outbox: a third of PostgreSQL's time on the ingestion path
-- (docs/benchmarks.md, session 7). Now a writer appends one usage_rollup_batch row, a JSON array
-- of its sums named as usage_rollup's columns (standard units absent when no event had them, other
-- units in other_units), and RollupFolder, in one transaction, deletes the committed rows, adds
-- their sums to usage_rollup and writes the outbox's usage.attributed deltas of the whole fold, one
-- per (model, platform). Each batch is still added exactly once: before its fold it is in
-- usage_rollup_batch, after it in usage_rollup and the outbox.

-- deltas left by the previous version: folded as its folder did (their outbox rows were written
-- with their batches)
with moved as (delete from usage_rollup_delta returning *)
insert into usage_rollup (platform_id, model_id, day, customer_type, currency, events, revenue, requests,
                          input_tokens, output_tokens, characters, audio_seconds, gpu_seconds, other_units)
select platform_id, model_id, day, customer_type, currency, sum(events), sum(revenue), sum(requests),
       sum(input_tokens), sum(output_tokens), sum(characters), sum(audio_seconds), sum(gpu_seconds),
       sum_units(other_units) filter (where other_units <> '{}'::jsonb)
from moved
group by platform_id, model_id, day, customer_type, currency
order by platform_id, model_id, day, customer_type, currency
on conflict (platform_id, model_id, day, customer_type, currency) do update set
    events = usage_rollup.events + excluded.events,
    revenue = usage_rollup.revenue + excluded.revenue,
    requests = usage_rollup.requests + excluded.requests,
    input_tokens = usage_rollup.input_tokens + excluded.input_tokens,
    output_tokens = usage_rollup.output_tokens + excluded.output_tokens,
    characters = usage_rollup.characters + excluded.characters,
    audio_seconds = usage_rollup.audio_seconds + excluded.audio_seconds,
    gpu_seconds = usage_rollup.gpu_seconds + excluded.gpu_seconds,
    other_units = case when excluded.other_units = '{}'::jsonb then usage_rollup.other_units
                  else add_units(usage_rollup.other_units, excluded.other_units) end;

drop view usage_rollup_all;
drop table usage_rollup_delta;

create table usage_rollup_batch (
    batch_id uuid primary key,
    -- [{platform_id, model_id, day, customer_type, currency, events, revenue, requests?, …, other_units?}]
    deltas   json not null
) with (
    -- emptied at every fold: vacuumed by row counts, not by a share of a tiny table
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 200,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 200
);
-- written once, read once by the folder and deleted: kept out of line without compressing it
alter table usage_rollup_batch alter column deltas set storage external;

-- One batch's sums, row by row, typed as usage_rollup's columns.
create function usage_rollup_batch_rows(deltas json)
returns table (platform_id text, model_id text, day date, customer_type text, currency char(3), events bigint,
               revenue numeric(38, 18), requests numeric(38, 18), input_tokens numeric(38, 18),
               output_tokens numeric(38, 18), characters numeric(38, 18), audio_seconds numeric(38, 18),
               gpu_seconds numeric(38, 18), other_units jsonb)
language sql immutable as $$
    select r.platform_id, r.model_id, r.day, r.customer_type, r.currency::char(3), r.events, r.revenue, r.requests, r.input_tokens, r.output_tokens,
           r.characters, r.audio_seconds, r.gpu_seconds, r.other_units
    from json_to_recordset(deltas) as r(platform_id text, model_id text, day date, customer_type text,
                                        currency text, events bigint, revenue numeric, requests numeric,
                                        input_tokens numeric, output_tokens numeric, characters numeric,
                                        audio_seconds numeric, gpu_seconds numeric, other_units jsonb)
$$;

-- The roll-ups as of now: folded rows plus the batches not folded yet. Sum over it.
create view usage_rollup_all as
    select platform_id, model_id, day, customer_type, currency, events, revenue, requests, input_tokens,
           output_tokens, characters, audio_seconds, gpu_seconds, other_units
    from usage_rollup
    union all
    -- usage_rollup's collation, so that readers compare and group the union's ids alike
    select r.platform_id collate "C", r.model_id collate "C", r.day, r.customer_type collate "C",
           r.currency, r.events, r.revenue, coalesce(r.requests, 0), coalesce(r.input_tokens, 0), coalesce(r.output_tokens, 0),
           coalesce(r.characters, 0), coalesce(r.audio_seconds, 0), coalesce(r.gpu_seconds, 0),
           coalesce(r.other_units, '{}'::jsonb)
    from usage_rollup_batch b, usage_rollup_batch_rows(b.deltas) r;
