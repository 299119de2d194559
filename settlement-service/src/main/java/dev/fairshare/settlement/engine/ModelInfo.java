package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the engine needs to know about a registered model: its maker, whether its licence allows
 * commercial use, and its lineage. The parents' royalty shares sum to at most 1 and no parent
 * repeats, so a model's maker always keeps a non-negative rest of its royalty; cycles across models
 * are detected when the lineage is walked.
 */
public record ModelInfo(String id, String makerId, boolean commercialUse, List<Parent> parents) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(makerId, "makerId");
        parents = List.copyOf(parents);
        Set<String> seen = new HashSet<>();
        BigDecimal shares = BigDecimal.ZERO;
        for (Parent parent : parents) {
            if (parent.modelId().equals(id) || !seen.add(parent.modelId())) {
                throw new IllegalArgumentException(
                        "model "
                                + id
                                + ": parent "
                                + parent.modelId()
                                + " is the model itself or listed twice");
            }
            shares = shares.add(parent.royaltyShare());
        }
        if (shares.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(
                    "model " + id + ": parents' royalty shares sum to " + shares + " > 1");
        }
    }
}
