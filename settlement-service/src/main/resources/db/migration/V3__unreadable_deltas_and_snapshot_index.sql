-- usage.attributed records that could not be read are parked here, in the transaction that moves
-- the consumer past them: nothing is skipped silently, and finance can see and replay them.
create table unreadable_delta (
    topic        text not null,
    partition_no int not null,
    offset_no    bigint not null,
    payload      text,
    error        text not null,
    received_at  timestamptz not null,
    primary key (topic, partition_no, offset_no)
);

-- The settled snapshot is written in bulk at each close and read by day range: a plain index is
-- enough (each row is written once, by one close).
alter table settled_usage drop constraint settled_usage_pkey;
create index settled_usage_day_idx on settled_usage (day);
