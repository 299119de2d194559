package dev.fairshare.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.usage.domain.AliasIndex;
import dev.fairshare.usage.domain.Attribution;
import dev.fairshare.usage.domain.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AttributionPropertiesTest {
    static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

    static AliasIndex index(int models) {
        AliasIndex index = new AliasIndex();
        for (int i = 0; i < models; i++) {
            index.putModel("m" + i, List.of(new AliasIndex.Alias("ref" + i, null, Instant.EPOCH)));
        }
        return index;
    }

    @Property
    void pipelinePartsSumExactlyToTheWhole(
            @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long revenueMicros,
            @ForAll @LongRange(min = 0, max = 10_000_000L) long tokens,
            @ForAll("seeds") long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<UsageEvent.Component> cs = new ArrayList<>();
        BigDecimal left = BigDecimal.ONE;
        for (int i = 0; i < n - 1; i++) {
            BigDecimal w =
                    left.multiply(new BigDecimal(r.nextInt(999) + 1))
                            .divide(new BigDecimal(1000))
                            .stripTrailingZeros();
            if (w.signum() == 0) {
                w = new BigDecimal("0.000001");
            }
            cs.add(new UsageEvent.Component("ref" + i, w));
            left = left.subtract(w);
        }
        cs.add(new UsageEvent.Component("ref" + (n - 1), left));
        BigDecimal revenue = BigDecimal.valueOf(revenueMicros, 6);
        BigDecimal gpu = new BigDecimal("0.4213");
        UsageEvent e =
                new UsageEvent(
                        "e",
                        "p",
                        "ref0",
                        AT,
                        "COMMERCIAL",
                        Map.of("output_tokens", BigDecimal.valueOf(tokens), "gpu_seconds", gpu),
                        revenue,
                        "USD",
                        cs,
                        null);
        List<Attribution.Part> parts = Attribution.attribute(e, index(n)).orElseThrow();
        assertThat(parts).hasSize(n);
        assertThat(
                        parts.stream()
                                .map(Attribution.Part::revenue)
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(revenue);
        assertThat(
                        parts.stream()
                                .map(p -> p.units().get("output_tokens"))
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(BigDecimal.valueOf(tokens));
        assertThat(
                        parts.stream()
                                .map(p -> p.units().get("gpu_seconds"))
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(gpu);
        assertThat(parts)
                .allSatisfy(p -> assertThat(p.revenue().signum()).isGreaterThanOrEqualTo(0));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void aPipelineSplitsByWeight() {
        UsageEvent e =
                new UsageEvent(
                        "e",
                        "p",
                        "ref1",
                        AT,
                        "COMMERCIAL",
                        Map.of("output_tokens", new BigDecimal("800")),
                        new BigDecimal("0.0123"),
                        "USD",
                        List.of(
                                new UsageEvent.Component("ref0", new BigDecimal("0.3")),
                                new UsageEvent.Component("ref1", new BigDecimal("0.7"))),
                        null);
        List<Attribution.Part> parts = Attribution.attribute(e, index(2)).orElseThrow();
        assertThat(parts.get(0).modelId()).isEqualTo("m0");
        assertThat(parts.get(0).revenue()).isEqualByComparingTo(new BigDecimal("0.00369"));
        assertThat(parts.get(1).revenue()).isEqualByComparingTo(new BigDecimal("0.00861"));
        assertThat(parts.get(0).units().get("output_tokens"))
                .isEqualByComparingTo(new BigDecimal("240"));
        assertThat(parts.get(1).units().get("output_tokens"))
                .isEqualByComparingTo(new BigDecimal("560"));
    }

    @Test
    void resolutionPrefersPlatformAliasThenGlobalThenModelIdAndHonoursValidFrom() {
        AliasIndex index = new AliasIndex();
        index.putModel(
                "v1",
                List.of(
                        new AliasIndex.Alias(
                                "voice", "acme", Instant.parse("2026-01-01T00:00:00Z"))));
        index.putModel(
                "v2",
                List.of(
                        new AliasIndex.Alias(
                                "voice", "acme", Instant.parse("2026-06-01T00:00:00Z"))));
        index.putModel("g", List.of(new AliasIndex.Alias("voice", null, Instant.EPOCH)));
        assertThat(index.resolve("acme", "voice", Instant.parse("2026-03-01T00:00:00Z")))
                .contains("v1");
        assertThat(index.resolve("acme", "voice", Instant.parse("2026-06-01T00:00:00Z")))
                .contains("v2");
        assertThat(index.resolve("acme", "voice", Instant.parse("2025-12-31T23:59:59Z")))
                .contains("g");
        assertThat(index.resolve("other", "voice", AT)).contains("g");
        assertThat(index.resolve("other", "v1", AT)).contains("v1");
        assertThat(index.resolve("other", "nothing", AT)).isEmpty();
        // an event whose component does not resolve stays whole and unattributed
        UsageEvent e =
                new UsageEvent(
                        "e",
                        "acme",
                        "voice",
                        AT,
                        "COMMERCIAL",
                        Map.of(),
                        BigDecimal.ONE,
                        "USD",
                        List.of(
                                new UsageEvent.Component("voice", new BigDecimal("0.5")),
                                new UsageEvent.Component("ghost", new BigDecimal("0.5"))),
                        null);
        assertThat(Attribution.attribute(e, index)).isEmpty();
    }
}
