-- A dispute correction (POST /aliases/reattribute): from a whole UTC day on, a ref's usage in one scope
-- (a platform, or global) belongs to another model. The alias is re-pointed in the same transaction
-- and the command crosses to usage-service as a registry.reattributions message through the outbox.
create table alias_dispute (
    id          uuid primary key,
    ref         text not null,
    platform_id text references platform (id),
    to_model_id text not null references model (id),
    from_day    timestamptz not null,
    reason      text not null,
    -- the model the scope's alias at from_day pointed to before, when there was one
    replaced_model_id text,
    actor       text not null,
    created_at  timestamptz not null
);
create index alias_dispute_ref_idx on alias_dispute (ref);
