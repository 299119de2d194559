package dev.fairshare.settlement.engine;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agreements in force during one period, and which one rates a usage row: the agreement of the
 * row's model's maker on the row's platform, for that model or for all the maker's models, in force
 * on the row's day. A model-specific agreement wins over an all-models one; should the registry
 * ever let two of the same kind overlap, the latest {@code validFrom} and then the smallest id
 * wins, so the choice is deterministic.
 *
 * <p>A book holds either the agreements that rate usage rows (revenue-share and per-unit terms) or,
 * built by {@link #pooled}, the {@link PoolShare} agreements that take part in revenue pools: the
 * two kinds may coexist for one model and never compete.
 */
final class AgreementBook {

    private static final Comparator<Agreement> PREFERENCE =
            Comparator.comparing((Agreement a) -> a.modelId() == null)
                    .thenComparing(Agreement::validFrom, Comparator.reverseOrder())
                    .thenComparing(Agreement::id);

    private static final Comparator<Agreement> BY_ID = Comparator.comparing(Agreement::id);

    private record Party(String makerId, String platformId) {}

    private record Served(String platformId, String modelId) {}

    private final YearMonth period;
    private final Map<String, ModelInfo> models;
    private final List<Agreement> inForce;
    private final Map<Party, List<Agreement>> byParty = new HashMap<>();

    /**
     * The agreements that may rate a model on a platform, in {@link #PREFERENCE} order, built on
     * first use: a close looks them up once per usage row.
     */
    private final Map<Served, List<Agreement>> candidates = new HashMap<>();

    AgreementBook(
            YearMonth period, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        this(period, agreements, models, false);
    }

    /** The book of the {@link PoolShare} agreements in force during {@code period}. */
    static AgreementBook pooled(
            YearMonth period, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        return new AgreementBook(period, agreements, models, true);
    }

    private AgreementBook(
            YearMonth period,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models,
            boolean pooled) {
        this.period = period;
        this.models = models;
        Map<String, Agreement> byId = new TreeMap<>();
        for (Agreement agreement : agreements) {
            Agreement previous = byId.put(agreement.id(), agreement);
            if (previous != null && !previous.equals(agreement)) {
                throw new IllegalArgumentException(
                        "two different agreements share the id " + agreement.id());
            }
        }
        this.inForce =
                byId.values().stream()
                        .filter(a -> a.daysInForce(period) > 0)
                        .filter(a -> (a.terms() instanceof PoolShare) == pooled)
                        .toList();
        for (Agreement agreement : inForce) {
            byParty.computeIfAbsent(
                            new Party(agreement.makerId(), agreement.platformId()),
                            p -> new ArrayList<>())
                    .add(agreement);
        }
    }

    /** The agreements in force on at least one day of the period, by id. */
    List<Agreement> inForce() {
        return inForce;
    }

    ModelInfo model(String modelId) {
        ModelInfo model = models.get(modelId);
        if (model == null) {
            throw new IllegalArgumentException(
                    "usage names model " + modelId + ", which is not a registered model");
        }
        return model;
    }

    /** The agreement that rates the row's day, if any. */
    Optional<Agreement> agreementFor(UsageRow row) {
        if (row.day().getYear() != period.getYear()
                || row.day().getMonthValue() != period.getMonthValue()) {
            throw new IllegalArgumentException(
                    "usage of "
                            + row.modelId()
                            + " on "
                            + row.day()
                            + " does not belong to period "
                            + period);
        }
        List<Agreement> candidates =
                this.candidates.get(new Served(row.platformId(), row.modelId()));
        if (candidates == null) {
            candidates = candidates(row.platformId(), row.modelId());
            this.candidates.put(new Served(row.platformId(), row.modelId()), candidates);
        }
        for (Agreement agreement : candidates) {
            if (agreement.inForceOn(row.day())) {
                return Optional.of(agreement);
            }
        }
        return Optional.empty();
    }

    /**
     * The agreement under which the model takes part in the platform's pool of the period (a book
     * built by {@link #pooled}): the preferred one of those in force on at least one of its days.
     */
    Optional<Agreement> poolAgreementFor(String platformId, String modelId) {
        List<Agreement> found = candidates.get(new Served(platformId, modelId));
        if (found == null) {
            found = candidates(platformId, modelId);
            candidates.put(new Served(platformId, modelId), found);
        }
        return found.stream().findFirst();
    }

    /**
     * The agreements of the model's maker on the platform for that model or all the maker's models,
     * most preferred first, so that the first one in force on a day is the one that rates it.
     */
    private List<Agreement> candidates(String platformId, String modelId) {
        String makerId = model(modelId).makerId();
        return byParty.getOrDefault(new Party(makerId, platformId), List.of()).stream()
                .filter(a -> a.modelId() == null || a.modelId().equals(modelId))
                .sorted(PREFERENCE)
                .toList();
    }

    /**
     * The rows that each agreement rates, by agreement id: rows with an agreement in force whose
     * terms apply to them (so not revenue in another currency than a revenue share's).
     */
    Map<Agreement, List<UsageRow>> ratedRows(List<UsageRow> rows) {
        // The book holds one instance per agreement id, so identity is the id, and cheaper to
        // look up per row than comparing ids.
        Map<Agreement, List<UsageRow>> byAgreement = new IdentityHashMap<>();
        for (UsageRow row : rows) {
            agreementFor(row)
                    .filter(a -> a.terms().appliesTo(row, a.currency()))
                    .ifPresent(
                            a -> byAgreement.computeIfAbsent(a, x -> new ArrayList<>()).add(row));
        }
        Map<Agreement, List<UsageRow>> rated = new TreeMap<>(BY_ID);
        rated.putAll(byAgreement);
        return rated;
    }
}
