-- Each inbound consumer instance (by consumer group and group.instance.id): the partitions it was
-- last assigned, and whether it is running. A start that finds running = true follows a process
-- that died (out of memory, kill -9): it first examines what those partitions hold past their
-- stored offsets, and quarantines the record that a reader cannot hold (docs/operations.md,
-- "Quarantined records").
create table consumer_member (
    consumer_group text not null,
    instance_id    text not null,
    partitions     text[] not null default '{}',
    running        boolean not null,
    updated_at     timestamptz not null default now(),
    primary key (consumer_group, instance_id)
);

-- The inbound records set aside instead of stored: each one written once to usage.dlq with the
-- code UNPROCESSABLE_RECORD. A platform's usage is incomplete while it has one here.
create table quarantined_record (
    id             bigserial primary key,
    platform_id    text collate "C" not null,
    topic          text not null,
    partition_no   int not null,
    offset_no      bigint not null,
    reason         text not null,
    quarantined_at timestamptz not null default now(),
    unique (topic, partition_no, offset_no)
);
create index quarantined_record_platform_idx on quarantined_record (platform_id, id);
