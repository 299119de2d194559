-- A close copies tens of thousands of lines at once; a foreign key checks each row on its own (one
-- lookup and row lock of the period per line). The same rule is checked once per statement instead.
alter table statement_line drop constraint statement_line_period_fkey;

create or replace function statement_lines_have_period() returns trigger language plpgsql as $$
begin
    if exists (select 1 from new_lines n where not exists (select 1 from period p where p.period = n.period)) then
        raise exception 'statement lines name a period that does not exist'
            using errcode = 'foreign_key_violation';
    end if;
    return null;
end
$$;

create trigger statement_line_period_exists after insert on statement_line
    referencing new table as new_lines for each statement execute function statement_lines_have_period();
