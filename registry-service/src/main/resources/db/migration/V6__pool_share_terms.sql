-- POOL_SHARE terms (DESIGN.md "Revenue pools"): the maker's models take part in the platform's
-- revenue pool. Such terms have no rate, metric, unit size or tiers.
alter table agreement drop constraint agreement_terms_type_check;
alter table agreement add constraint agreement_terms_type_check
    check (terms_type in ('REVENUE_SHARE', 'PER_UNIT', 'POOL_SHARE'));
