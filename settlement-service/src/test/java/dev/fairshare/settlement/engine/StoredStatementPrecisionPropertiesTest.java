package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.Database;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.settlement.store.StatementStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.flywaydb.core.Flyway;

/**
 * A period's estimate (the engine's statement while the period is OPEN) and the statement its close
 * stores (as read back from PostgreSQL once CLOSED) are the same, digit for digit: every exact
 * amount and basis with all of its digits, and every rounded amount at its currency's scale. The
 * database is a real PostgreSQL with the service's own migrations, in a database of this test's
 * own; the writes and reads are the service's ({@link StatementStore}).
 */
class StoredStatementPrecisionPropertiesTest {

    private static String url;
    private static Database database;
    private static final java.util.concurrent.ExecutorService EXECUTOR =
            Executors.newFixedThreadPool(2);

    /** Each try stores its statement under a period of its own (periods are never deleted). */
    private static final AtomicInteger TRIES = new AtomicInteger();

    @BeforeContainer
    static void database() throws SQLException {
        database = FairshareTestResource.infrastructure().database();
        url = database.createScratch("precision");
        Flyway.configure()
                .dataSource(url, database.user(), database.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @AfterContainer
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    /**
     * The random worlds of the engine's properties, with their revenues as fine as a roll-up holds
     * them (18 decimal places) in two of three tries: a revenue share of such a revenue, and each
     * hop of its cascade, has more than 18 places.
     */
    @Provide
    static Arbitrary<Worlds.World> worlds() {
        return Worlds.worlds().flatMap(w -> Arbitraries.of(1, 3, 7).map(d -> finer(w, d)));
    }

    private static Worlds.World finer(Worlds.World w, int divisor) {
        return new Worlds.World(
                w.models(),
                w.agreements(),
                finer(w.november(), divisor),
                finer(w.octoberSettled(), divisor),
                finer(w.octoberLate(), divisor));
    }

    /** Each row's revenue divided by {@code divisor} at scale 18 (1: the rows as they are). */
    private static List<UsageRow> finer(List<UsageRow> rows, int divisor) {
        if (divisor == 1) {
            return rows;
        }
        return rows.stream()
                .map(
                        r ->
                                new UsageRow(
                                        r.platformId(),
                                        r.modelId(),
                                        r.day(),
                                        r.customerType(),
                                        r.currency(),
                                        r.events(),
                                        r.revenue()
                                                .divide(
                                                        BigDecimal.valueOf(divisor),
                                                        18,
                                                        RoundingMode.HALF_EVEN),
                                        r.units()))
                .toList();
    }

    @Property(tries = 200)
    void theStoredStatementIsTheEstimateDigitForDigit(@ForAll("worlds") Worlds.World w)
            throws SQLException {
        List<StatementLine> estimate =
                SettlementEngine.settle(
                        NOVEMBER,
                        w.november(),
                        List.of(new LateUsage(OCTOBER, w.octoberSettled(), w.octoberLate())),
                        w.agreements(),
                        w.models());
        YearMonth period = nextPeriod();
        List<StatementLine> stored = storeAndReadBack(period, estimate);
        // the same values (no digit lost) ...
        assertThat(stored).hasSameSizeAs(estimate);
        for (int i = 0; i < estimate.size(); i++) {
            assertThat(stored.get(i).exactAmount())
                    .isEqualByComparingTo(estimate.get(i).exactAmount());
            assertThat(stored.get(i).basis()).isEqualByComparingTo(estimate.get(i).basis());
        }
        // ... written the same way, digit for digit
        assertThat(stored.stream().map(l -> digits(l, period)).toList())
                .containsExactlyElementsOf(estimate.stream().map(l -> digits(l, period)).toList());
        // worlds whose exact values need more than 18 decimal places must come up (about one in
        // ten does)
        boolean beyond18 =
                estimate.stream()
                        .anyMatch(
                                l ->
                                        l.exactAmount().stripTrailingZeros().scale() > 18
                                                || l.basis().stripTrailingZeros().scale() > 18);
        Statistics.label("exact values beyond 18 places").collect(beyond18);
        Statistics.label("exact values beyond 18 places")
                .coverage(c -> c.check(true).count(times -> times >= 5));
    }

    /**
     * Ids in any characters, those COPY escapes (backslash, tab, newline, carriage return) and
     * those a text[] literal quotes (double quote, backslash, comma, braces, spaces) among them.
     */
    @Provide
    static Arbitrary<String> ids() {
        return Arbitraries.strings()
                .withChars("ab-_.\\\t\n\r\"{},  é")
                .ofMinLength(1)
                .ofMaxLength(12);
    }

    @Property(tries = 100)
    void linesWithAnyIdsAndRoutesComeBackAsStored(
            @ForAll("ids") String maker,
            @ForAll("ids") String model,
            @ForAll("ids") String parent,
            @ForAll("ids") String agreement)
            throws SQLException {
        YearMonth period = nextPeriod();
        BigDecimal exact = new BigDecimal("1.234567890123456789012345");
        List<StatementLine> lines =
                List.of(
                        new StatementLine(
                                period,
                                maker,
                                "p",
                                model,
                                agreement,
                                LineKind.ROYALTY,
                                model,
                                CustomerType.COMMERCIAL,
                                BigDecimal.TEN,
                                exact,
                                new BigDecimal("1.23"),
                                "USD",
                                null,
                                List.of(model)),
                        new StatementLine(
                                period,
                                parent,
                                "p",
                                parent,
                                agreement,
                                LineKind.UPSTREAM_ROYALTY,
                                model,
                                CustomerType.COMMERCIAL,
                                BigDecimal.TEN,
                                exact,
                                new BigDecimal("1.23"),
                                "USD",
                                null,
                                List.of(model, parent)),
                        new StatementLine(
                                period,
                                maker,
                                "p",
                                null,
                                agreement,
                                LineKind.MINIMUM_GUARANTEE_TOPUP,
                                null,
                                null,
                                BigDecimal.ZERO,
                                exact,
                                new BigDecimal("1.23"),
                                "USD",
                                null,
                                List.of()));
        assertThat(storeAndReadBack(period, lines)).containsExactlyElementsOf(lines);
    }

    /** A period of its own for each try (periods are never deleted). */
    private static YearMonth nextPeriod() {
        int n = TRIES.incrementAndGet();
        return YearMonth.of(1000 + n / 12, n % 12 + 1);
    }

    /**
     * Stores {@code lines} as {@code period}'s statement and reads them back, as the service does.
     */
    private static List<StatementLine> storeAndReadBack(YearMonth period, List<StatementLine> lines)
            throws SQLException {
        StatementStore store = new StatementStore();
        try (Connection c =
                DriverManager.getConnection(url, database.user(), database.password())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("insert into period (period, status) values (?, 'OPEN')")) {
                ps.setString(1, period.toString());
                ps.executeUpdate();
            }
            store.insertLines(c, period, lines, EXECUTOR);
            c.commit();
            List<StatementLine> stored = store.lines(c, period);
            c.commit();
            return stored;
        }
    }

    /**
     * A line as text, its numbers as all of their digits (plain: 1.50 is not 1.5), under the period
     * it is stored as.
     */
    private static String digits(StatementLine l, YearMonth period) {
        return String.join(
                "|",
                period.toString(),
                l.makerId(),
                l.platformId(),
                String.valueOf(l.modelId()),
                l.agreementId(),
                l.kind().name(),
                String.valueOf(l.sourceModelId()),
                String.valueOf(l.customerType()),
                l.basis().toPlainString(),
                l.exactAmount().toPlainString(),
                l.amount().toPlainString(),
                l.currency(),
                String.valueOf(l.adjustsPeriod()));
    }
}
