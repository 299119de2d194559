-- A batch's roll-up sums as one row instead of one row per roll-up key.
--
-- At the benchmark's spread (28 days, 50 models, 4 platforms, 2 customer types) a batch of a few
-- thousand events touched almost as many roll-up keys, so usage_rollup_delta took ~0.5 row an
-- event, each copied in, deleted and grouped again by the folder, and every batch also wrote its
-- usage.attributed deltas to the outbox: a third of PostgreSQL's time on the ingestion path
-- (docs/benchmarks.md, session 7). Now a writer appends one usage_rollup_batch row holding its
-- sums as a JSON array, and RollupFolder, in one transaction, deletes the committed rows, adds their
-- sums to usage_rollup and writes the outbox's usage.attributed deltas of the whole fold, one per
-- (model, platform). Each batch is still added exactly once: before its fold it is in
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
    -- [{"p": platform_id, "m": model_id, "d": day, "c": customer_type, "k": currency, "n": events,
    --   "r": revenue, "u": {unit: quantity, …}}], numbers exact; short names: this is most of the
    -- bytes a batch writes besides its events. Text, not json: only the folder (the service) and
    -- readers of usage_rollup_all parse it, and checking it on the way in cost more than the rest.
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
