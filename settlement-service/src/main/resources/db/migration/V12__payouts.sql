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

-- A paid line's entries (conversion through fx:clearing, then receivable to cash) belong to a run,
-- not to a period's statement.
alter table journal_entry alter column period drop not null;
alter table journal_entry alter column platform_id drop not null;
alter table journal_entry add column payout_line_id bigint references payout_line (id);
alter table journal_entry add constraint journal_entry_source_check
    check ((period is not null and platform_id is not null and payout_line_id is null)
        or (period is null and platform_id is null and payout_line_id is not null));
create index journal_entry_payout_line_idx on journal_entry (payout_line_id);
