-- Statements are read by period, in line order (the primary key); nothing reads them by maker in
-- SQL, so the close no longer maintains an index for it.
drop index statement_line_maker_idx;

-- The period check once per distinct period of the statement, not once per line.
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
