package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The royalty {@code R} that one agreement owes for one model and customer type in a period, before
 * the lineage cascade, and the basis (revenue or volume) it was computed from.
 */
record RatedGroup(
        Agreement agreement,
        String modelId,
        CustomerType customerType,
        BigDecimal basis,
        BigDecimal royalty) {

    private record Key(String modelId, CustomerType customerType) {}

    private static final Comparator<Key> ORDER =
            Comparator.comparing(Key::modelId).thenComparing(Key::customerType);

    /**
     * Rates the rows of one agreement, grouped per model and customer type (in that order), on top
     * of {@code priorBasis} already rated under the agreement in the same period.
     */
    static List<RatedGroup> rate(Agreement agreement, BigDecimal priorBasis, List<UsageRow> rows) {
        // Summed in a hash map and then ordered: exact sums do not depend on the order of rows.
        Map<Key, BigDecimal> sums = new HashMap<>();
        for (UsageRow row : rows) {
            sums.merge(
                    new Key(row.modelId(), row.customerType()),
                    agreement.terms().basis(row),
                    BigDecimal::add);
        }
        Map<Key, BigDecimal> bases = new TreeMap<>(ORDER);
        bases.putAll(sums);
        List<Key> keys = new ArrayList<>(bases.keySet());
        List<BigDecimal> basisList = new ArrayList<>(bases.values());
        List<BigDecimal> royalties = agreement.terms().royalties(priorBasis, basisList);
        List<RatedGroup> groups = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            groups.add(
                    new RatedGroup(
                            agreement,
                            keys.get(i).modelId(),
                            keys.get(i).customerType(),
                            basisList.get(i),
                            royalties.get(i)));
        }
        return groups;
    }
}
