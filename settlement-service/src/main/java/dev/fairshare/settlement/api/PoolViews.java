package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.fairshare.settlement.domain.DeclaredPool;
import dev.fairshare.settlement.domain.ReplacedPool;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.service.PoolService;
import java.util.List;

/** What the pool endpoints answer: declarations, their history, and their split. */
public final class PoolViews {
    private PoolViews() {}

    /** What a platform declares for a period (DESIGN.md "Revenue pools"). */
    public record PoolRequest(
            String platformId,
            String period,
            String currency,
            String revenue,
            String makerShare,
            String metric,
            String method,
            List<FeeRequest> fees) {}

    /** One subscriber's fee in the period (USER_CENTRIC pools split by fees when given). */
    public record FeeRequest(String subscriberId, String amount) {}

    public record FeeView(String subscriberId, String amount) {}

    /** What was declared, by whom, when: the current declaration of a pool and a replaced one. */
    public record Declared(
            String currency,
            String revenue,
            String makerShare,
            String metric,
            String method,
            List<FeeView> fees,
            String declaredBy,
            String declaredAt) {}

    /** A replaced declaration: what was declared, by whom, when, and who replaced it when. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeclarationView(
            @JsonUnwrapped Declared declared, String replacedBy, String replacedAt) {}

    /** One model's part of the pool; {@code agreementId} null: paid to nobody (unlicensed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShareView(
            String modelId,
            String makerId,
            String customerType,
            long events,
            String volume,
            String amount,
            boolean paid,
            String agreementId) {}

    /** The split as it stands, rounded within the pool. */
    public record SplitView(
            String toMakers,
            String paid,
            String unpaid,
            String undistributed,
            List<ShareView> models) {}

    /** A pool: the current declaration, the replaced ones, and the split. */
    public record PoolView(
            String platformId,
            String period,
            String status,
            @JsonUnwrapped Declared declared,
            SplitView split,
            List<DeclarationView> history) {}

    static PoolView view(PoolService.Report r) {
        Pool p = r.declared().pool();
        return new PoolView(
                p.platformId(),
                p.period().toString(),
                r.status(),
                declared(r.declared()),
                split(r.split()),
                r.history().stream().map(PoolViews::replaced).toList());
    }

    private static List<FeeView> fees(Pool p) {
        return p.fees().entrySet().stream()
                .map(e -> new FeeView(e.getKey(), Views.plain(e.getValue())))
                .toList();
    }

    private static Declared declared(DeclaredPool d) {
        Pool p = d.pool();
        return new Declared(
                p.currency(),
                Views.plain(p.revenue()),
                Views.plain(p.makerShare()),
                p.metric(),
                p.method().name(),
                fees(p),
                d.declaredBy(),
                d.declaredAt().toString());
    }

    private static DeclarationView replaced(ReplacedPool h) {
        return new DeclarationView(
                declared(h.declaration()), h.replacedBy(), h.replacedAt().toString());
    }

    private static SplitView split(PoolService.Split s) {
        return new SplitView(
                s.toMakers().toPlainString(),
                s.paid().toPlainString(),
                s.unpaid().toPlainString(),
                s.undistributed().toPlainString(),
                s.shares().stream()
                        .map(
                                m ->
                                        new ShareView(
                                                m.modelId(),
                                                m.makerId(),
                                                m.customerType(),
                                                m.events(),
                                                Views.plain(m.volume()),
                                                m.amount().toPlainString(),
                                                m.agreementId() != null,
                                                m.agreementId()))
                        .toList());
    }
}
