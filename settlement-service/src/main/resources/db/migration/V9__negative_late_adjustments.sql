-- A late adjustment may be negative too: a dispute correction takes a ref's usage of a closed
-- period from the model that held it and settles the difference in the next open period (DESIGN.md
-- "Who may name a model"). Closed statements keep their lines; the new ones may be below zero.
-- Every other kind (royalties, hops, top-ups) stays non-negative.
alter table statement_line drop constraint statement_line_amount_check;
alter table statement_line add constraint statement_line_amount_check
    check (amount >= 0 or kind in ('GUARANTEE_RECOUPMENT', 'LATE_ADJUSTMENT'));
