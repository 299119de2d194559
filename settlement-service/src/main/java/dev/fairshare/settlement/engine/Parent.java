package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A lineage edge: the derived model owes {@code royaltyShare} (between 0 and 1) of every royalty it
 * receives to the parent model {@code modelId}, whose maker is paid through an {@code
 * UPSTREAM_ROYALTY} line.
 */
public record Parent(String modelId, BigDecimal royaltyShare) {

    public Parent {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(royaltyShare, "royaltyShare");
        if (royaltyShare.signum() < 0 || royaltyShare.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(
                    "royalty share of parent " + modelId + " must be within [0, 1]");
        }
    }
}
