create table maker (
    id         text primary key,
    name       text not null,
    created_at timestamptz not null
);

create table platform (
    id         text primary key,
    name       text not null,
    created_at timestamptz not null
);

create table model (
    id             text primary key,
    maker_id       text not null references maker (id),
    name           text not null,
    license_id     text not null,
    commercial_use boolean not null,
    created_at     timestamptz not null
);
create index model_maker_idx on model (maker_id);

create table model_parent (
    id            bigserial primary key,
    model_id      text not null references model (id),
    parent_id     text not null references model (id),
    royalty_share numeric(38, 18) not null check (royalty_share > 0 and royalty_share <= 1),
    unique (model_id, parent_id),
    check (model_id <> parent_id)
);

create table model_alias (
    id          bigserial primary key,
    model_id    text not null references model (id),
    ref         text not null,
    platform_id text references platform (id),
    valid_from  timestamptz not null
);
-- one target per (platform or global, ref) at any instant: a later validFrom re-points
create unique index model_alias_ref_uq on model_alias (coalesce(platform_id, ''), ref, valid_from);

create table agreement (
    id                text primary key,
    maker_id          text not null references maker (id),
    platform_id       text not null references platform (id),
    model_id          text references model (id),
    currency          char(3) not null,
    valid_from        timestamptz not null,
    valid_to          timestamptz,
    terms_type        text not null check (terms_type in ('REVENUE_SHARE', 'PER_UNIT')),
    rate              numeric(38, 18),
    metric            text,
    unit_size         numeric(38, 18),
    minimum_guarantee numeric(38, 18),
    created_at        timestamptz not null,
    check (valid_to is null or valid_to > valid_from)
);
create index agreement_maker_platform_idx on agreement (maker_id, platform_id);

create table agreement_tier (
    agreement_id text not null references agreement (id),
    idx          int not null,
    up_to        numeric(38, 18),
    price        numeric(38, 18) not null check (price >= 0),
    primary key (agreement_id, idx)
);

-- transactional outbox: the change and its message commit together; the relay publishes in id order
create table outbox (
    id          bigserial primary key,
    topic       text not null,
    message_key text not null,
    payload     text,
    created_at  timestamptz not null,
    sent_at     timestamptz
);
create index outbox_unsent_idx on outbox (id) where sent_at is null;
