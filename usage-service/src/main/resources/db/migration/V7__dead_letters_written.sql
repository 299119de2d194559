-- The inbound records already written to usage.dlq, by their coordinates. The dead letters of a
-- batch are written (and acknowledged) before the batch's transaction; the coordinates are
-- committed right after the acknowledgement, so that a batch retried after its transaction failed
-- does not write the same dead letters a second time.
create table dead_letter_written (
    topic text not null,
    partition_no int not null,
    offset_no bigint not null,
    written_at timestamptz not null default now(),
    primary key (topic, partition_no, offset_no)
);
