package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lineage cascade: of a royalty {@code R} earned by a model, each parent receives {@code share
 * × R} and passes its own parents their shares of that, recursively; every model keeps what it
 * received minus what its direct parents received. The shares of one cascade therefore sum to
 * {@code R} exactly (only exact multiplications and subtractions are involved). A parent that is
 * not a registered model, or a cycle, is an error: nothing is skipped silently.
 */
final class LineageCascade {

    /**
     * What one model's maker gets out of a cascade: {@code upstream} is false for the model that
     * earned the royalty; {@code basis} is the amount the model's share was applied to (the
     * royalty's own basis for the earning model); {@code path} is the route from the earning model
     * to this one. An ancestor reached by two routes gets one share per route.
     */
    record Share(
            String makerId,
            String modelId,
            boolean upstream,
            BigDecimal basis,
            BigDecimal amount,
            List<String> path) {}

    private final Map<String, ModelInfo> models;

    LineageCascade(Map<String, ModelInfo> models) {
        this.models = models;
    }

    /**
     * Splits a group's royalty along the lineage of the model that earned it (a registered model,
     * since rating it needed its maker).
     */
    List<Share> split(RatedGroup group) {
        List<Share> shares = new ArrayList<>();
        ModelInfo earner = models.get(group.modelId());
        distribute(earner, group.royalty(), group.basis(), false, new LinkedHashSet<>(), shares);
        return shares;
    }

    private void distribute(
            ModelInfo model,
            BigDecimal received,
            BigDecimal basis,
            boolean upstream,
            Set<String> path,
            List<Share> shares) {
        if (!path.add(model.id())) {
            throw new IllegalArgumentException(
                    "lineage cycle: " + String.join(" -> ", path) + " -> " + model.id());
        }
        BigDecimal kept = received;
        for (Parent parent : model.parents()) {
            BigDecimal gross = parent.royaltyShare().multiply(received);
            kept = kept.subtract(gross);
            distribute(parentModel(model, parent), gross, received, true, path, shares);
        }
        shares.add(
                new Share(model.makerId(), model.id(), upstream, basis, kept, List.copyOf(path)));
        path.remove(model.id());
    }

    private ModelInfo parentModel(ModelInfo child, Parent parent) {
        ModelInfo model = models.get(parent.modelId());
        if (model == null) {
            throw new IllegalArgumentException(
                    "model "
                            + child.id()
                            + " names parent "
                            + parent.modelId()
                            + ", which is not a registered model, so its maker cannot be paid");
        }
        return model;
    }
}
