-- Revenue pools of subscription platforms (DESIGN.md "Revenue pools").

-- Pooled usage: the usage.attributed rows that carry a subscriberId, summed per period, platform,
-- model, subscriber, customer type and currency. They are never rated per event (usage_rollup
-- does not hold them): the platform's declared pool of the period is split by them.
create table pooled_usage (
    period        char(7) not null,
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    subscriber_id text collate "C" not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    units         jsonb not null,
    primary key (period, platform_id, model_id, subscriber_id, customer_type, currency)
);

-- Pooled usage of a CLOSED period that arrived after its close (it is in pooled_usage too), as
-- late_usage is for usage rated per event: settled_in is null while it waits for the next close,
-- which re-runs that period's pool, then the period whose statement settled the differences.
create table late_pooled_usage (
    period        char(7) not null,
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    subscriber_id text collate "C" not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    units         jsonb not null,
    settled_in    char(7) references period (period)
);
create unique index late_pooled_usage_pending_key
    on late_pooled_usage (period, platform_id, model_id, subscriber_id, customer_type, currency)
    where settled_in is null;

-- A platform's pool of a period, as last declared; replaced while the period is open, final once
-- it is closed. fees: {subscriberId: amount} or null.
create table pool (
    platform_id text collate "C" not null,
    period      char(7) not null,
    currency    char(3) not null,
    revenue     numeric(38, 18) not null check (revenue >= 0),
    maker_share numeric(38, 18) not null check (maker_share >= 0 and maker_share <= 1),
    metric      text not null,
    method      text not null check (method in ('PRO_RATA', 'USER_CENTRIC')),
    fees        jsonb,
    declared_by text not null,
    declared_at timestamptz not null,
    primary key (platform_id, period)
);

-- Every declaration a later one replaced, as it was, with who replaced it and when.
create table pool_history (
    id          bigserial primary key,
    platform_id text collate "C" not null,
    period      char(7) not null,
    currency    char(3) not null,
    revenue     numeric(38, 18) not null,
    maker_share numeric(38, 18) not null,
    metric      text not null,
    method      text not null,
    fees        jsonb,
    declared_by text not null,
    declared_at timestamptz not null,
    replaced_by text not null,
    replaced_at timestamptz not null
);
create index pool_history_pool_idx on pool_history (platform_id, period);

alter table statement_line drop constraint statement_line_kind_check;
alter table statement_line add constraint statement_line_kind_check check (kind in (
    'ROYALTY', 'UPSTREAM_ROYALTY', 'POOL_ROYALTY', 'MINIMUM_GUARANTEE_TOPUP', 'LATE_ADJUSTMENT',
    'GUARANTEE_RECOUPMENT'));
