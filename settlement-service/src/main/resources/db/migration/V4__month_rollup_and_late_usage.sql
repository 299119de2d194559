-- A close reads a month's usage at the grain it rates (one row per platform, model, customer type
-- and currency), and late usage is kept where it arrives instead of snapshotting every settled row.

create aggregate sum_units(jsonb) (sfunc = add_units, stype = jsonb, initcond = '{}');

create or replace function negate_units(a jsonb) returns jsonb language sql immutable as $$
    select coalesce(jsonb_object_agg(key, to_jsonb(-(value #>> '{}')::numeric)), '{}'::jsonb)
    from jsonb_each(a)
$$;

-- usage_rollup by month: the consumer adds every delta to both, in one transaction.
create table usage_rollup_month (
    period        char(7) not null,
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null,
    primary key (period, platform_id, model_id, customer_type, currency)
);

insert into usage_rollup_month (period, platform_id, model_id, customer_type, currency, events, revenue, units)
select to_char(day, 'YYYY-MM'), platform_id, model_id, customer_type, currency, sum(events), sum(revenue), sum_units(units)
from usage_rollup
group by 1, 2, 3, 4, 5;

-- Usage of a CLOSED period that arrived after its close (it is also in usage_rollup, which holds
-- all usage ever applied). settled_in is null while it waits for the next close, then the period
-- whose statement settled it as LATE_ADJUSTMENT lines. The settled usage of a closed period is
-- therefore its usage_rollup minus its pending late usage.
create table late_usage (
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null,
    day           date not null,
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null,
    settled_in    char(7) references period (period)
);
create unique index late_usage_pending_key on late_usage (platform_id, model_id, day, customer_type, currency)
    where settled_in is null;
create index late_usage_settled_in_idx on late_usage (settled_in);

-- From the snapshot model: rows a later close settled as late usage keep that period ...
insert into late_usage (platform_id, model_id, day, customer_type, currency, events, revenue, units, settled_in)
select platform_id, model_id, day, customer_type, currency, events, revenue, units, settled_in
from settled_usage
where to_char(day, 'YYYY-MM') <> settled_in;

-- ... and what a closed period has beyond everything settled for it is pending.
insert into late_usage (platform_id, model_id, day, customer_type, currency, events, revenue, units)
select r.platform_id, r.model_id, r.day, r.customer_type, r.currency,
       r.events - coalesce(s.events, 0), r.revenue - coalesce(s.revenue, 0),
       add_units(r.units, negate_units(coalesce(s.units, '{}'::jsonb)))
from usage_rollup r
join period p on p.period = to_char(r.day, 'YYYY-MM') and p.status = 'CLOSED'
left join (
    select platform_id, model_id, day, customer_type, currency,
           sum(events) as events, sum(revenue) as revenue, sum_units(units) as units
    from settled_usage
    group by 1, 2, 3, 4, 5
) s using (platform_id, model_id, day, customer_type, currency)
where r.events <> coalesce(s.events, 0)
   or r.revenue <> coalesce(s.revenue, 0)
   or r.units <> coalesce(s.units, '{}'::jsonb);

drop table settled_usage;
