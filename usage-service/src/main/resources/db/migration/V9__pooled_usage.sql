-- Pooled usage (DESIGN.md "Revenue pools"): an event of a subscription platform may name its
-- pseudonymous subscriber. The event keeps it (a dispute moves its usage with its subscriber), and
-- the usage.attributed deltas carry the sums per subscriber, so that settlement can split a pool
-- per subscriber without reading raw events. usage_rollup, which only this service's summaries
-- read, keeps its grain: its readers never group by subscriber, and a key per subscriber would
-- multiply its rows (a fold's upsert costs per row). usage_rollup_batch's JSON sums carry "s", the
-- subscriber, on pooled rows; usage_rollup_all reads past it.

-- null: the event is rated per event, as before
alter table usage_event add column subscriber_id text collate "C";
