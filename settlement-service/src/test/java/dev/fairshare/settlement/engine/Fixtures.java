package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small builders that keep the worked examples readable. */
final class Fixtures {

    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    private Fixtures() {}

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    static LocalDate nov(int day) {
        return NOVEMBER.atDay(day);
    }

    /** unitSize 1000, first 1,000,000 tokens at 0.05 per 1000, the rest at 0.03 per 1000. */
    static PerUnit tokenTiers() {
        return new PerUnit(
                "tokens",
                d("1000"),
                List.of(new Tier(d("1000000"), d("0.05")), new Tier(null, d("0.03"))));
    }

    static Agreement agreement(String id, String makerId, String modelId, Terms terms) {
        return new Agreement(
                id, makerId, "acme", modelId, "USD", LocalDate.of(2026, 1, 1), null, terms, null);
    }

    static ModelInfo model(String id, String makerId, Parent... parents) {
        return new ModelInfo(id, makerId, true, List.of(parents));
    }

    static Map<String, ModelInfo> models(ModelInfo... models) {
        return Arrays.stream(models).collect(Collectors.toMap(ModelInfo::id, Function.identity()));
    }

    static UsageRow revenue(
            String modelId,
            LocalDate day,
            CustomerType customerType,
            String currency,
            String amount) {
        return new UsageRow("acme", modelId, day, customerType, currency, 1, d(amount), Map.of());
    }

    static UsageRow tokens(
            String modelId, LocalDate day, CustomerType customerType, String tokens) {
        return new UsageRow(
                "acme",
                modelId,
                day,
                customerType,
                "USD",
                1,
                BigDecimal.ZERO,
                Map.of("tokens", d(tokens)));
    }
}
