package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.dashboard.DashboardViews.LineageRow;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Name;
import dev.fairshare.settlement.service.dashboard.DashboardViews.ProposalRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A maker's models as the registry's replica knows them: their lineage (ancestors and the models
 * derived from them), their names on the platforms, and the maker's proposals of platform aliases.
 */
@ApplicationScoped
public class MakerModels {
    /** How deep the ancestors of a model are listed. */
    private static final int MAX_DEPTH = 10;

    private final RegistryReplica registry;

    public MakerModels(RegistryReplica registry) {
        this.registry = registry;
    }

    /** The maker's models with their ancestors, then the models derived from them. */
    public List<LineageRow> lineage(String makerId) {
        Map<String, ModelInfo> models = registry.models();
        List<LineageRow> rows = new ArrayList<>();
        for (ModelInfo m : new TreeMap<>(models).values()) {
            if (makerId.equals(m.makerId())) {
                rows.add(new LineageRow(0, m.id(), m.makerId(), null, true));
                ancestors(m, models, 1, rows);
            }
        }
        for (ModelInfo m : new TreeMap<>(models).values()) {
            for (Parent p : m.parents()) {
                ModelInfo parent = models.get(p.modelId());
                if (!makerId.equals(m.makerId())
                        && parent != null
                        && makerId.equals(parent.makerId())) {
                    rows.add(
                            new LineageRow(
                                    0,
                                    m.id() + " (derived from " + parent.id() + ")",
                                    m.makerId(),
                                    share(p),
                                    false));
                }
            }
        }
        return rows;
    }

    private static void ancestors(
            ModelInfo m, Map<String, ModelInfo> models, int depth, List<LineageRow> rows) {
        if (depth > MAX_DEPTH) {
            return;
        }
        for (Parent p : m.parents()) {
            ModelInfo parent = models.get(p.modelId());
            rows.add(
                    new LineageRow(
                            depth,
                            p.modelId(),
                            parent == null ? "?" : parent.makerId(),
                            share(p),
                            false));
            if (parent != null) {
                ancestors(parent, models, depth + 1, rows);
            }
        }
    }

    private static String share(Parent p) {
        return p.royaltyShare().stripTrailingZeros().toPlainString();
    }

    /** The aliases of the maker's models, by model, ref and validFrom. */
    public List<Name> names(String makerId, Map<String, String> platformNames) {
        List<Name> names = new ArrayList<>();
        for (ModelInfo m : new TreeMap<>(registry.models()).values()) {
            if (!makerId.equals(m.makerId())) {
                continue;
            }
            for (RegistryReplica.Alias a : registry.aliases(m.id())) {
                names.add(
                        new Name(
                                m.id(),
                                a.ref(),
                                a.platformId() == null
                                        ? "every platform"
                                        : platformNames.getOrDefault(
                                                a.platformId(), a.platformId()),
                                a.validFrom().startsWith("1970-01-01")
                                        ? "always"
                                        : a.validFrom().substring(0, 10)));
            }
        }
        names.sort(
                Comparator.comparing(Name::modelId)
                        .thenComparing(Name::ref)
                        .thenComparing(Name::validFrom));
        return names;
    }

    /** The maker's proposals of platform aliases, open ones first, each group oldest first. */
    public List<ProposalRow> proposals(String makerId, Map<String, String> platformNames) {
        List<ProposalRow> rows = new ArrayList<>();
        for (RegistryReplica.Proposal p : registry.proposals(makerId)) {
            rows.add(
                    new ProposalRow(
                            "proposal-" + p.proposalId(),
                            p.ref(),
                            platformNames.getOrDefault(p.platformId(), p.platformId()),
                            p.modelId(),
                            p.status(),
                            p.proposedAt(),
                            p.decidedAt()));
        }
        rows.sort(Comparator.comparing(r -> !"PROPOSED".equals(r.status())));
        return rows;
    }
}
