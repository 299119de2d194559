package dev.fairshare.settlement.engine;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 */
final class AgreementBook {

    private static final Comparator<Agreement> PREFERENCE =
            Comparator.comparing((Agreement a) -> a.modelId() == null)
                    .thenComparing(Agreement::validFrom, Comparator.reverseOrder())
                    .thenComparing(Agreement::id);

    private static final Comparator<Agreement> BY_ID = Comparator.comparing(Agreement::id);

    private record Party(String makerId, String platformId) {}

    private final YearMonth period;
    private final Map<String, ModelInfo> models;
    private final List<Agreement> inForce;
    private final Map<Party, List<Agreement>> byParty = new HashMap<>();

    AgreementBook(
            YearMonth period, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
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
        this.inForce = byId.values().stream().filter(a -> a.daysInForce(period) > 0).toList();
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
        if (!YearMonth.from(row.day()).equals(period)) {
            throw new IllegalArgumentException(
                    "usage of "
                            + row.modelId()
                            + " on "
                            + row.day()
                            + " does not belong to period "
                            + period);
        }
        String makerId = model(row.modelId()).makerId();
        return byParty.getOrDefault(new Party(makerId, row.platformId()), List.of()).stream()
                .filter(a -> a.modelId() == null || a.modelId().equals(row.modelId()))
                .filter(a -> a.inForceOn(row.day()))
                .min(PREFERENCE);
    }

    /**
     * The rows that each agreement rates, by agreement id: rows with an agreement in force whose
     * terms apply to them (so not revenue in another currency than a revenue share's).
     */
    Map<Agreement, List<UsageRow>> ratedRows(List<UsageRow> rows) {
        Map<Agreement, List<UsageRow>> rated = new TreeMap<>(BY_ID);
        for (UsageRow row : rows) {
            agreementFor(row)
                    .filter(a -> a.terms().appliesTo(row, a.currency()))
                    .ifPresent(a -> rated.computeIfAbsent(a, x -> new ArrayList<>()).add(row));
        }
        return rated;
    }
}
