-- A statement line keeps exactly what the engine computed. Its exact values carry more than 18
-- fractional digits (a rate times a revenue, a share of a share), so numeric(38, 18) rounded them
-- and a stored statement could differ from its estimate past the 18th place. An unconstrained
-- numeric stores every digit (and the scale) it is given: the exact values in full, and the rounded
-- amount at its currency's scale (1.50, not 1.500000000000000000), as the estimate has them.
alter table statement_line
    alter column basis type numeric,
    alter column exact_amount type numeric,
    alter column amount type numeric;
