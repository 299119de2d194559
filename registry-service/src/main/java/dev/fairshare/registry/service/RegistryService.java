package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.Maker;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.domain.ModelParent;
import dev.fairshare.registry.domain.Platform;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.MakerRepository;
import dev.fairshare.registry.store.ModelRepository;
import dev.fairshare.registry.store.PlatformRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Makers, platforms, models, lineage and aliases; every change is recorded in the outbox. */
@ApplicationScoped
public class RegistryService {
    static final String TOPIC_MAKERS = "registry.makers";
    static final String TOPIC_PLATFORMS = "registry.platforms";
    static final String TOPIC_MODELS = "registry.models";

    @Inject MakerRepository makers;
    @Inject ModelRepository models;
    @Inject PlatformRepository platforms;
    @Inject Outbox outbox;
    @Inject Audit audit;
    @Inject KafkaCredentialService kafkaCredentials;

    @Transactional
    public Dto.MakerView createMaker(Dto.MakerRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        c.id("id", req.id());
        c.present("name", req.name());
        c.throwIfAny();
        if (makers.findById(req.id()) != null) {
            throw duplicate("maker", req.id());
        }
        Maker m = new Maker();
        m.id = req.id();
        m.name = req.name();
        m.createdAt = Instant.now();
        makers.persist(m);
        Dto.MakerView view = Views.of(m);
        outbox.record(TOPIC_MAKERS, m.id, view);
        audit.record("maker", m.id, "CREATE", null, view, null, Audit.Parties.maker(m.id));
        return view;
    }

    public Dto.MakerView maker(String id) {
        Maker m = makers.findById(id);
        if (m == null) {
            throw ProblemException.notFound("maker", id);
        }
        return Views.of(m);
    }

    public Page<Dto.MakerView> makers(int page, int size) {
        Page.check(page, size);
        return Page.of(makers.page(page, size), page, size, Views::of);
    }

    /**
     * Onboards a platform: its record (announced through the outbox, which also creates its inbound
     * topic) and its Kafka credential and ACLs, all or nothing.
     */
    @Transactional
    public Dto.PlatformOnboarded createPlatform(Dto.PlatformRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        c.id("id", req.id());
        c.present("name", req.name());
        c.throwIfAny();
        if (platforms.findById(req.id()) != null) {
            throw duplicate("platform", req.id());
        }
        Platform p = new Platform();
        p.id = req.id();
        p.name = req.name();
        p.createdAt = Instant.now();
        platforms.persist(p);
        Dto.PlatformView view = Views.of(p);
        outbox.record(TOPIC_PLATFORMS, p.id, view);
        audit.record("platform", p.id, "CREATE", null, view, null, Audit.Parties.platform(p.id));
        Dto.KafkaCredentials kafka = kafkaCredentials.issueFor(p.id);
        return new Dto.PlatformOnboarded(view.id(), view.name(), view.createdAt(), kafka);
    }

    public Dto.PlatformView platform(String id) {
        Platform p = platforms.findById(id);
        if (p == null) {
            throw ProblemException.notFound("platform", id);
        }
        return Views.of(p);
    }

    public Page<Dto.PlatformView> platforms(int page, int size) {
        Page.check(page, size);
        return Page.of(platforms.page(page, size), page, size, Views::of);
    }

    @Transactional
    public Dto.ModelView createModel(Dto.ModelRequest req) {
        Checks.body(req);
        List<Dto.ParentRef> parents = req.parents() == null ? List.of() : req.parents();
        List<BigDecimal> shares = checkedShares(req, parents);
        requireReferences(req, parents, shares);
        Model m = new Model();
        m.id = req.id();
        m.makerId = req.makerId();
        m.name = req.name();
        m.licenseId = req.license().id();
        m.commercialUse = req.license().commercialUse();
        m.createdAt = Instant.now();
        for (int i = 0; i < parents.size(); i++) {
            ModelParent p = new ModelParent();
            p.modelId = m.id;
            p.parentId = parents.get(i).modelId();
            p.royaltyShare = shares.get(i);
            m.parents.add(p);
        }
        m.parents.sort(java.util.Comparator.comparing(p -> p.parentId));
        models.persist(m);
        Dto.ModelView view = Views.of(m);
        outbox.record(TOPIC_MODELS, m.id, view);
        audit.record("model", m.id, "CREATE", null, view, null, Audit.Parties.maker(m.makerId));
        return view;
    }

    /** The request's fields; answers each parent's royalty share, in the order given. */
    private static List<BigDecimal> checkedShares(
            Dto.ModelRequest req, List<Dto.ParentRef> parents) {
        Checks c = new Checks();
        c.id("id", req.id());
        c.present("makerId", req.makerId());
        c.present("name", req.name());
        if (c.present("license", req.license())) {
            c.present("license.id", req.license().id());
            c.present("license.commercialUse", req.license().commercialUse());
        }
        List<BigDecimal> shares = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < parents.size(); i++) {
            Dto.ParentRef p = parents.get(i);
            String f = "parents[" + i + "]";
            if (p == null) {
                c.add(f, "MISSING_FIELD", f + " is required");
                continue;
            }
            c.present(f + ".modelId", p.modelId());
            BigDecimal share = c.decimal(f + ".royaltyShare", p.royaltyShare());
            if (share != null && (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0)) {
                c.add(f + ".royaltyShare", "INVALID_SHARE", "royaltyShare must be in (0, 1]");
            }
            if (p.modelId() != null && !seen.add(p.modelId())) {
                c.add(
                        f + ".modelId",
                        "DUPLICATE_PARENT",
                        "parent " + p.modelId() + " is named twice");
            }
            shares.add(share);
        }
        c.throwIfAny();
        return shares;
    }

    /**
     * A new id, a maker that exists, parents that exist and are not the model itself, and shares
     * that sum to at most 1.
     */
    private void requireReferences(
            Dto.ModelRequest req, List<Dto.ParentRef> parents, List<BigDecimal> shares) {
        if (models.findById(req.id()) != null) {
            throw duplicate("model", req.id());
        }
        if (makers.findById(req.makerId()) == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_MAKER", "makerId", "maker '" + req.makerId() + "' does not exist");
        }
        BigDecimal sum = shares.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.compareTo(BigDecimal.ONE) > 0) {
            throw ProblemException.unprocessable(
                    "SHARES_EXCEED_ONE",
                    "parents",
                    "the parents' royalty shares sum to " + sum.toPlainString() + ", above 1");
        }
        for (int i = 0; i < parents.size(); i++) {
            String parentId = parents.get(i).modelId();
            if (parentId.equals(req.id())) {
                throw ProblemException.unprocessable(
                        "LINEAGE_CYCLE",
                        "parents[" + i + "].modelId",
                        "a model cannot be its own ancestor");
            }
            if (models.findById(parentId) == null) {
                throw ProblemException.unprocessable(
                        "UNKNOWN_PARENT",
                        "parents[" + i + "].modelId",
                        "parent model '" + parentId + "' does not exist");
            }
        }
    }

    public Dto.ModelView model(String id) {
        return Views.of(findModel(id));
    }

    public Page<Dto.ModelView> models(String makerId, int page, int size) {
        Page.check(page, size);
        return Page.of(models.page(makerId, page, size), page, size, Views::of);
    }

    public Dto.Lineage lineage(String id) {
        Model m = findModel(id);
        return new Dto.Lineage(m.id, m.makerId, ancestors(m, BigDecimal.ONE, new HashSet<>()));
    }

    private List<Dto.LineageNode> ancestors(Model m, BigDecimal reaching, Set<String> path) {
        if (!path.add(m.id)) {
            throw new IllegalStateException("lineage cycle at " + m.id);
        }
        List<Dto.LineageNode> nodes = new ArrayList<>();
        for (ModelParent p : m.parents) {
            Model parent = findModel(p.parentId);
            BigDecimal effective = reaching.multiply(p.royaltyShare);
            nodes.add(
                    new Dto.LineageNode(
                            parent.id,
                            parent.makerId,
                            Views.decimal(p.royaltyShare),
                            Views.decimal(effective),
                            ancestors(parent, effective, path)));
        }
        path.remove(m.id);
        return nodes;
    }

    Model findModel(String id) {
        Model m = models.findById(id);
        if (m == null) {
            throw ProblemException.notFound("model", id);
        }
        return m;
    }

    static ProblemException duplicate(String what, String id) {
        return new ProblemException(409, "DUPLICATE_ID", what + " '" + id + "' already exists");
    }
}
