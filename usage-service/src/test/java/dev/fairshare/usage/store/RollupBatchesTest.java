package dev.fairshare.usage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A batch's roll-up sums, as the writers store them and the folder reads them back. */
class RollupBatchesTest {

    record Sum(RollupKey key, long events, BigDecimal revenue, Map<String, BigDecimal> units) {}

    /**
     * The text of a {@code usage_rollup_batch} row's deltas as PostgreSQL reads it from COPY, in
     * UTF-8 as it sends it back.
     */
    static byte[] stored(List<Sum> sums) {
        CopyRows rows = new CopyRows().json('[');
        for (int i = 0; i < sums.size(); i++) {
            if (i > 0) {
                rows.json(',');
            }
            Sum s = sums.get(i);
            RollupDelta d = new RollupDelta();
            d.addSums(s.events(), s.revenue(), s.units());
            EventStore.rollupJson(rows, s.key(), d);
        }
        return CopyRowsTest.unescape(rows.json(']').toString())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void theFolderReadsBackExactlyTheSumsOfEveryKey(@ForAll("batches") List<Sum> sums)
            throws IOException {
        Map<RollupKey, RollupDelta> read = new HashMap<>();
        RollupBatches.addAll(stored(sums), read);
        // the same keys added up independently
        Map<RollupKey, RollupDelta> expected = new HashMap<>();
        for (Sum s : sums) {
            expected.computeIfAbsent(s.key(), k -> new RollupDelta())
                    .addSums(s.events(), s.revenue(), s.units());
        }
        assertThat(read.keySet()).isEqualTo(expected.keySet());
        expected.forEach(
                (k, e) -> {
                    RollupDelta r = read.get(k);
                    assertThat(r.events()).isEqualTo(e.events());
                    assertThat(r.revenue()).isEqualByComparingTo(e.revenue());
                    assertThat(r.units().keySet()).isEqualTo(e.units().keySet());
                    e.units()
                            .forEach(
                                    (u, q) -> assertThat(r.units().get(u)).isEqualByComparingTo(q));
                });
    }

    @Test
    void twoBatchesOfTheSameKeyAddUp() throws IOException {
        RollupKey k = new RollupKey("p\t1", "m\"1", LocalDate.of(2026, 11, 3), "COMMERCIAL", "USD");
        Map<RollupKey, RollupDelta> read = new HashMap<>();
        RollupBatches.addAll(
                stored(
                        List.of(
                                new Sum(
                                        k,
                                        2,
                                        new BigDecimal("0.10"),
                                        Map.of("requests", BigDecimal.ONE)))),
                read);
        RollupBatches.addAll(
                stored(
                        List.of(
                                new Sum(
                                        k,
                                        3,
                                        new BigDecimal("1.005"),
                                        Map.of("frames", new BigDecimal("7.5"))))),
                read);
        RollupDelta d = read.get(k);
        assertThat(d.events()).isEqualTo(5);
        assertThat(d.revenue()).isEqualByComparingTo("1.105");
        assertThat(d.units()).containsOnlyKeys("requests", "frames");
        assertThat(d.units().get("frames")).isEqualByComparingTo("7.5");
    }

    @Property(tries = 300)
    void daysReadAsTheFormatterReadsThem(@ForAll("days") LocalDate day) {
        assertThat(RollupBatches.day(day.toString())).isEqualTo(day);
    }

    @Provide
    Arbitrary<LocalDate> days() {
        // plain four-digit years and the forms with a sign or more digits
        return Arbitraries.longs()
                .between(
                        LocalDate.of(-20_000, 1, 1).toEpochDay(),
                        LocalDate.of(20_000, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    @Test
    void unreadableSumsAreRefusedNotSkipped() {
        assertThatThrownBy(
                        () ->
                                RollupBatches.addAll(
                                        utf8("[{\"p\":\"x\",\"n\":1}]"), new HashMap<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("incomplete");
        assertThatThrownBy(() -> RollupBatches.addAll(utf8("[{\"q\":1}]"), new HashMap<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown roll-up field q");
    }

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<List<Sum>> batches() {
        // few distinct keys, so that keys repeat within a batch; awkward ids and unit names
        Arbitrary<String> ids =
                Arbitraries.of("p-1", "p\\2", "m\t3", "m\"4", "μ-5", "org/m\n6", "x");
        Arbitrary<RollupKey> keys =
                Combinators.combine(
                                ids,
                                ids,
                                Arbitraries.integers().between(0, 3),
                                Arbitraries.of("COMMERCIAL", "NON_COMMERCIAL"),
                                Arbitraries.of("USD", "EUR"),
                                // pooled usage: a subscriber, or none (null) for per-event usage
                                Arbitraries.of("s1", "9f86d081", "s\"2").injectNull(0.5))
                        .as(
                                (p, m, day, c, k, s) ->
                                        new RollupKey(
                                                p,
                                                m,
                                                LocalDate.of(2026, 11, 1).plusDays(day),
                                                c,
                                                k,
                                                s));
        Arbitrary<BigDecimal> amounts =
                Combinators.combine(
                                Arbitraries.longs()
                                        .between(-1_000_000_000_000L, 1_000_000_000_000L),
                                Arbitraries.integers().between(0, 18))
                        .as(BigDecimal::valueOf);
        Arbitrary<Map<String, BigDecimal>> units =
                Arbitraries.maps(
                                Arbitraries.of(
                                        "requests",
                                        "input_tokens",
                                        "gpu_seconds",
                                        "frames",
                                        "cl\"é\\s"),
                                amounts)
                        .ofMaxSize(4);
        Arbitrary<Sum> sums =
                Combinators.combine(keys, Arbitraries.longs().between(1, 1_000_000), amounts, units)
                        .as(Sum::new);
        return sums.list().ofMaxSize(40).map(ArrayList::new);
    }
}
