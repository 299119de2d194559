package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The usage of a period that the statement does not pay for, so that it is never invisible:
 *
 * <ul>
 *   <li>{@link #uncovered}: usage with no agreement in force on its day (unlicensed usage, and a
 *       compliance finding when the licence forbids commercial use and the customer is commercial);
 *   <li>{@link #currencyMismatched} (row by row) and {@link #currencyMismatches} (summed): usage
 *       under a revenue-share agreement whose revenue is in another currency than the agreement's,
 *       which is never converted and so not rated.
 * </ul>
 *
 * A coverage holds the agreements of one period; for late usage, build it for the late rows'
 * original period.
 */
public final class Coverage {

    private record Key(
            String platformId, String modelId, CustomerType customerType, String currency) {

        static Key of(UsageRow row) {
            return new Key(row.platformId(), row.modelId(), row.customerType(), row.currency());
        }
    }

    private static final Comparator<Key> KEY_ORDER =
            Comparator.comparing(Key::platformId)
                    .thenComparing(Key::modelId)
                    .thenComparing(Key::customerType)
                    .thenComparing(Key::currency);

    private static final Comparator<UsageRow> ROW_ORDER =
            Comparator.comparing(UsageRow::platformId)
                    .thenComparing(UsageRow::modelId)
                    .thenComparing(UsageRow::day)
                    .thenComparing(UsageRow::customerType)
                    .thenComparing(UsageRow::currency)
                    .thenComparing(UsageRow::revenue)
                    .thenComparingLong(UsageRow::events);

    private final AgreementBook book;
    private final Map<String, ModelInfo> models;

    /** The coverage of {@code period}'s usage by {@code agreements} (those in force in it). */
    public Coverage(
            YearMonth period, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        this.book = new AgreementBook(period, agreements, models);
        this.models = models;
    }

    /**
     * The period's usage with no agreement in force on its day, summed per platform, model,
     * customer type and currency, in that order.
     */
    public List<UncoveredUsage> uncovered(List<UsageRow> usage) {
        Map<Key, List<UsageRow>> groups = new TreeMap<>(KEY_ORDER);
        for (UsageRow row : usage) {
            if (book.agreementFor(row).isEmpty()) {
                groups.computeIfAbsent(Key.of(row), k -> new ArrayList<>()).add(row);
            }
        }
        List<UncoveredUsage> uncovered = new ArrayList<>(groups.size());
        groups.forEach(
                (key, rows) -> uncovered.add(summarise(key, rows, book.model(key.modelId()))));
        return uncovered;
    }

    /**
     * The shares of a pool that fall to models without a {@code POOL_SHARE} agreement (see {@link
     * Pools}): unlicensed pooled usage over the pool's period, per model and customer type, with
     * the amount each would have earned. Revenue is zero: pooled usage has no price of its own.
     */
    public static List<UncoveredUsage> unpaidPoolShares(
            PoolPeriod pool, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        Pool p = pool.pool();
        List<UncoveredUsage> out = new ArrayList<>();
        for (Pools.ModelShare share :
                Pools.unpaid(Pools.split(p, pool.usage()), agreements, models)) {
            ModelInfo model = models.get(share.modelId());
            if (model == null) {
                throw new IllegalArgumentException(
                        "usage names model "
                                + share.modelId()
                                + ", which is not a registered model");
            }
            out.add(
                    new UncoveredUsage(
                            p.platformId(),
                            share.modelId(),
                            model.makerId(),
                            share.customerType(),
                            p.currency(),
                            share.events(),
                            BigDecimal.ZERO,
                            share.units(),
                            !model.commercialUse()
                                    && share.customerType() == CustomerType.COMMERCIAL,
                            p.period().atDay(1),
                            p.period().atEndOfMonth(),
                            share.amount()));
        }
        return out;
    }

    /**
     * Whether a row of the period has an agreement in force on its day (whatever the currency of
     * its revenue). A row of a model the registry does not know has none.
     */
    public boolean hasAgreement(UsageRow row) {
        return models.containsKey(row.modelId()) && book.agreementFor(row).isPresent();
    }

    /**
     * The period's usage that a revenue-share agreement in force does not rate because its revenue
     * is in another currency, ordered by platform, model, day, customer type and currency.
     */
    public List<UsageRow> currencyMismatched(List<UsageRow> usage) {
        return usage.stream().filter(this::isMismatched).sorted(ROW_ORDER).toList();
    }

    /**
     * The period's currency-mismatched usage (see {@link #currencyMismatched}) summed per platform,
     * model, agreement and revenue currency, in that order.
     */
    public List<CurrencyMismatch> currencyMismatches(List<UsageRow> usage) {
        record Group(String platformId, String modelId, String agreementId, String currency) {}
        Map<Group, CurrencyMismatch> sums =
                new TreeMap<>(
                        Comparator.comparing(Group::platformId)
                                .thenComparing(Group::modelId)
                                .thenComparing(Group::agreementId)
                                .thenComparing(Group::currency));
        for (UsageRow row : usage) {
            Optional<Agreement> found = mismatchedAgreement(row);
            if (found.isEmpty()) {
                continue;
            }
            Agreement a = found.get();
            sums.merge(
                    new Group(row.platformId(), row.modelId(), a.id(), row.currency()),
                    new CurrencyMismatch(
                            row.platformId(),
                            row.modelId(),
                            book.model(row.modelId()).makerId(),
                            a.id(),
                            a.currency(),
                            row.currency(),
                            row.events(),
                            row.revenue()),
                    (x, y) ->
                            new CurrencyMismatch(
                                    x.platformId(),
                                    x.modelId(),
                                    x.makerId(),
                                    x.agreementId(),
                                    x.agreementCurrency(),
                                    x.currency(),
                                    x.events() + y.events(),
                                    x.revenue().add(y.revenue())));
        }
        return List.copyOf(sums.values());
    }

    private boolean isMismatched(UsageRow row) {
        return mismatchedAgreement(row).isPresent();
    }

    /** The agreement in force on the row's day, when its terms do not rate the row's currency. */
    private Optional<Agreement> mismatchedAgreement(UsageRow row) {
        return book.agreementFor(row).filter(a -> !a.terms().appliesTo(row, a.currency()));
    }

    private static UncoveredUsage summarise(Key key, List<UsageRow> rows, ModelInfo model) {
        long events = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        Map<String, BigDecimal> units = new TreeMap<>();
        LocalDate firstDay = rows.get(0).day();
        LocalDate lastDay = firstDay;
        for (UsageRow row : rows) {
            events += row.events();
            revenue = revenue.add(row.revenue());
            row.units().forEach((unit, amount) -> units.merge(unit, amount, BigDecimal::add));
            firstDay = row.day().isBefore(firstDay) ? row.day() : firstDay;
            lastDay = row.day().isAfter(lastDay) ? row.day() : lastDay;
        }
        boolean finding = !model.commercialUse() && key.customerType() == CustomerType.COMMERCIAL;
        return new UncoveredUsage(
                key.platformId(),
                key.modelId(),
                model.makerId(),
                key.customerType(),
                key.currency(),
                events,
                revenue,
                units,
                finding,
                firstDay,
                lastDay,
                null); // rated per event: no pool share it would have earned
    }
}
