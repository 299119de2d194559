package dev.fairshare.settlement.service;

import dev.fairshare.settlement.domain.DeclaredPool;
import dev.fairshare.settlement.domain.ReplacedPool;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.Pools;
import dev.fairshare.settlement.engine.Rounding;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.store.PoolStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import dev.fairshare.settlement.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revenue pools as platforms declare them (DESIGN.md "Revenue pools"): a declaration for an OPEN
 * period replaces the previous one, which is kept in the history; a CLOSED period's pool is final.
 * Reading a pool also splits it, as it stands, among the models of its pooled usage.
 */
@ApplicationScoped
public class PoolService {
    @Inject Transactions tx;
    @Inject PoolStore pools;
    @Inject RollupStore rollups;
    @Inject StatementStore statements;
    @Inject RegistryReplica registry;
    private final Clock clock = Clock.systemUTC();

    /** One model's part of a pool: paid under {@code agreementId}, or (null) paid to nobody. */
    public record Share(
            String modelId,
            String makerId,
            String customerType,
            long events,
            BigDecimal volume,
            BigDecimal exactAmount,
            BigDecimal amount,
            String agreementId) {}

    /**
     * A pool's split as it stands: the makers' part, what {@code POOL_SHARE} agreements take
     * ({@code paid}), what falls to models without one ({@code unpaid}), what no usage took ({@code
     * undistributed}); amounts rounded together by the largest remainder.
     */
    public record Split(
            BigDecimal toMakers,
            BigDecimal paid,
            BigDecimal unpaid,
            BigDecimal undistributed,
            List<Share> shares) {}

    /** A declared pool, its status, history and split. */
    public record Report(
            DeclaredPool declared, String status, List<ReplacedPool> history, Split split) {}

    /** Declares (or, for an OPEN period, replaces) the platform's pool. */
    public Report declare(Pool pool, String who) {
        requireRegistry();
        if (!registry.snapshot().platformNames().containsKey(pool.platformId())) {
            throw ProblemException.unprocessable(
                    "UNKNOWN_PLATFORM",
                    "platformId",
                    "platform '" + pool.platformId() + "' is not registered");
        }
        tx.inTransaction(
                c -> {
                    // a close holds a lock that conflicts with this one: no declaration slips in
                    // between the close's read of the pools and the period turning CLOSED
                    statements.lockPeriodsAgainstClose(c);
                    var state = statements.period(c, pool.period());
                    if (state.isPresent()
                            && SettlementService.CLOSED.equals(state.get().status())) {
                        throw new ProblemException(
                                409,
                                "PERIOD_CLOSED",
                                "period "
                                        + pool.period()
                                        + " was closed at "
                                        + state.get().closedAt()
                                        + "; its pool is final");
                    }
                    return pools.declare(c, pool, who, clock.instant());
                });
        return pools(pool.platformId(), pool.period()).get(0);
    }

    /** The declared pools, of one platform and/or one period when given, with their splits. */
    public List<Report> pools(String platformId, YearMonth period) {
        requireRegistry();
        RegistryReplica.Snapshot view = registry.snapshot();
        try {
            return tx.read(
                    c -> {
                        List<Report> out = new ArrayList<>();
                        Set<YearMonth> closed = statements.closed(c);
                        for (DeclaredPool d : pools.list(c, platformId, period)) {
                            out.add(report(c, d, closed, view));
                        }
                        return out;
                    });
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    409,
                    "REGISTRY_INCOMPLETE",
                    "the pool cannot be split with the registry as known here: " + e.getMessage());
        }
    }

    private Report report(
            Connection c, DeclaredPool d, Set<YearMonth> closed, RegistryReplica.Snapshot view)
            throws SQLException {
        Pool pool = d.pool();
        Pools.Split split =
                Pools.split(pool, rollups.pooledUsage(c, pool.period(), Set.of(pool.platformId())));
        return new Report(
                d,
                closed.contains(pool.period()) ? SettlementService.CLOSED : SettlementService.OPEN,
                pools.history(c, pool.platformId(), pool.period()),
                split(split, view.agreements(), view.models()));
    }

    private static Split split(
            Pools.Split split, List<Agreement> agreements, Map<String, ModelInfo> models) {
        Map<String, Agreement> payers = Pools.payers(split, agreements, models);
        List<BigDecimal> exact = new ArrayList<>();
        split.shares().forEach(s -> exact.add(s.amount()));
        exact.add(split.undistributed());
        List<BigDecimal> rounded = Rounding.largestRemainder(exact, split.pool().currency());
        List<Share> shares = new ArrayList<>();
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal unpaid = BigDecimal.ZERO;
        for (int i = 0; i < split.shares().size(); i++) {
            Pools.ModelShare s = split.shares().get(i);
            Agreement payer = payers.get(s.modelId());
            if (payer == null) {
                unpaid = unpaid.add(rounded.get(i));
            } else {
                paid = paid.add(rounded.get(i));
            }
            shares.add(
                    new Share(
                            s.modelId(),
                            models.get(s.modelId()).makerId(),
                            s.customerType().name(),
                            s.events(),
                            s.volume(),
                            s.amount(),
                            rounded.get(i),
                            payer == null ? null : payer.id()));
        }
        BigDecimal undistributed = rounded.get(rounded.size() - 1);
        return new Split(paid.add(unpaid).add(undistributed), paid, unpaid, undistributed, shares);
    }

    private void requireRegistry() {
        SettlementService.requireCaughtUp(registry);
    }
}
