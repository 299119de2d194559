package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Revenue pools of subscription platforms (DESIGN.md "Revenue pools"): the makers' part of a pool,
 * {@code revenue × makerShare}, is split among the models of the platform's pooled usage in the
 * period, {@link PoolMethod#PRO_RATA} or {@link PoolMethod#USER_CENTRIC}, whether or not they have
 * an agreement. The part of a model under a {@link PoolShare} agreement (in force on at least one
 * day of the period, in the pool's currency) is its royalty {@code R}: it cascades up the lineage
 * like any royalty ({@code POOL_ROYALTY} for the model's maker, {@code UPSTREAM_ROYALTY} hops) and
 * counts towards the agreement's minimum guarantee. The part of any other model is paid to nobody:
 * it stays with the platform and is reported to the model's maker as unlicensed usage with the
 * amount it would have earned.
 *
 * <p>Splits are exact up to the engine's scale-18 divisions ({@link Decimals#allocate}), whose
 * residuals are assigned so that the models' parts (paid and unpaid) and the undistributed part sum
 * exactly to the makers' part. Only usage with a positive volume of the metric takes part: a pool
 * with no such usage is undistributed as a whole, and so is a USER_CENTRIC pool with fees when no
 * subscriber with usage has a positive fee. With fees, each subscriber with usage weighs its fee (a
 * subscriber without a declared fee weighs nothing); the fees of subscribers without usage are not
 * redistributed.
 */
public final class Pools {

    private Pools() {}

    /**
     * One model's part of a pool, per customer type: its pooled events, units and volume of the
     * metric, and the amount the pool gives it (exact).
     */
    public record ModelShare(
            String modelId,
            CustomerType customerType,
            long events,
            BigDecimal volume,
            Map<String, BigDecimal> units,
            BigDecimal amount) {}

    /**
     * A pool split among its models ({@code shares}, ordered by model and customer type); {@code
     * undistributed} is the part no usage with a positive volume took.
     */
    public record Split(Pool pool, List<ModelShare> shares, BigDecimal undistributed) {}

    private record Cell(String subscriberId, String modelId, CustomerType customerType) {}

    private record Group(String modelId, CustomerType customerType) {}

    /** A paid share's identity across two splits of one pool. */
    private record Key(String agreementId, String modelId, CustomerType customerType) {}

    private static final Comparator<Key> KEY_ORDER =
            Comparator.comparing(Key::agreementId)
                    .thenComparing(Key::modelId)
                    .thenComparing(Key::customerType);

    private static final Comparator<Group> GROUP_ORDER =
            Comparator.comparing(Group::modelId).thenComparing(Group::customerType);

    /** Splits the pool among the models of {@code usage} (its platform's, in its period). */
    public static Split split(Pool pool, List<PooledUsage> usage) {
        new PoolPeriod(pool, usage);
        String metric = pool.metric();
        // summed in a hash map (exact sums do not depend on the order); every split below orders
        // what it allocates
        Map<Cell, BigDecimal> volume = new java.util.HashMap<>();
        Map<Group, long[]> events = new TreeMap<>(GROUP_ORDER);
        Map<Group, Map<String, BigDecimal>> units = new TreeMap<>(GROUP_ORDER);
        for (PooledUsage u : usage) {
            volume.merge(
                    new Cell(u.subscriberId(), u.modelId(), u.customerType()),
                    u.metric(metric),
                    BigDecimal::add);
            Group g = new Group(u.modelId(), u.customerType());
            events.computeIfAbsent(g, k -> new long[1])[0] += u.events();
            Map<String, BigDecimal> sums = units.computeIfAbsent(g, k -> new TreeMap<>());
            u.units().forEach((unit, amount) -> sums.merge(unit, amount, BigDecimal::add));
        }
        Map<Group, BigDecimal> amounts = new TreeMap<>(GROUP_ORDER);
        BigDecimal whole = pool.makersPart();
        BigDecimal undistributed =
                pool.method() == PoolMethod.PRO_RATA
                        ? proRata(whole, volume, amounts)
                        : userCentric(whole, pool.fees(), volume, amounts);
        return new Split(pool, shares(events, units, volume, amounts), undistributed);
    }

    /**
     * Each model's share per customer type, in that order: its events, units and volume, and the
     * amount the split gave it (none: zero).
     */
    private static List<ModelShare> shares(
            Map<Group, long[]> events,
            Map<Group, Map<String, BigDecimal>> units,
            Map<Cell, BigDecimal> volume,
            Map<Group, BigDecimal> amounts) {
        Map<Group, BigDecimal> volumes = new TreeMap<>(GROUP_ORDER);
        volume.forEach(
                (cell, v) ->
                        volumes.merge(
                                new Group(cell.modelId(), cell.customerType()),
                                v,
                                BigDecimal::add));
        List<ModelShare> shares = new ArrayList<>(events.size());
        for (Map.Entry<Group, long[]> e : events.entrySet()) {
            Group g = e.getKey();
            shares.add(
                    new ModelShare(
                            g.modelId(),
                            g.customerType(),
                            e.getValue()[0],
                            volumes.get(g),
                            Map.copyOf(units.get(g)),
                            amounts.getOrDefault(g, BigDecimal.ZERO)));
        }
        return List.copyOf(shares);
    }

    /** Splits {@code whole} by each model's volume; answers what is left undistributed. */
    private static BigDecimal proRata(
            BigDecimal whole, Map<Cell, BigDecimal> volume, Map<Group, BigDecimal> amounts) {
        Map<Group, BigDecimal> byGroup = new TreeMap<>(GROUP_ORDER);
        volume.forEach(
                (cell, v) -> {
                    if (v.signum() > 0) {
                        byGroup.merge(
                                new Group(cell.modelId(), cell.customerType()), v, BigDecimal::add);
                    }
                });
        if (byGroup.isEmpty()) {
            return whole;
        }
        List<Group> groups = new ArrayList<>(byGroup.keySet());
        List<BigDecimal> parts = Decimals.allocate(whole, new ArrayList<>(byGroup.values()));
        for (int i = 0; i < groups.size(); i++) {
            amounts.merge(groups.get(i), parts.get(i), BigDecimal::add);
        }
        return BigDecimal.ZERO;
    }

    /**
     * Splits {@code whole} among the subscribers with a positive volume (equally, or by fee), then
     * each one's part among its models by volume; answers what is left undistributed.
     */
    private static BigDecimal userCentric(
            BigDecimal whole,
            Map<String, BigDecimal> fees,
            Map<Cell, BigDecimal> volume,
            Map<Group, BigDecimal> amounts) {
        Map<String, Map<Group, BigDecimal>> bySubscriber = new TreeMap<>();
        volume.forEach(
                (cell, v) -> {
                    if (v.signum() > 0) {
                        bySubscriber
                                .computeIfAbsent(
                                        cell.subscriberId(), k -> new TreeMap<>(GROUP_ORDER))
                                .merge(
                                        new Group(cell.modelId(), cell.customerType()),
                                        v,
                                        BigDecimal::add);
                    }
                });
        List<String> subscribers = new ArrayList<>(bySubscriber.keySet());
        List<BigDecimal> weights =
                subscribers.stream()
                        .map(
                                s ->
                                        fees.isEmpty()
                                                ? BigDecimal.ONE
                                                : fees.getOrDefault(s, BigDecimal.ZERO))
                        .toList();
        if (weights.stream().allMatch(w -> w.signum() == 0)) {
            return whole;
        }
        List<BigDecimal> parts = Decimals.allocate(whole, weights);
        for (int i = 0; i < subscribers.size(); i++) {
            Map<Group, BigDecimal> used = bySubscriber.get(subscribers.get(i));
            List<Group> groups = new ArrayList<>(used.keySet());
            List<BigDecimal> split =
                    Decimals.allocate(parts.get(i), new ArrayList<>(used.values()));
            for (int k = 0; k < groups.size(); k++) {
                amounts.merge(groups.get(k), split.get(k), BigDecimal::add);
            }
        }
        return BigDecimal.ZERO;
    }

    /**
     * The agreement under which a model's share is paid: a {@link PoolShare} agreement of the
     * model's maker on the pool's platform in force during the period, in the pool's currency.
     */
    private static Optional<Agreement> payer(AgreementBook book, Pool pool, String modelId) {
        return book.poolAgreementFor(pool.platformId(), modelId)
                .filter(a -> a.currency().equals(pool.currency()));
    }

    /** The paid shares of a split as rated groups, ordered by agreement, model, customer type. */
    private static List<RatedGroup> paid(AgreementBook book, Split split) {
        List<RatedGroup> groups = new ArrayList<>();
        for (ModelShare share : split.shares()) {
            payer(book, split.pool(), share.modelId())
                    .ifPresent(
                            a ->
                                    groups.add(
                                            new RatedGroup(
                                                    a,
                                                    share.modelId(),
                                                    share.customerType(),
                                                    share.volume(),
                                                    share.amount())));
        }
        groups.sort(
                Comparator.comparing((RatedGroup g) -> g.agreement().id())
                        .thenComparing(RatedGroup::modelId)
                        .thenComparing(RatedGroup::customerType));
        return groups;
    }

    /**
     * The agreement that pays each model of a split that has one, by model id; the other models'
     * shares are paid to nobody.
     */
    public static Map<String, Agreement> payers(
            Split split, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        AgreementBook book = AgreementBook.pooled(split.pool().period(), agreements, models);
        Map<String, Agreement> payers = new TreeMap<>();
        for (ModelShare share : split.shares()) {
            payer(book, split.pool(), share.modelId())
                    .ifPresent(a -> payers.put(share.modelId(), a));
        }
        return payers;
    }

    /** The shares of a split that no {@link PoolShare} agreement pays, in split order. */
    public static List<ModelShare> unpaid(
            Split split, Collection<Agreement> agreements, Map<String, ModelInfo> models) {
        Map<String, Agreement> payers = payers(split, agreements, models);
        return split.shares().stream().filter(s -> !payers.containsKey(s.modelId())).toList();
    }

    /**
     * The unrounded lines of {@code period}'s pools: the cascaded pool royalties, and the top-ups
     * of every {@link PoolShare} agreement in force (with or without a pool).
     */
    static List<StatementLine> lines(
            YearMonth period,
            List<PoolPeriod> pools,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        AgreementBook book = AgreementBook.pooled(period, agreements, models);
        LineageCascade cascade = new LineageCascade(models);
        Map<String, BigDecimal> royalty = new TreeMap<>();
        List<StatementLine> lines = new ArrayList<>();
        for (PoolPeriod p : pools) {
            if (!p.pool().period().equals(period)) {
                throw new IllegalArgumentException(
                        "the pool of " + p.pool().period() + " is not one of " + period);
            }
            for (RatedGroup group : paid(book, split(p.pool(), p.usage()))) {
                royalty.merge(group.agreement().id(), group.royalty(), BigDecimal::add);
                for (LineageCascade.Share share : cascade.split(group)) {
                    LineKind kind =
                            share.upstream() ? LineKind.UPSTREAM_ROYALTY : LineKind.POOL_ROYALTY;
                    lines.add(SettlementEngine.line(period, group, share, kind, null));
                }
            }
        }
        for (Agreement agreement : book.inForce()) {
            SettlementEngine.topUp(
                            period,
                            agreement,
                            royalty.getOrDefault(agreement.id(), BigDecimal.ZERO))
                    .ifPresent(lines::add);
        }
        return lines;
    }

    /**
     * The late adjustments of a closed period's pool, settled in {@code period}: the pool split
     * again with the late usage, each model's difference (which may be negative: a late subscriber
     * dilutes the others) cascaded as {@code LATE_ADJUSTMENT} lines, and each agreement's guarantee
     * adjusted as for any late royalty.
     */
    static List<StatementLine> lateLines(
            YearMonth period,
            LatePool late,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        YearMonth original = late.pool().period();
        SettlementEngine.requireEarlier(original, period);
        AgreementBook book = AgreementBook.pooled(original, agreements, models);
        LineageCascade cascade = new LineageCascade(models);
        Map<String, Agreement> byId = new TreeMap<>();
        Map<String, BigDecimal> royaltyBefore = new TreeMap<>();
        Map<String, BigDecimal> lateRoyalty = new TreeMap<>();
        List<StatementLine> lines = new ArrayList<>();
        for (Change change : changes(book, late)) {
            RatedGroup difference = change.difference();
            String agreementId = difference.agreement().id();
            byId.put(agreementId, difference.agreement());
            royaltyBefore.merge(agreementId, change.royaltyBefore(), BigDecimal::add);
            lateRoyalty.merge(agreementId, difference.royalty(), BigDecimal::add);
            SettlementEngine.addLateAdjustments(lines, period, original, cascade, difference);
        }
        for (Map.Entry<String, BigDecimal> e : lateRoyalty.entrySet()) {
            Agreement agreement = byId.get(e.getKey());
            SettlementEngine.adjustGuarantee(
                    lines,
                    period,
                    original,
                    agreement,
                    royaltyBefore.get(e.getKey()),
                    e.getValue(),
                    late.topUpsOutstanding().getOrDefault(agreement.id(), BigDecimal.ZERO));
        }
        return lines;
    }

    /**
     * A paid share's change when a closed period's pool is split again with its late usage: the
     * royalty it had, and the difference (late volume and royalty) as a group of its agreement.
     */
    private record Change(BigDecimal royaltyBefore, RatedGroup difference) {}

    /**
     * The change of every share paid before or after the late usage, ordered by agreement, model
     * and customer type.
     */
    private static List<Change> changes(AgreementBook book, LatePool late) {
        List<PooledUsage> all = new ArrayList<>(late.settled());
        all.addAll(late.late());
        Map<String, Agreement> byId = new TreeMap<>();
        Map<Key, RatedGroup> before = byKey(paid(book, split(late.pool(), late.settled())), byId);
        Map<Key, RatedGroup> after = byKey(paid(book, split(late.pool(), all)), byId);
        Set<Key> keys = new TreeSet<>(KEY_ORDER);
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        List<Change> changes = new ArrayList<>(keys.size());
        for (Key key : keys) {
            RatedGroup old = before.get(key);
            RatedGroup now = after.get(key);
            BigDecimal oldAmount = old == null ? BigDecimal.ZERO : old.royalty();
            BigDecimal oldVolume = old == null ? BigDecimal.ZERO : old.basis();
            BigDecimal difference =
                    (now == null ? BigDecimal.ZERO : now.royalty()).subtract(oldAmount);
            BigDecimal volume = (now == null ? BigDecimal.ZERO : now.basis()).subtract(oldVolume);
            Agreement agreement = byId.get(key.agreementId());
            changes.add(
                    new Change(
                            oldAmount,
                            new RatedGroup(
                                    agreement,
                                    key.modelId(),
                                    key.customerType(),
                                    volume,
                                    difference)));
        }
        return changes;
    }

    /** Paid groups by their key; each group's agreement recorded in {@code byId}. */
    private static Map<Key, RatedGroup> byKey(
            List<RatedGroup> groups, Map<String, Agreement> byId) {
        Map<Key, RatedGroup> byKey = new TreeMap<>(KEY_ORDER);
        for (RatedGroup g : groups) {
            byKey.put(new Key(g.agreement().id(), g.modelId(), g.customerType()), g);
            byId.put(g.agreement().id(), g.agreement());
        }
        return byKey;
    }
}
