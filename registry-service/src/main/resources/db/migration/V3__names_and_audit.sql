-- Who may name a model (DESIGN.md): namespaces granted to makers, makers' proposals for platform
-- aliases, and the append-only audit log of every registry change. Existing aliases stay as they are.

-- A maker's ref prefix ending in '/', e.g. 'coqui/'. No prefix of one maker may equal, contain or be
-- contained in another maker's (checked by the service under a table lock, ignoring case).
create table maker_namespace (
    prefix     text primary key check (prefix like '%/'),
    maker_id   text not null references maker (id),
    created_at timestamptz not null
);
create index maker_namespace_maker_idx on maker_namespace (maker_id);
create unique index maker_namespace_lower_uq on maker_namespace (lower(prefix));

-- A platform alias that a maker proposed for its own model: an alias only once the platform (or
-- ADMIN) accepts it.
create table alias_proposal (
    id          bigserial primary key,
    model_id    text not null references model (id),
    maker_id    text not null references maker (id),
    platform_id text not null references platform (id),
    ref         text not null,
    valid_from  timestamptz not null,
    status      text not null check (status in ('PROPOSED', 'ACCEPTED', 'REJECTED')),
    proposed_by text not null,
    proposed_at timestamptz not null,
    decided_by  text,
    decided_at  timestamptz,
    reason      text,
    check ((status = 'PROPOSED') = (decided_at is null))
);
create index alias_proposal_platform_idx on alias_proposal (platform_id, status, id);
create index alias_proposal_maker_idx on alias_proposal (maker_id, status, id);

-- Every registry change, written in the transaction of the change. maker_ids and platform_ids name
-- the parties an entry concerns: a MAKER or PLATFORM reads only the entries that name it.
create table audit_log (
    id           bigserial primary key,
    at           timestamptz not null,
    actor        text not null,
    role         text not null,
    entity_type  text not null,
    entity_id    text not null,
    action       text not null,
    before       jsonb,
    after        jsonb,
    reason       text,
    maker_ids    text[] not null,
    platform_ids text[] not null
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, id);
create index audit_log_at_idx on audit_log (at, id);
create index audit_log_makers_idx on audit_log using gin (maker_ids);
create index audit_log_platforms_idx on audit_log using gin (platform_ids);

-- Append-only: a correction is a new change with its own entry.
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only' using errcode = 'check_violation';
end $$;

create trigger audit_log_no_update_or_delete before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();
