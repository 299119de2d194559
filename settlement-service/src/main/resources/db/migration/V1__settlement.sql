-- Ids are compared byte by byte (collate "C"): cheaper btrees and sorts than a language collation.

-- Each usage.attributed delta is applied once, forever.
create table applied_delta (
    delta_id   text collate "C" primary key,
    applied_at timestamptz not null
);

-- Attributed usage at the grain of the engine: (platform, model, UTC day, customer type, currency).
create table usage_rollup (
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    day           date not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null,
    primary key (platform_id, model_id, day, customer_type, currency)
);

create or replace function add_units(a jsonb, b jsonb) returns jsonb language sql immutable as $$
    select coalesce(jsonb_object_agg(k, to_jsonb(total)), '{}'::jsonb)
    from (
        select k, sum(v::numeric) as total
        from (select key as k, value #>> '{}' as v from jsonb_each(a)
              union all
              select key, value #>> '{}' from jsonb_each(b)) u
        group by k
    ) s
$$;

create table consumer_offset (
    consumer_group text not null,
    topic          text not null,
    partition_no   int not null,
    next_offset    bigint not null,
    primary key (consumer_group, topic, partition_no)
);

create table period (
    period    char(7) primary key,
    status    text not null check (status in ('OPEN', 'CLOSED')),
    closed_at timestamptz
);

-- The usage each closed statement was computed from, by the period whose statement settled it:
-- usage of a closed period beyond what is settled here is late and goes to the next statement.
create table settled_usage (
    settled_in    char(7) not null references period (period),
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    day           date not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null,
    primary key (settled_in, platform_id, model_id, day, customer_type, currency)
);

-- A closed statement, never changed.
create table statement_line (
    period          char(7) not null references period (period),
    line_no         int not null,
    maker_id        text not null,
    platform_id     text collate "C" not null,
    model_id        text collate "C",
    agreement_id    text not null,
    kind            text not null check (kind in ('ROYALTY', 'UPSTREAM_ROYALTY', 'MINIMUM_GUARANTEE_TOPUP', 'LATE_ADJUSTMENT')),
    source_model_id text,
    customer_type   text collate "C",
    basis           numeric(38, 18) not null,
    exact_amount    numeric(38, 18) not null,
    amount          numeric(38, 18) not null check (amount >= 0),
    currency        char(3) not null,
    adjusts_period  char(7),
    primary key (period, line_no)
);
create index statement_line_maker_idx on statement_line (maker_id, period);
