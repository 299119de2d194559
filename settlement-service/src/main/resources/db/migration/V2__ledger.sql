-- Double-entry journal: each closed statement posts one entry per (platform, currency) invoice.
create table journal_entry (
    id          bigserial primary key,
    period      char(7) not null references period (period),
    platform_id text not null,
    currency    char(3) not null,
    memo        text not null,
    posted_at   timestamptz not null
);
create index journal_entry_period_idx on journal_entry (period);

create table journal_line (
    entry_id bigint not null references journal_entry (id),
    line_no  int not null,
    account  text not null,
    currency char(3) not null,
    debit    numeric(38, 18) not null check (debit >= 0),
    credit   numeric(38, 18) not null check (credit >= 0),
    primary key (entry_id, line_no),
    check ((debit = 0) <> (credit = 0))
);
create index journal_line_account_idx on journal_line (account, currency);

-- An entry must balance, per currency, when its transaction commits.
create or replace function journal_entry_balanced() returns trigger language plpgsql as $$
declare
    unbalanced record;
begin
    select e.id, e.currency, coalesce(sum(l.debit), 0) as debits, coalesce(sum(l.credit), 0) as credits,
           bool_and(l.currency = e.currency) as same_currency
      into unbalanced
      from journal_entry e left join journal_line l on l.entry_id = e.id
     where e.id = coalesce(new.entry_id, old.entry_id)
     group by e.id, e.currency;
    if unbalanced.debits <> unbalanced.credits or not coalesce(unbalanced.same_currency, true) then
        raise exception 'journal entry % does not balance: debits %, credits % (%)',
            unbalanced.id, unbalanced.debits, unbalanced.credits, unbalanced.currency
            using errcode = 'check_violation';
    end if;
    return null;
end $$;

create constraint trigger journal_line_balanced
    after insert on journal_line
    deferrable initially deferred
    for each row execute function journal_entry_balanced();

-- Append-only: a correction is a new entry.
create or replace function journal_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the journal is append-only: post a correcting entry instead' using errcode = 'check_violation';
end $$;

create trigger journal_entry_append_only before update or delete on journal_entry
    for each row execute function journal_append_only();
create trigger journal_line_append_only before update or delete on journal_line
    for each row execute function journal_append_only();
