package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.settlement.engine.Worlds.World;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** DESIGN.md rule 5, checked over random statements: debits equal credits, always. */
class LedgerPropertiesTest {

    @Provide
    Arbitrary<World> worlds() {
        return Worlds.worlds();
    }

    @Property(tries = 200)
    void everyEntryBalancesInItsOwnCurrencyAndPostsNoZeroLine(@ForAll("worlds") World world) {
        List<JournalEntry> entries = Ledger.post(NOVEMBER, settleNovember(world));

        assertThat(entries)
                .allSatisfy(
                        entry -> {
                            assertThat(entry.period()).isEqualTo(NOVEMBER);
                            assertThat(sum(entry.lines(), JournalLine::debit))
                                    .isEqualByComparingTo(sum(entry.lines(), JournalLine::credit))
                                    .isPositive();
                            // a platform's invoice is never negative: a recoupment takes back at
                            // most the late royalty of the same agreement
                            assertThat(entry.lines())
                                    .allSatisfy(
                                            line -> {
                                                assertThat(line.currency())
                                                        .isEqualTo(entry.currency());
                                                assertThat(line.balance().signum()).isNotZero();
                                            })
                                    .filteredOn(
                                            line ->
                                                    line.account()
                                                            .equals(
                                                                    Ledger.platformAccount(
                                                                            entry.platformId())))
                                    .allSatisfy(
                                            line -> assertThat(line.debit().signum()).isPositive());
                        });
    }

    @Property(tries = 200)
    void allBalancesOfACurrencySumToZero(@ForAll("worlds") World world) {
        Map<String, Map<String, BigDecimal>> balances =
                Ledger.balances(Ledger.post(NOVEMBER, settleNovember(world)));

        Map<String, BigDecimal> perCurrency = new TreeMap<>();
        balances.values()
                .forEach(
                        amounts ->
                                amounts.forEach(
                                        (c, a) -> perCurrency.merge(c, a, BigDecimal::add)));
        assertThat(perCurrency.values()).allSatisfy(total -> assertThat(total).isZero());
    }

    @Property(tries = 200)
    void makersAreOwedTheirPayoutsAndPlatformsOweTheirInvoices(@ForAll("worlds") World world) {
        List<StatementLine> lines = settleNovember(world);

        Map<String, Map<String, BigDecimal>> balances =
                Ledger.balances(Ledger.post(NOVEMBER, lines));

        Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
        addNonZero(expected, SettlementEngine.payouts(lines), Ledger::makerAccount, false);
        addNonZero(expected, SettlementEngine.invoices(lines), Ledger::platformAccount, true);
        assertThat(balances).isEqualTo(expected);
    }

    @Property(tries = 100)
    void postingIsDeterministicWhateverTheLineOrder(
            @ForAll("worlds") World world, @ForAll Random random) {
        List<StatementLine> lines = settleNovember(world);
        List<StatementLine> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, random);

        assertThat(Ledger.post(NOVEMBER, shuffled)).isEqualTo(Ledger.post(NOVEMBER, lines));
    }

    private static void addNonZero(
            Map<String, Map<String, BigDecimal>> into,
            Map<String, Map<String, BigDecimal>> parties,
            Function<String, String> account,
            boolean negate) {
        parties.forEach(
                (party, amounts) ->
                        amounts.forEach(
                                (currency, amount) -> {
                                    if (amount.signum() != 0) {
                                        into.computeIfAbsent(
                                                        account.apply(party), a -> new TreeMap<>())
                                                .put(currency, negate ? amount.negate() : amount);
                                    }
                                }));
    }

    /**
     * November, with October's late usage recouping October's top-ups (so makers' nets can be
     * negative).
     */
    private static List<StatementLine> settleNovember(World world) {
        List<StatementLine> october =
                SettlementEngine.settle(
                        OCTOBER,
                        world.octoberSettled(),
                        List.of(),
                        world.agreements(),
                        world.models());
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        world.octoberSettled(),
                        world.octoberLate(),
                        SettlementEngine.topUpsOutstanding(OCTOBER, october));
        return SettlementEngine.settle(
                NOVEMBER, world.november(), List.of(late), world.agreements(), world.models());
    }

    private static BigDecimal sum(
            List<JournalLine> lines, Function<JournalLine, BigDecimal> amount) {
        return lines.stream().map(amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
