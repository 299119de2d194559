-- settlement-service's schema in one script: what the migrations V1 to V13 built, object for object
-- (docs/adr/0001-persistence.md, "Schema"). Flyway runs it on an empty database only; a database
-- those migrations built is at version 13 and skips it. A change is a new V<n> migration, n > 13.
-- Ids are compared byte by byte (collate "C"): cheaper btrees and sorts than a language collation.

-- Each usage.attributed delta is applied once, forever.
create table applied_delta (
    delta_id   text collate "C" primary key,
    applied_at timestamptz not null
);

-- Kafka positions, committed in the same transaction as the data they produced.
create table consumer_offset (
    consumer_group text not null,
    topic          text not null,
    partition_no   int not null,
    next_offset    bigint not null,
    primary key (consumer_group, topic, partition_no)
);

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

-- Unit maps ({unit: quantity}) added, summed and negated key by key, exactly (numeric).
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

create aggregate sum_units(jsonb) (sfunc = add_units, stype = jsonb, initcond = '{}');

create or replace function negate_units(a jsonb) returns jsonb language sql immutable as $$
    select coalesce(jsonb_object_agg(key, to_jsonb(-(value #>> '{}')::numeric)), '{}'::jsonb)
    from jsonb_each(a)
$$;

create table period (
    period              char(7) primary key,
    status              text not null check (status in ('OPEN', 'CLOSED')),
    closed_at           timestamptz,
    -- whether the close recorded its agreements (period_agreement); for a period closed without,
    -- every agreement in force counts as known at its close (nothing is settled as signed late)
    agreements_recorded boolean not null default false
);

-- A period, once CLOSED, is final: an OPEN period may only become CLOSED, and no period row is
-- ever deleted.
create or replace function period_closed_is_final() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' or tg_op = 'TRUNCATE' then
        raise exception 'periods are never deleted: % refused', tg_op
            using errcode = 'check_violation';
    end if;
    if old.status = 'CLOSED' then
        raise exception 'period % is CLOSED and final: UPDATE refused', old.period
            using errcode = 'check_violation';
    end if;
    return new;
end $$;

create trigger period_closed_final before update or delete on period
    for each row execute function period_closed_is_final();
create trigger period_no_truncate before truncate on period
    for each statement execute function period_closed_is_final();

-- The columns that the roll-ups at both grains share, declared once: LIKE copies a template's
-- columns (type, collation, not null), and nothing links a table to its template afterwards.
create temporary table rollup_model_columns (
    platform_id   text collate "C" not null,
    model_id      text collate "C" not null
);
create temporary table rollup_sum_columns (
    customer_type text collate "C" not null,
    currency      char(3) not null,
    events        bigint not null,
    revenue       numeric(38, 18) not null,
    units         jsonb not null
);

-- Attributed usage at the grain of the engine: (platform, model, UTC day, customer type, currency).
-- It holds all usage ever applied, late usage included.
create table usage_rollup (
    like rollup_model_columns,
    day date not null,
    like rollup_sum_columns,
    primary key (platform_id, model_id, day, customer_type, currency)
);

-- usage_rollup by month, the grain a close rates (the consumer adds every delta to both, in one
-- transaction).
create table usage_rollup_month (
    period char(7) not null,
    like rollup_model_columns,
    like rollup_sum_columns,
    primary key (period, platform_id, model_id, customer_type, currency)
);

drop table rollup_model_columns, rollup_sum_columns;

-- Usage of a CLOSED period that arrived after its close (it is in usage_rollup too). settled_in is
-- null while it waits for the next close, then the period whose statement settled it as
-- LATE_ADJUSTMENT lines. The settled usage of a closed period is therefore its usage_rollup minus
-- its pending late usage.
create table late_usage (
    like usage_rollup,
    settled_in char(7) references period (period)
);
create unique index late_usage_pending_key on late_usage (platform_id, model_id, day, customer_type, currency)
    where settled_in is null;
create index late_usage_settled_in_idx on late_usage (settled_in);

-- A closed statement, never changed.
create table statement_line (
    period          char(7) not null,
    line_no         int not null,
    maker_id        text not null,
    platform_id     text collate "C" not null,
    model_id        text collate "C",
    agreement_id    text not null,
    -- GUARANTEE_RECOUPMENT: a late adjustment under a minimum guarantee recoups the top-up already
    -- paid
    kind            text not null constraint statement_line_kind_check check (kind in (
        'ROYALTY', 'UPSTREAM_ROYALTY', 'POOL_ROYALTY', 'MINIMUM_GUARANTEE_TOPUP', 'LATE_ADJUSTMENT',
        'GUARANTEE_RECOUPMENT')),
    source_model_id text,
    customer_type   text collate "C",
    -- The exact values carry more than 18 fractional digits (a rate times a revenue, a share of a
    -- share): an unconstrained numeric stores every digit (and the scale) it is given, the exact
    -- values in full and the rounded amount at its currency's scale (1.50, not 1.500000000000000000),
    -- as the estimate has them.
    basis           numeric not null,
    exact_amount    numeric not null,
    -- negative only on a recoupment or a late adjustment (a dispute correction takes a ref's usage
    -- of a closed period from the model that held it, DESIGN.md "Who may name a model")
    amount          numeric not null constraint statement_line_amount_check
                        check (amount >= 0 or kind in ('GUARANTEE_RECOUPMENT', 'LATE_ADJUSTMENT')),
    currency        char(3) not null,
    adjusts_period  char(7),
    -- The route of the money through the lineage, from the source model to the receiver: one line
    -- per route, so a lineage diamond pays an ancestor on two lines. Null on a top-up or
    -- recoupment.
    path            text[],
    primary key (period, line_no)
);

-- What a late adjustment needs of a closed period's guarantees: the top-ups paid and recouped for
-- it, by agreement (only these lines are indexed, so the close's COPY barely pays for it).
-- Statements are read by period, in line order (the primary key).
create index statement_line_guarantee_idx on statement_line (coalesce(adjusts_period, period), agreement_id)
    where kind in ('MINIMUM_GUARANTEE_TOPUP', 'GUARANTEE_RECOUPMENT');

-- A close copies tens of thousands of lines at once; a foreign key would check each row on its own
-- (one lookup and row lock of the period per line). The same rule is checked once per distinct
-- period of the statement instead.
create or replace function statement_lines_have_period() returns trigger language plpgsql as $$
begin
    if exists (select 1 from (select distinct period from new_lines) n
               where not exists (select 1 from period p where p.period = n.period)) then
        raise exception 'statement lines name a period that does not exist'
            using errcode = 'foreign_key_violation';
    end if;
    return null;
end
$$;

create trigger statement_line_period_exists after insert on statement_line
    referencing new table as new_lines for each statement execute function statement_lines_have_period();

-- A closed statement never changes, in the database too: its lines are append-only like the
-- journal.
create or replace function statement_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'statement lines are append-only: % refused (a closed statement never changes; late usage is settled in the next period)', tg_op
        using errcode = 'check_violation';
end $$;

create trigger statement_line_append_only before update or delete on statement_line
    for each row execute function statement_append_only();
create trigger statement_line_no_truncate before truncate on statement_line
    for each statement execute function statement_append_only();

-- The agreements a statement rated a closed period with: those in force at its close (settled_in
-- null), and those recorded later with a validFrom inside it (a licence signed late), whose newly
-- covered usage the statement of settled_in paid as late adjustments. A closed period's
-- unlicensed usage is what these agreements at close did not cover.
create table period_agreement (
    period       char(7) not null references period (period),
    agreement_id text collate "C" not null,
    settled_in   char(7) references period (period),
    primary key (period, agreement_id)
);

-- Payouts (DESIGN.md "Payouts"): profiles with their change history, FX rates, runs with their
-- lines and carry-forwards, and the journal entries a paid line posts.

create table payout_profile (
    maker_id         text collate "C" primary key,
    currency         char(3) not null,
    threshold        numeric(38, 18) not null check (threshold > 0),
    payee_name       text not null,
    iban             text,
    bic              text,
    provider_account text,
    updated_at       timestamptz not null,
    updated_by       text not null,
    check ((iban is null) <> (provider_account is null)),
    check (bic is null or iban is not null)
);

-- Every change of a profile: who, when, and the bank details before and after, masked.
create table payout_profile_change (
    id         bigserial primary key,
    maker_id   text collate "C" not null references payout_profile (maker_id),
    changed_at timestamptz not null,
    changed_by text not null,
    old_masked text,
    new_masked text not null
);
create index payout_profile_change_maker_idx on payout_profile_change (maker_id, changed_at);

-- 1 base = rate quote, as finance recorded it for a day.
create table fx_rate (
    rate_date   date not null,
    base        char(3) not null,
    quote       char(3) not null,
    rate        numeric(38, 18) not null check (rate > 0),
    source      text not null,
    recorded_by text not null,
    recorded_at timestamptz not null,
    primary key (rate_date, base, quote),
    check (base <> quote)
);

create table payout_run (
    id          bigserial primary key,
    currency    char(3) not null,
    as_of       date not null,
    status      text not null check (status in ('DRAFT', 'APPROVED', 'EXPORTED', 'COMPLETED', 'CANCELLED')),
    created_by  text not null,
    created_at  timestamptz not null,
    approved_by text,
    approved_at timestamptz,
    exported_at timestamptz,
    check (approved_by is null or approved_by <> created_by)
);
-- one unfinished run per currency
create unique index payout_run_unfinished_idx on payout_run (currency)
    where status in ('DRAFT', 'APPROVED', 'EXPORTED');

create table payout_line (
    id               bigserial primary key,
    run_id           bigint not null references payout_run (id),
    maker_id         text collate "C" not null,
    amount           numeric(38, 18) not null check (amount > 0),
    currency         char(3) not null,
    payee_name       text not null,
    iban             text,
    bic              text,
    provider_account text,
    payee_changed    boolean not null,
    status           text not null check (status in ('PENDING', 'PAID', 'FAILED')),
    reference        text,
    settled_by       text,
    settled_at       timestamptz,
    unique (run_id, maker_id),
    check ((iban is null) <> (provider_account is null))
);
create index payout_line_maker_idx on payout_line (maker_id);

-- What a line pays, per balance currency: the balance, and (converted) the rate, its source and
-- the converted amount after the run's largest-remainder rounding.
create table payout_line_part (
    line_id     bigint not null references payout_line (id),
    currency    char(3) not null,
    balance     numeric(38, 18) not null,
    rate        numeric(38, 18),
    rate_source text,
    converted   numeric(38, 18) not null,
    primary key (line_id, currency)
);

create table payout_carry_forward (
    run_id   bigint not null references payout_run (id),
    maker_id text collate "C" not null,
    currency char(3) not null,
    balance  numeric(38, 18) not null,
    reason   text not null check (reason in ('BELOW_THRESHOLD', 'NEGATIVE', 'NO_PROFILE', 'IN_UNFINISHED_RUN')),
    primary key (run_id, maker_id, currency)
);

-- Double-entry journal: each closed statement posts one entry per (platform, currency) invoice; a
-- paid payout line posts its entries (conversion through fx:clearing, then receivable to cash),
-- which belong to its run, not to a period's statement.
create table journal_entry (
    id             bigserial primary key,
    period         char(7) references period (period),
    platform_id    text,
    currency       char(3) not null,
    memo           text not null,
    posted_at      timestamptz not null,
    payout_line_id bigint references payout_line (id),
    constraint journal_entry_source_check
        check ((period is not null and platform_id is not null and payout_line_id is null)
            or (period is null and platform_id is null and payout_line_id is not null))
);
create index journal_entry_period_idx on journal_entry (period);
create index journal_entry_payout_line_idx on journal_entry (payout_line_id);

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

-- An entry must balance, per currency, when its transaction commits. All deferred checks of a
-- transaction run at its commit, after every line is in, so the first check of an entry sees all of
-- its lines; the later ones of the same transaction are skipped (a transaction-local setting
-- remembers the entry), which keeps the check linear in the lines of an entry. A later transaction
-- that adds a line fires the check again. (The service never runs SET CONSTRAINTS ... IMMEDIATE,
-- after which a line added to an already checked entry in the same transaction would not be checked
-- again.)
create or replace function journal_entry_balanced() returns trigger language plpgsql as $$
declare
    entry bigint := coalesce(new.entry_id, old.entry_id);
    unbalanced record;
begin
    if current_setting('fairshare.balanced_' || entry, true) = 'yes' then
        return null;
    end if;
    select e.id, e.currency, coalesce(sum(l.debit), 0) as debits, coalesce(sum(l.credit), 0) as credits,
           bool_and(l.currency = e.currency) as same_currency
      into unbalanced
      from journal_entry e left join journal_line l on l.entry_id = e.id
     where e.id = entry
     group by e.id, e.currency;
    if unbalanced.debits <> unbalanced.credits or not coalesce(unbalanced.same_currency, true) then
        raise exception 'journal entry % does not balance: debits %, credits % (%)',
            unbalanced.id, unbalanced.debits, unbalanced.credits, unbalanced.currency
            using errcode = 'check_violation';
    end if;
    perform set_config('fairshare.balanced_' || entry, 'yes', true);
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
    like pooled_usage,
    settled_in char(7) references period (period)
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
    like pool,
    replaced_by text not null,
    replaced_at timestamptz not null
);
create index pool_history_pool_idx on pool_history (platform_id, period);
