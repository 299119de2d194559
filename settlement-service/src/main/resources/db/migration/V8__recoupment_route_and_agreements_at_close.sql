-- A late adjustment under a minimum guarantee recoups the top-up already paid with a negative
-- GUARANTEE_RECOUPMENT line; it is the only kind that may be negative.
alter table statement_line drop constraint statement_line_kind_check;
alter table statement_line add constraint statement_line_kind_check check (kind in (
    'ROYALTY', 'UPSTREAM_ROYALTY', 'MINIMUM_GUARANTEE_TOPUP', 'LATE_ADJUSTMENT', 'GUARANTEE_RECOUPMENT'));
alter table statement_line drop constraint statement_line_amount_check;
alter table statement_line add constraint statement_line_amount_check
    check (amount >= 0 or kind = 'GUARANTEE_RECOUPMENT');

-- The route of the money through the lineage, from the source model to the receiver: one line per
-- route, so a lineage diamond pays an ancestor on two lines. Null on a top-up or recoupment, and on
-- the lines stored before routes were recorded (their route is unknown).
alter table statement_line add column path text[];

-- What a late adjustment needs of a closed period's guarantees: the top-ups paid and recouped for
-- it, by agreement (only these lines are indexed, so the close's COPY barely pays for it).
create index statement_line_guarantee_idx on statement_line (coalesce(adjusts_period, period), agreement_id)
    where kind in ('MINIMUM_GUARANTEE_TOPUP', 'GUARANTEE_RECOUPMENT');

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

-- Whether the close recorded its agreements. Periods closed before it did not: for them every
-- agreement in force counts as known at their close, as before (nothing is settled as signed late).
alter table period add column agreements_recorded boolean not null default false;
