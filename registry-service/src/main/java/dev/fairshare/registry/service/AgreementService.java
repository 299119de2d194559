package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.Agreement;
import dev.fairshare.registry.domain.Maker;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.AgreementRepository;
import dev.fairshare.registry.store.MakerRepository;
import dev.fairshare.registry.store.ModelRepository;
import dev.fairshare.registry.store.PlatformRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Agreements: validated terms, no overlap, immutable terms; every change goes to the outbox. */
@ApplicationScoped
public class AgreementService {
    static final String TOPIC = "registry.agreements";

    /** Terms of pooled usage: they coexist with the per-event terms of the same scope. */
    public static final String POOL_SHARE = "POOL_SHARE";

    @Inject AgreementRepository agreements;
    @Inject MakerRepository makers;
    @Inject ModelRepository models;
    @Inject PlatformRepository platforms;
    @Inject Outbox outbox;
    @Inject Audit audit;

    @Transactional
    public Dto.AgreementView create(Dto.AgreementRequest req) {
        Agreement a = checked(req);
        requireParties(req);
        a.id = req.id();
        a.makerId = req.makerId();
        a.platformId = req.platformId();
        a.modelId = req.modelId();
        a.currency = req.currency();
        a.createdAt = Instant.now();
        checkOverlap(a);
        agreements.persist(a);
        return publish(a, "CREATE", null);
    }

    /** Announces the agreement as it is now, with an audit entry of {@code action}. */
    private Dto.AgreementView publish(Agreement a, String action, Dto.AgreementView before) {
        Dto.AgreementView view = Views.of(a);
        outbox.record(TOPIC, a.id, view);
        audit.record(
                "agreement",
                a.id,
                action,
                before,
                view,
                null,
                Audit.Parties.of(a.makerId, a.platformId));
        return view;
    }

    /** The request's fields; answers a new agreement with its validity, terms and guarantee. */
    private static Agreement checked(Dto.AgreementRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        c.id("id", req.id());
        c.present("makerId", req.makerId());
        c.present("platformId", req.platformId());
        if (c.present("currency", req.currency())) {
            try {
                if (req.currency().length() != 3) {
                    throw new IllegalArgumentException();
                }
                Currency.getInstance(req.currency());
            } catch (IllegalArgumentException e) {
                c.add("currency", "BAD_CURRENCY", "currency must be an ISO 4217 code such as USD");
            }
        }
        Instant from = null;
        if (c.present("validFrom", req.validFrom())) {
            from = c.wholeDay("validFrom", req.validFrom());
        }
        Instant to = c.wholeDay("validTo", req.validTo());
        if (from != null && to != null && !to.isAfter(from)) {
            c.add("validTo", "INVALID_VALIDITY", "validTo must be after validFrom");
        }
        Agreement a = new Agreement();
        if (c.present("terms", req.terms())) {
            terms(c, req.terms(), a);
        }
        if (req.minimumGuarantee() != null) {
            BigDecimal mg = c.decimal("minimumGuarantee", req.minimumGuarantee());
            if (mg != null && mg.signum() < 0) {
                c.add("minimumGuarantee", "INVALID_AMOUNT", "minimumGuarantee must be >= 0");
            }
            a.minimumGuarantee = mg;
        }
        c.throwIfAny();
        a.validFrom = from;
        a.validTo = to;
        return a;
    }

    /**
     * A new id, and a maker, platform and model (of that maker) that exist; holds the maker's lock
     * until the transaction ends, so that two overlapping requests cannot both pass.
     */
    private void requireParties(Dto.AgreementRequest req) {
        if (agreements.findById(req.id()) != null) {
            throw RegistryService.duplicate("agreement", req.id());
        }
        // serialise agreement writes per maker so that two overlapping requests cannot both pass
        Maker maker = makers.findForUpdate(req.makerId());
        if (maker == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_MAKER", "makerId", "maker '" + req.makerId() + "' does not exist");
        }
        if (platforms.findById(req.platformId()) == null) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_PLATFORM",
                    "platformId",
                    "platform '" + req.platformId() + "' does not exist");
        }
        if (req.modelId() != null) {
            Model m = models.findById(req.modelId());
            if (m == null) {
                throw ProblemException.unprocessable(
                        "UNKNOWN_MODEL", "modelId", "model '" + req.modelId() + "' does not exist");
            }
            if (!m.makerId.equals(req.makerId())) {
                throw ProblemException.unprocessable(
                        "MODEL_NOT_OF_MAKER",
                        "modelId",
                        "model '" + req.modelId() + "' belongs to another maker");
            }
        }
    }

    /** Ends an agreement early; its terms stay as they are. */
    @Transactional
    public Dto.AgreementView end(String id, Dto.EndAgreementRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        Instant to = null;
        if (c.present("validTo", req.validTo())) {
            to = c.wholeDay("validTo", req.validTo());
        }
        c.throwIfAny();
        Agreement a = agreements.findForUpdate(id);
        if (a == null) {
            throw ProblemException.notFound("agreement", id);
        }
        if (!to.isAfter(a.validFrom)) {
            throw ProblemException.unprocessable(
                    "INVALID_VALIDITY", "validTo", "validTo must be after validFrom");
        }
        Instant currentMonth =
                java.time.YearMonth.now(java.time.ZoneOffset.UTC)
                        .atDay(1)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
        if (to.isBefore(currentMonth)) {
            throw ProblemException.unprocessable(
                    "RETROACTIVE_CHANGE",
                    "validTo",
                    "an agreement cannot end before the current month: past periods were settled under it");
        }
        if (a.validTo != null && to.isAfter(a.validTo)) {
            throw ProblemException.unprocessable(
                    "TERMS_IMMUTABLE",
                    "validTo",
                    "an agreement can be ended earlier, not extended; record a new agreement");
        }
        Dto.AgreementView before = Views.of(a);
        a.validTo = to;
        return publish(a, "END", before);
    }

    public Dto.AgreementView get(String id) {
        Agreement a = agreements.findById(id);
        if (a == null) {
            throw ProblemException.notFound("agreement", id);
        }
        return Views.of(a);
    }

    public Page<Dto.AgreementView> list(String makerId, String platformId, int page, int size) {
        Page.check(page, size);
        return Page.of(agreements.page(makerId, platformId, page, size), page, size, Views::of);
    }

    private static void terms(Checks c, Dto.Terms t, Agreement a) {
        if (!c.present("terms.type", t.type())) {
            return;
        }
        a.termsType = t.type();
        switch (t.type()) {
            case "REVENUE_SHARE" -> {
                BigDecimal rate = c.decimal("terms.rate", t.rate());
                if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0)) {
                    c.add("terms.rate", "INVALID_TERMS", "rate must be between 0 and 1");
                }
                a.rate = rate;
            }
            case "PER_UNIT" -> {
                c.present("terms.metric", t.metric());
                a.metric = t.metric();
                BigDecimal unitSize = c.decimal("terms.unitSize", t.unitSize());
                if (unitSize != null && unitSize.signum() <= 0) {
                    c.add("terms.unitSize", "INVALID_TERMS", "unitSize must be > 0");
                }
                a.unitSize = unitSize;
                tiers(c, t.tiers(), a);
            }
            case POOL_SHARE -> {
                // the pool's declaration (settlement) says what is shared: no price here
                none(c, "terms.rate", t.rate());
                none(c, "terms.metric", t.metric());
                none(c, "terms.unitSize", t.unitSize());
                none(c, "terms.tiers", t.tiers());
            }
            default ->
                    c.add(
                            "terms.type",
                            "INVALID_TERMS",
                            "terms.type must be REVENUE_SHARE, PER_UNIT or POOL_SHARE");
        }
    }

    /** A term field that {@code POOL_SHARE} terms do not take: present is INVALID_TERMS. */
    private static void none(Checks c, String field, Object value) {
        if (value != null) {
            c.add(field, "INVALID_TERMS", "POOL_SHARE terms take no " + field.substring(6));
        }
    }

    private static void tiers(Checks c, List<Dto.TierDto> tiers, Agreement a) {
        if (tiers == null || tiers.isEmpty()) {
            c.add("terms.tiers", "INVALID_TIERS", "PER_UNIT terms need at least one tier");
            return;
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            String f = "terms.tiers[" + i + "]";
            Dto.TierDto t = tiers.get(i);
            if (t == null) {
                c.add(f, "MISSING_FIELD", f + " is required");
                continue;
            }
            boolean last = i == tiers.size() - 1;
            Agreement.Tier tier = new Agreement.Tier();
            tier.price = c.decimal(f + ".price", t.price());
            if (tier.price != null && tier.price.signum() < 0) {
                c.add(f + ".price", "INVALID_TIERS", "prices must be >= 0");
            }
            if (last) {
                if (t.upTo() != null) {
                    c.add(
                            f + ".upTo",
                            "INVALID_TIERS",
                            "the last tier must be open-ended (upTo null)");
                }
            } else {
                tier.upTo = c.decimal(f + ".upTo", t.upTo());
                if (tier.upTo != null) {
                    if (tier.upTo.compareTo(previous) <= 0) {
                        c.add(
                                f + ".upTo",
                                "INVALID_TIERS",
                                "tier bounds must be strictly increasing and > 0");
                    }
                    previous = tier.upTo;
                }
            }
            a.tiers.add(tier);
        }
    }

    /**
     * Two agreements in force for the same maker and platform at the same instant overlap when they
     * cover the same model, or when one of them covers all the maker's models, and both rate the
     * same usage: a {@code POOL_SHARE} agreement (pooled usage, events with a subscriber) and a
     * {@code REVENUE_SHARE} or {@code PER_UNIT} one (the other events) do not overlap.
     */
    private void checkOverlap(Agreement a) {
        String q =
                "makerId = :maker and platformId = :platform"
                        + (a.modelId == null ? "" : " and (modelId is null or modelId = :model)")
                        + " and (validTo is null or validTo > :from)"
                        + (a.validTo == null ? "" : " and validFrom < :to")
                        + (POOL_SHARE.equals(a.termsType)
                                ? " and termsType = :pool"
                                : " and termsType <> :pool");
        Map<String, Object> p = new HashMap<>();
        p.put("maker", a.makerId);
        p.put("platform", a.platformId);
        p.put("from", a.validFrom);
        p.put("pool", POOL_SHARE);
        if (a.modelId != null) {
            p.put("model", a.modelId);
        }
        if (a.validTo != null) {
            p.put("to", a.validTo);
        }
        List<Agreement> clashes = agreements.list(q, p);
        if (!clashes.isEmpty()) {
            throw ProblemException.unprocessable(
                    "AGREEMENT_OVERLAP",
                    "validFrom",
                    "agreement '"
                            + clashes.get(0).id
                            + "' is already in force for this maker, platform and model"
                            + " in that time; end it first or start the new one later");
        }
    }
}
