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
