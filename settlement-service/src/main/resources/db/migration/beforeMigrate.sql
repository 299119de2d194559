-- Runs before every migrate. The migrations V1 to V13 are one script now (B13.1__settlement.sql, for empty
-- databases); a database they brought only part of the way cannot be upgraded from here: it is
-- refused with the way out, rather than left at its old version.
do $$
declare
    applied int[];
begin
    if to_regclass('flyway_schema_history') is not null then
        select max(string_to_array(version, '.')::int[]) into applied
          from flyway_schema_history where success and version is not null;
        if applied < array[13] then
            raise exception 'the settlement database is at schema version %, older than V13: start the build '
                'of git commit e6ea0c8 (it holds the migrations V1 to V13) once to upgrade it, then this one',
                array_to_string(applied, '.')
                using errcode = 'feature_not_supported';
        end if;
    end if;
end $$;
