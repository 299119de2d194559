package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolShare;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.PoolService;
import dev.fairshare.settlement.service.SettlementService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The revenue-pool sections of the dashboard: a maker's pool earnings per period, platform and
 * method, and the shares of pools that fell to its models without a POOL_SHARE agreement; finance's
 * view of each pool of a period, as the platform declared it, with its split and unpaid part. No
 * subscriber ever reaches a page: the maker's rows come from statement lines and unlicensed usage,
 * and finance's split is per model.
 */
@ApplicationScoped
public class PoolDashboard {
    @Inject PoolService pools;

    @Inject RegistryReplica registry;

    /** A maker's pool earnings of one period on one platform, under its method. */
    public record MakerPool(
            String period, String platform, String method, String amount, String id) {}

    /** A maker's model's share of a pool that nobody is paid: it has no POOL_SHARE agreement. */
    public record UnpaidShare(String period, String platform, String modelId, String amount) {}

    /** The maker's pool section. */
    public record MakerPools(List<MakerPool> earnings, List<UnpaidShare> unpaid) {}

    /** One model's line of a pool's split. */
    public record SplitRow(String modelId, String maker, String amount, boolean paid) {}

    /** A pool of the period, as finance sees it. */
    public record FinancePool(
            String id,
            String platform,
            String method,
            String revenue,
            String makerShare,
            String metric,
            String declaredBy,
            String declaredAt,
            int replaced,
            String toMakers,
            String paid,
            String unpaid,
            String undistributed,
            List<SplitRow> split) {}

    /**
     * The maker's pool earnings: its lines under POOL_SHARE agreements (pool royalties, upstream
     * hops of them, late adjustments, top-ups) per period, platform and currency, with the method
     * of the platform's pool of that period; and the unpaid pool shares of its models.
     */
    public MakerPools maker(
            String makerId,
            Collection<SettlementService.Statement> statements,
            List<SettlementService.Uncovered> uncovered,
            Map<String, String> platformNames) {
        Set<String> poolAgreements = new TreeSet<>();
        for (Agreement a : registry.snapshot().agreements()) {
            if (a.terms() instanceof PoolShare) {
                poolAgreements.add(a.id());
            }
        }
        Map<String, String> methods = new TreeMap<>();
        for (PoolService.Report r : pools.pools(null, null)) {
            Pool p = r.declared().pool();
            methods.put(p.platformId() + '\u0000' + p.period(), p.method().name());
        }
        record Key(String period, String platformId, String currency) {}
        Map<Key, BigDecimal> sums = new java.util.LinkedHashMap<>();
        for (SettlementService.Statement s : statements) {
            for (StatementLine l : s.lines()) {
                if (makerId.equals(l.makerId()) && poolAgreements.contains(l.agreementId())) {
                    sums.merge(
                            new Key(s.period().toString(), l.platformId(), l.currency()),
                            l.amount(),
                            BigDecimal::add);
                }
            }
        }
        List<MakerPool> earnings = new ArrayList<>();
        sums.forEach(
                (k, amount) ->
                        earnings.add(
                                new MakerPool(
                                        k.period(),
                                        platformNames.getOrDefault(k.platformId(), k.platformId()),
                                        methods.getOrDefault(
                                                k.platformId() + '\u0000' + k.period(), ""),
                                        Money.format(amount, k.currency()),
                                        "pool-"
                                                + k.period()
                                                + "-"
                                                + k.platformId()
                                                + "-"
                                                + k.currency())));
        List<UnpaidShare> unpaid = new ArrayList<>();
        for (SettlementService.Uncovered u : uncovered) {
            if (makerId.equals(u.usage().makerId()) && u.usage().wouldHaveEarned() != null) {
                unpaid.add(
                        new UnpaidShare(
                                u.period().toString(),
                                platformNames.getOrDefault(
                                        u.usage().platformId(), u.usage().platformId()),
                                u.usage().modelId(),
                                Money.format(u.usage().wouldHaveEarned(), u.usage().currency())));
            }
        }
        return new MakerPools(earnings, unpaid);
    }

    /** Each pool of {@code period}: the declaration, the split, the unpaid part. */
    public List<FinancePool> finance(
            YearMonth period, Map<String, String> platformNames, Map<String, String> makerNames) {
        List<FinancePool> out = new ArrayList<>();
        for (PoolService.Report r : pools.pools(null, period)) {
            Pool p = r.declared().pool();
            String cur = p.currency();
            List<SplitRow> split = new ArrayList<>();
            for (PoolService.Share s : r.split().shares()) {
                split.add(
                        new SplitRow(
                                s.modelId(),
                                makerNames.getOrDefault(s.makerId(), s.makerId()),
                                Money.format(s.amount(), cur),
                                s.agreementId() != null));
            }
            out.add(
                    new FinancePool(
                            "pool-" + p.platformId(),
                            platformNames.getOrDefault(p.platformId(), p.platformId()),
                            p.method().name(),
                            Money.format(p.revenue(), cur),
                            p.makerShare().stripTrailingZeros().toPlainString(),
                            p.metric(),
                            r.declared().declaredBy(),
                            r.declared().declaredAt().toString(),
                            r.history().size(),
                            Money.format(r.split().toMakers(), cur),
                            Money.format(r.split().paid(), cur),
                            Money.format(r.split().unpaid(), cur),
                            Money.format(r.split().undistributed(), cur),
                            split));
        }
        return out;
    }
}
