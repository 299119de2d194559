-- The raw event's JSON columns as json (checked, and kept as written) rather than jsonb (parsed into
-- a binary form): nothing looks inside them on the ingestion path, and building jsonb was about a
-- third of PostgreSQL's work to store an event (docs/benchmarks.md, session 4). Queries that look
-- inside cast (attribution::jsonb).
--
-- From here on, the attribution of a plain event (one model, weight 1) is stored as
-- [{"modelId": …, "weight": "1"}]: its revenue and units are the event's own, and the service adds
-- them when it answers (UsageQueries). A pipeline's parts keep their split revenue and units.
alter table usage_event
    alter column units type json using units::json,
    alter column components type json using components::json,
    alter column attribution type json using attribution::json;

-- An outbox payload (a batch's deltas for one model, often several KB) is written once, read once
-- and deleted: kept out of line without compressing it.
alter table attributed_outbox alter column payload set storage external;
