package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.AliasDispute;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.domain.ModelAlias;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.AliasDisputeRepository;
import dev.fairshare.registry.store.ModelAliasRepository;
import dev.fairshare.registry.store.ModelRepository;
import dev.fairshare.registry.store.PlatformRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Dispute corrections (DESIGN.md "Who may name a model"): from a whole UTC day on, a ref's usage in
 * one scope (a platform, or global) belongs to another model. In one transaction the scope's alias
 * is made to resolve to that model from that day on (so new events follow), the dispute is kept,
 * and the command is recorded in the outbox for {@code registry.reattributions}, which
 * usage-service reads to re-attribute the stored events.
 */
@ApplicationScoped
public class AliasDisputeService {
    static final String TOPIC_REATTRIBUTIONS = "registry.reattributions";

    @Inject AliasDisputeRepository disputes;
    @Inject ModelRepository models;
    @Inject ModelAliasRepository aliases;
    @Inject PlatformRepository platforms;
    @Inject Outbox outbox;
    @Inject Audit audit;
    private final Clock clock = Clock.systemUTC();

    /**
     * From the whole UTC day {@code from} on, the ref's usage in its scope is {@code toModelId}'s:
     * the scope's alias at that day points there, and the dispute is announced with the models it
     * changed.
     */
    @Transactional
    public ReattributionDto.Accepted reattribute(ReattributionDto.Request req, String actor) {
        Instant from = validFrom(req);
        Model to = target(req);
        requireNoLaterAlias(req, from, to);
        Model replaced = repoint(req, from, to);
        return record(req, from, to, replaced, actor);
    }

    /** The request's fields, and its day: today or earlier. */
    private Instant validFrom(ReattributionDto.Request req) {
        Checks.body(req);
        Checks c = new Checks();
        c.present("ref", req.ref());
        c.present("toModelId", req.toModelId());
        Instant from = c.present("from", req.from()) ? c.wholeDay("from", req.from()) : null;
        c.present("reason", req.reason());
        c.throwIfAny();
        Instant today = LocalDate.now(clock).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (from.isAfter(today)) {
            throw ProblemException.unprocessable(
                    "FROM_IN_FUTURE",
                    "from",
                    "a dispute corrects the past: from must be today or earlier; re-point a ref from"
                            + " a later day with POST /models/{id}/aliases");
        }
        return from;
    }

    /** The model the ref moves to, checked against the platform and the other models' ids. */
    private Model target(ReattributionDto.Request req) {
        Model to = models.findForUpdate(req.toModelId());
        if (to == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_MODEL", "toModelId", "model '" + req.toModelId() + "' does not exist");
        }
        if (req.platformId() != null && platforms.findById(req.platformId()) == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_PLATFORM",
                    "platformId",
                    "platform '" + req.platformId() + "' does not exist");
        }
        if (!req.ref().equals(to.id) && models.findById(req.ref()) != null) {
            throw ProblemException.unprocessable(
                    "ALIAS_SHADOWS_MODEL",
                    "ref",
                    "'"
                            + req.ref()
                            + "' is the id of another model; an alias cannot take its usage");
        }
        return to;
    }

    /** A later alias of the scope naming another model would hide the dispute from that day on. */
    private void requireNoLaterAlias(ReattributionDto.Request req, Instant from, Model to) {
        List<ModelAlias> later =
                aliases.laterOfAnotherModel(req.ref(), req.platformId(), from, to.id);
        if (!later.isEmpty()) {
            ModelAlias first = later.get(0);
            throw new ProblemException(
                    409,
                    "LATER_ALIAS_IN_SCOPE",
                    "from "
                            + first.validFrom
                            + " '"
                            + req.ref()
                            + "' points to model '"
                            + first.modelId
                            + "' in this scope; dispute from that day first, or from a later day");
        }
    }

    /**
     * Points the scope's alias at {@code from} to {@code to}; answers the model it named before
     * (null when there was none, or it named {@code to} already).
     */
    private Model repoint(ReattributionDto.Request req, Instant from, Model to) {
        // the scope's alias at exactly `from`: re-pointed when it names another model
        List<ModelAlias> at = aliases.at(req.ref(), req.platformId(), from);
        Model replaced = null;
        boolean present = false;
        for (ModelAlias a : at) {
            if (a.modelId.equals(to.id)) {
                present = true;
                continue;
            }
            replaced = models.findForUpdate(a.modelId);
            replaced.aliases.removeIf(x -> x.id.equals(a.id));
            aliases.delete(a);
        }
        // the deletion first: the scope's (ref, validFrom) is unique
        aliases.flush();
        if (!present) {
            ModelAlias a = new ModelAlias();
            a.modelId = to.id;
            a.ref = req.ref();
            a.platformId = req.platformId();
            a.validFrom = from;
            to.aliases.add(a);
            aliases.persist(a);
            aliases.flush();
        }
        return replaced;
    }

    /** The dispute row, its messages (the changed models first) and its audit entry. */
    private ReattributionDto.Accepted record(
            ReattributionDto.Request req, Instant from, Model to, Model replaced, String actor) {
        Map<String, Long> versions = new TreeMap<>();
        versions.put(to.id, outbox.record(RegistryService.TOPIC_MODELS, to.id, Views.of(to)));
        if (replaced != null) {
            versions.put(
                    replaced.id,
                    outbox.record(RegistryService.TOPIC_MODELS, replaced.id, Views.of(replaced)));
        }

        AliasDispute d = new AliasDispute();
        d.id = UUID.randomUUID();
        d.ref = req.ref();
        d.platformId = req.platformId();
        d.toModelId = to.id;
        d.fromDay = from;
        d.reason = req.reason().trim();
        d.replacedModelId = replaced == null ? null : replaced.id;
        d.actor = actor;
        d.createdAt = Instant.now(clock);
        disputes.persist(d);
        outbox.record(TOPIC_REATTRIBUTIONS, d.id.toString(), message(d, versions));
        ReattributionDto.Accepted accepted =
                new ReattributionDto.Accepted(
                        d.id.toString(),
                        "ACCEPTED",
                        d.ref,
                        d.platformId,
                        d.toModelId,
                        from.toString(),
                        d.reason,
                        d.replacedModelId);
        // in the dispute's transaction: the maker that gains the ref, the one that loses it (when
        // the alias at that day named another model) and the platform of the scope may read it
        Audit.Parties parties = Audit.Parties.of(to.makerId, d.platformId);
        if (replaced != null) {
            parties = parties.andMakers(List.of(replaced.makerId));
        }
        audit.record(
                "alias-dispute", d.id.toString(), "REATTRIBUTE", null, accepted, d.reason, parties);
        return accepted;
    }

    /**
     * The {@code registry.reattributions} message of {@code d}; {@code versions} names the {@code
     * registry.models} records written with it (model id → outbox id).
     */
    static ReattributionDto.Message message(AliasDispute d, Map<String, Long> versions) {
        return new ReattributionDto.Message(
                d.id.toString(),
                d.ref,
                d.platformId,
                d.toModelId,
                d.fromDay.toString(),
                d.reason,
                versions,
                d.createdAt.toString());
    }
}
