-- A closed statement never changes, in the database too: its lines are append-only like the
-- journal, and a period, once CLOSED, is final (an OPEN period may only become CLOSED; no period
-- row is ever deleted).
create or replace function statement_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'statement lines are append-only: % refused (a closed statement never changes; late usage is settled in the next period)', tg_op
        using errcode = 'check_violation';
end $$;

create trigger statement_line_append_only before update or delete on statement_line
    for each row execute function statement_append_only();
create trigger statement_line_no_truncate before truncate on statement_line
    for each statement execute function statement_append_only();

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
