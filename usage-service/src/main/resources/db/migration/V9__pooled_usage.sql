-- Pooled usage (DESIGN.md "Revenue pools"): an event of a subscription platform may name its
-- pseudonymous subscriber. The event keeps it, and its roll-up sums are kept per subscriber, so
-- that a close can split a pool per subscriber without reading raw events.

-- null: the event is rated per event, as before
alter table usage_event add column subscriber_id text collate "C";

-- '' for the sums of events without a subscriber (a key column cannot be null): those rows are
-- the roll-ups as they were; a subscriber's own rows sit beside them
alter table usage_rollup add column subscriber_id text collate "C" not null default '';
alter table usage_rollup drop constraint usage_rollup_pkey;
alter table usage_rollup add primary key (platform_id, model_id, day, customer_type, currency, subscriber_id);

-- a batch's sums carry "s": subscriber on the pooled ones (usage_rollup_batch.deltas)
drop view usage_rollup_all;
create view usage_rollup_all as
    select platform_id, model_id, day, customer_type, currency, subscriber_id, events, revenue, requests,
           input_tokens, output_tokens, characters, audio_seconds, gpu_seconds, other_units
    from usage_rollup
    union all
    select r.p collate "C", r.m collate "C", r.d, r.c collate "C", r.k::char(3), coalesce(r.s, '') collate "C",
           r.n, r.r,
           coalesce((r.u ->> 'requests')::numeric, 0), coalesce((r.u ->> 'input_tokens')::numeric, 0),
           coalesce((r.u ->> 'output_tokens')::numeric, 0), coalesce((r.u ->> 'characters')::numeric, 0),
           coalesce((r.u ->> 'audio_seconds')::numeric, 0), coalesce((r.u ->> 'gpu_seconds')::numeric, 0),
           r.u - array['requests', 'input_tokens', 'output_tokens', 'characters', 'audio_seconds', 'gpu_seconds']
    from usage_rollup_batch b,
         json_to_recordset(b.deltas::json) as r(p text, m text, d date, c text, k text, s text, n bigint, r numeric, u jsonb);
