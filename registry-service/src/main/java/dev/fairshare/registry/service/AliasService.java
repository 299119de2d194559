package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.AliasProposal;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.domain.ModelAlias;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.AliasProposalRepository;
import dev.fairshare.registry.store.ModelAliasRepository;
import dev.fairshare.registry.store.ModelRepository;
import dev.fairshare.registry.store.PlatformRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may name a model (DESIGN.md): global aliases inside the maker's namespaces, platform aliases
 * by the platform (a maker proposes them), and re-pointing another maker's ref by ADMIN only, with
 * a reason, from the next UTC day.
 */
@ApplicationScoped
public class AliasService {
    /** Every proposal with its status, keyed by proposal id (compacted). */
    static final String TOPIC_PROPOSALS = "registry.alias-proposals";

    static final Set<String> STATUSES =
            Set.of(AliasProposal.PROPOSED, AliasProposal.ACCEPTED, AliasProposal.REJECTED);

    /** An alias as the audit log shows it. */
    public record AliasChange(
            String modelId, String makerId, String ref, String platformId, String validFrom) {}

    /** What {@link #add} did: an alias (the model with its aliases) or a maker's proposal. */
    public record Outcome(Dto.ModelView model, Dto.ProposalView proposal) {}

    /** What a new alias takes over: the alias it follows in its scope and other makers' refs. */
    private record Claim(ModelAlias previous, Set<String> otherMakers) {}

    @Inject AliasProposalRepository proposals;
    @Inject ModelRepository models;
    @Inject ModelAliasRepository aliases;
    @Inject PlatformRepository platforms;
    @Inject Outbox outbox;
    @Inject Audit audit;
    @Inject NamespaceService namespaces;

    @Transactional
    public Outcome add(String modelId, Dto.AliasRequest req, Actor actor) {
        Checks.body(req);
        Checks c = new Checks();
        c.present("ref", req.ref());
        Instant validFrom = c.wholeDay("validFrom", req.validFrom());
        c.throwIfAny();
        Model m = models.findForUpdate(modelId);
        if (m == null) {
            throw ProblemException.notFound("model", modelId);
        }
        if (actor.isMaker() && !m.makerId.equals(actor.makerId())) {
            throw forbidden("this token acts for maker '" + actor.makerId() + "' only");
        }
        if (actor.isPlatform()
                && (req.platformId() == null || !req.platformId().equals(actor.platformId()))) {
            throw forbidden(
                    "a platform names models in its own catalogue only: give platformId '"
                            + actor.platformId()
                            + "'");
        }
        Instant from = validFrom == null ? Instant.EPOCH : validFrom;
        String reason = reason(req.reason());
        if (actor.isMaker() && req.platformId() != null) {
            check(m, req.ref(), req.platformId(), from, reason, actor);
            return new Outcome(null, propose(m, req.ref(), req.platformId(), from, actor));
        }
        claim(m, req.ref(), req.platformId(), from, reason, actor);
        return new Outcome(publish(m), null);
    }

    private Dto.ProposalView propose(
            Model m, String ref, String platformId, Instant from, Actor actor) {
        AliasProposal p = new AliasProposal();
        p.modelId = m.id;
        p.makerId = m.makerId;
        p.platformId = platformId;
        p.ref = ref;
        p.validFrom = from;
        p.status = AliasProposal.PROPOSED;
        p.proposedBy = actor.subject();
        p.proposedAt = now();
        proposals.persist(p);
        return publishAudited(p, "PROPOSE", null, null, Set.of());
    }

    /** The platform of the proposal, or ADMIN, accepts it: it becomes an alias. */
    @Transactional
    public Dto.ProposalView accept(long id, Dto.DecisionRequest req, Actor actor) {
        AliasProposal p = decidable(id, actor);
        Dto.ProposalView before = view(p);
        Model m = models.findForUpdate(p.modelId);
        String reason = reason(req == null ? null : req.reason());
        Claim claim = claimQuietly(m, p.ref, p.platformId, p.validFrom, reason, actor);
        decide(p, AliasProposal.ACCEPTED, reason, actor);
        Dto.ProposalView after = publishAudited(p, "ACCEPT", before, reason, claim.otherMakers());
        publish(m);
        return after;
    }

    @Transactional
    public Dto.ProposalView reject(long id, Dto.DecisionRequest req, Actor actor) {
        AliasProposal p = decidable(id, actor);
        Dto.ProposalView before = view(p);
        String reason = reason(req == null ? null : req.reason());
        decide(p, AliasProposal.REJECTED, reason, actor);
        return publishAudited(p, "REJECT", before, reason, Set.of());
    }

    /**
     * Publishes the proposal as it is now and audits what {@code action} made of it, for its maker,
     * its platform and {@code otherMakers} (makers whose ref it takes over).
     */
    private Dto.ProposalView publishAudited(
            AliasProposal p,
            String action,
            Dto.ProposalView before,
            String reason,
            Set<String> otherMakers) {
        Dto.ProposalView after = publish(p);
        audit.record(
                "alias-proposal",
                String.valueOf(p.id),
                action,
                before,
                after,
                reason,
                Audit.Parties.of(p.makerId, p.platformId).andMakers(otherMakers));
        return after;
    }

    public Dto.ProposalView proposal(long id, Actor actor) {
        AliasProposal p = proposals.findById(id);
        if (p == null || !visible(p, actor)) {
            throw ProblemException.notFound("alias proposal", String.valueOf(id));
        }
        return view(p);
    }

    /** Proposals the caller may see: a PLATFORM its own, a MAKER its own, ADMIN all. */
    public Page<Dto.ProposalView> proposals(
            String platformId, String status, Actor actor, int page, int size) {
        Page.check(page, size);
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.unprocessable(
                    "INVALID_VALUE", "status", "status must be PROPOSED, ACCEPTED or REJECTED");
        }
        String platform = platformId;
        if (actor.isPlatform()) {
            if (platform != null && !platform.equals(actor.platformId())) {
                throw forbidden("this token acts for platform '" + actor.platformId() + "' only");
            }
            platform = actor.platformId();
        }
        String maker = actor.isMaker() ? actor.makerId() : null;
        return Page.of(
                proposals.page(platform, status, maker, page, size),
                page,
                size,
                AliasService::view);
    }

    // ---------------------------------------------------------------- the rules

    /**
     * Checks that {@code actor} may point {@code ref} (globally, or on {@code platformId}) at model
     * {@code m} from {@code from}, and says what the alias would take over.
     */
    private Claim check(
            Model m, String ref, String platformId, Instant from, String reason, Actor actor) {
        requireFreeRef(m, ref, platformId);
        // claims on one ref (in any scope: a platform's falls back on the global) are decided one
        // at a time
        aliases.lockRef(ref);
        ModelAlias previous = inForce(ref, platformId, from);
        Set<String> otherMakers = otherMakers(m, ref, platformId, from, previous);
        requireRepointAllowed(ref, platformId, from, reason, actor, otherMakers);
        if (previous != null && previous.validFrom.equals(from)) {
            throw new ProblemException(
                    409,
                    "ALIAS_CONFLICT",
                    "alias '"
                            + ref
                            + "' already points to model '"
                            + previous.modelId
                            + "' from "
                            + from);
        }
        requireNamespace(m, ref, platformId, reason, actor, otherMakers);
        return new Claim(previous, otherMakers);
    }

    /** The platform exists, and the ref is not another model's id. */
    private void requireFreeRef(Model m, String ref, String platformId) {
        if (platformId != null && platforms.findById(platformId) == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_PLATFORM",
                    "platformId",
                    "platform '" + platformId + "' does not exist");
        }
        if (!ref.equals(m.id) && models.findById(ref) != null) {
            throw ProblemException.unprocessable(
                    "ALIAS_SHADOWS_MODEL",
                    "ref",
                    "'" + ref + "' is the id of another model; an alias cannot take its usage");
        }
    }

    /** The makers other than {@code m}'s whose models the ref resolves to from {@code from}. */
    private Set<String> otherMakers(
            Model m, String ref, String platformId, Instant from, ModelAlias previous) {
        Set<String> otherMakers = new TreeSet<>();
        for (ModelAlias held : holders(ref, platformId, from, previous)) {
            String maker = models.findById(held.modelId).makerId;
            if (!maker.equals(m.makerId)) {
                otherMakers.add(maker);
            }
        }
        return otherMakers;
    }

    /**
     * A ref held by another maker is re-pointed by ADMIN only, with a reason, from the next UTC
     * day.
     */
    private static void requireRepointAllowed(
            String ref,
            String platformId,
            Instant from,
            String reason,
            Actor actor,
            Set<String> otherMakers) {
        if (!otherMakers.isEmpty()) {
            if (!actor.isAdmin()) {
                throw new ProblemException(
                        403,
                        "REF_HELD_BY_ANOTHER_MAKER",
                        "'"
                                + ref
                                + "' resolves "
                                + (platformId == null ? "globally" : "on " + platformId)
                                + " to a model of maker "
                                + String.join(", ", otherMakers)
                                + "; only ADMIN may re-point it, with a reason, from the next UTC"
                                + " day");
            }
            requireReason(reason, "re-pointing a ref held by another maker needs a reason");
            Instant tomorrow =
                    LocalDate.now(ZoneOffset.UTC)
                            .plusDays(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant();
            if (from.isBefore(tomorrow)) {
                throw ProblemException.unprocessable(
                        "RETROACTIVE_REPOINT",
                        "validFrom",
                        "a ref held by another maker is re-pointed from "
                                + tomorrow
                                + " at the earliest, so that no attributed event changes");
            }
        }
    }

    /**
     * A maker's global alias lies in its namespaces (or is the model's id); ADMIN naming a ref in
     * another maker's namespace gives a reason, and that maker is told.
     */
    private void requireNamespace(
            Model m,
            String ref,
            String platformId,
            String reason,
            Actor actor,
            Set<String> otherMakers) {
        String owner = namespaces.ownerOf(ref);
        if (platformId == null
                && actor.isMaker()
                && !ref.equals(m.id)
                && !m.makerId.equals(owner)) {
            throw new ProblemException(
                    403,
                    "REF_NOT_IN_NAMESPACE",
                    "'"
                            + ref
                            + "' is not in a namespace of maker '"
                            + m.makerId
                            + "'; a maker's global aliases are refs in its namespaces or the model's"
                            + " own id (ADMIN grants namespaces)");
        }
        if (actor.isAdmin() && owner != null && !owner.equals(m.makerId)) {
            requireReason(reason, "'" + ref + "' is in a namespace of maker '" + owner + "'");
            otherMakers.add(owner);
        }
    }

    /** Checks the claim and records the alias with its audit entry. */
    private void claim(
            Model m, String ref, String platformId, Instant from, String reason, Actor actor) {
        Claim claim = check(m, ref, platformId, from, reason, actor);
        ModelAlias a = persist(m, ref, platformId, from);
        audit.record(
                "alias",
                ref,
                claim.otherMakers().isEmpty() ? "ADD" : "REPOINT",
                claim.previous() == null ? null : change(claim.previous()),
                change(a),
                reason,
                Audit.Parties.of(m.makerId, platformId).andMakers(claim.otherMakers()));
    }

    /** Checks the claim and records the alias; the caller's audit entry covers it. */
    private Claim claimQuietly(
            Model m, String ref, String platformId, Instant from, String reason, Actor actor) {
        Claim claim = check(m, ref, platformId, from, reason, actor);
        persist(m, ref, platformId, from);
        return claim;
    }

    private ModelAlias persist(Model m, String ref, String platformId, Instant from) {
        ModelAlias a = new ModelAlias();
        a.modelId = m.id;
        a.ref = ref;
        a.platformId = platformId;
        a.validFrom = from;
        m.aliases.add(a);
        aliases.persist(a);
        aliases.flush();
        return a;
    }

    private Dto.ModelView publish(Model m) {
        Dto.ModelView view = Views.of(m);
        outbox.record(RegistryService.TOPIC_MODELS, m.id, view);
        return view;
    }

    /** The proposal as it now stands, on its topic in this transaction. */
    private Dto.ProposalView publish(AliasProposal p) {
        Dto.ProposalView view = view(p);
        outbox.record(TOPIC_PROPOSALS, String.valueOf(p.id), view);
        return view;
    }

    /** The alias of {@code ref} in exactly this scope in force at {@code at}, or null. */
    private ModelAlias inForce(String ref, String platformId, Instant at) {
        return scope(ref, platformId).stream()
                .filter(a -> !a.validFrom.isAfter(at))
                .reduce((first, second) -> second)
                .orElse(null);
    }

    /**
     * The aliases that resolve {@code ref} in this scope from {@code from} until the scope's next
     * alias: the one in force, or for a platform without one, the global aliases in that time
     * (usage-service resolves the platform's alias first, then the global one).
     */
    private List<ModelAlias> holders(
            String ref, String platformId, Instant from, ModelAlias previous) {
        if (previous != null) {
            return List.of(previous);
        }
        if (platformId == null) {
            return List.of();
        }
        Instant until =
                scope(ref, platformId).stream()
                        .map(a -> a.validFrom)
                        .filter(v -> v.isAfter(from))
                        .findFirst()
                        .orElse(Instant.MAX);
        List<ModelAlias> held = new ArrayList<>();
        ModelAlias globalInForce = inForce(ref, null, from);
        if (globalInForce != null) {
            held.add(globalInForce);
        }
        for (ModelAlias g : scope(ref, null)) {
            if (g.validFrom.isAfter(from) && g.validFrom.isBefore(until)) {
                held.add(g);
            }
        }
        return held;
    }

    private List<ModelAlias> scope(String ref, String platformId) {
        return aliases.inScope(ref, platformId);
    }

    private AliasProposal decidable(long id, Actor actor) {
        AliasProposal p = proposals.findForUpdate(id);
        if (p == null || !visible(p, actor)) {
            throw ProblemException.notFound("alias proposal", String.valueOf(id));
        }
        if (!AliasProposal.PROPOSED.equals(p.status)) {
            throw new ProblemException(
                    409,
                    "PROPOSAL_DECIDED",
                    "proposal " + id + " was already " + p.status.toLowerCase());
        }
        return p;
    }

    private static void decide(AliasProposal p, String status, String reason, Actor actor) {
        p.status = status;
        p.decidedBy = actor.subject();
        p.decidedAt = now();
        p.reason = reason;
    }

    /**
     * ADMIN sees every proposal, a PLATFORM those for itself, a MAKER its own: to anyone else a
     * proposal does not exist (as another party's agreement). Only a PLATFORM or ADMIN token
     * reaches accept and reject.
     */
    private static boolean visible(AliasProposal p, Actor actor) {
        return actor.isAdmin()
                || (actor.isPlatform() && p.platformId.equals(actor.platformId()))
                || (actor.isMaker() && p.makerId.equals(actor.makerId()));
    }

    /** Now as PostgreSQL stores it, so that a proposal reads the same before and after a reload. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireReason(String reason, String why) {
        if (reason == null) {
            throw ProblemException.unprocessable(
                    "REASON_REQUIRED", "reason", why + ": give a reason");
        }
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "FORBIDDEN", detail);
    }

    private AliasChange change(ModelAlias a) {
        Model m = models.findById(a.modelId);
        return new AliasChange(
                a.modelId, m.makerId, a.ref, a.platformId, Views.instant(a.validFrom));
    }

    static Dto.ProposalView view(AliasProposal p) {
        return new Dto.ProposalView(
                p.id,
                p.status,
                p.modelId,
                p.makerId,
                p.platformId,
                p.ref,
                Views.instant(p.validFrom),
                p.proposedBy,
                Views.instant(p.proposedAt),
                p.decidedBy,
                Views.instant(p.decidedAt),
                p.reason);
    }
}
