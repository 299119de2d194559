-- The balance check ran once per journal line at commit, each time summing every line of the entry:
-- quadratic in the lines of an entry (an invoice with a line per maker). All deferred checks of a
-- transaction run at its commit, after every line is in, so the first check of an entry sees all of
-- its lines; the later ones of the same transaction are skipped (a transaction-local setting
-- remembers the entry). A later transaction that adds a line fires the check again. (The service
-- never runs SET CONSTRAINTS ... IMMEDIATE, after which a line added to an already checked entry in
-- the same transaction would not be checked again.)
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
