-- Two writers (or two service instances) may find the same month missing at the same instant:
-- "create table if not exists" alone still lets the second fail with "already exists" while the
-- first has not committed. Creators now take turns (a transaction-scoped advisory lock), so the
-- second sees the first's partition and skips it.
create or replace function ensure_usage_event_partitions(from_ts timestamptz, to_ts timestamptz)
returns void language plpgsql as $$
declare
    m date := date_trunc('month', from_ts at time zone 'UTC')::date;
    name text;
begin
    perform pg_advisory_xact_lock(hashtext('ensure_usage_event_partitions'));
    while m <= (to_ts at time zone 'UTC')::date loop
        name := 'usage_event_' || to_char(m, 'YYYY_MM');
        if to_regclass(name) is null then
            execute format(
                'create table if not exists %I partition of usage_event for values from (%L) to (%L)',
                name, (m::timestamp at time zone 'UTC'), ((m + interval '1 month')::timestamp at time zone 'UTC'));
        end if;
        m := (m + interval '1 month')::date;
    end loop;
end $$;
