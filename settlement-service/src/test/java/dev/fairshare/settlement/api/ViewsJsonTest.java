package dev.fairshare.settlement.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.config.JacksonConfig;
import dev.fairshare.settlement.domain.DeclaredPool;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PayoutProfile;
import dev.fairshare.settlement.domain.ProfileChange;
import dev.fairshare.settlement.domain.ReplacedPool;
import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolMethod;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.service.PayoutService;
import dev.fairshare.settlement.service.PoolService;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact JSON text of the views that compose a shared record ({@code @JsonUnwrapped}): the
 * shared properties stand where the view declares the record, money is a string, and a null is left
 * out where the view says so.
 */
class ViewsJsonTest {
    final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();

    ViewsJsonTest() {
        new JacksonConfig().customize(mapper);
    }

    private String json(Object view) throws Exception {
        return mapper.writeValueAsString(view);
    }

    @Test
    void aPayoutLineWritesItsPayeeBetweenCurrencyAndPayeeChanged() throws Exception {
        PayoutLine bank =
                new PayoutLine(
                        7,
                        3,
                        "maker-a",
                        new BigDecimal("12.5"),
                        "EUR",
                        "Ada",
                        "DE89370400440532013000",
                        "COBADEFFXXX",
                        null,
                        true,
                        "PENDING",
                        null,
                        null,
                        null);
        PayoutLine provider =
                new PayoutLine(
                        8,
                        3,
                        "maker-b",
                        new BigDecimal("3"),
                        "JPY",
                        "Bo",
                        null,
                        null,
                        "acct-9",
                        false,
                        "PAID",
                        "ref-1",
                        "fin",
                        Instant.parse("2026-12-01T10:00:00Z"));

        assertThat(json(PayoutViews.line(bank, List.of())))
                .isEqualTo(
                        "{\"id\":7,\"makerId\":\"maker-a\",\"amount\":\"12.50\",\"currency\":\"EUR\","
                                + "\"payeeName\":\"Ada\",\"iban\":\"DE89370400440532013000\","
                                + "\"bic\":\"COBADEFFXXX\",\"payeeChanged\":true,"
                                + "\"status\":\"PENDING\",\"parts\":[]}");
        assertThat(json(PayoutViews.line(provider, List.of())))
                .isEqualTo(
                        "{\"id\":8,\"makerId\":\"maker-b\",\"amount\":\"3\",\"currency\":\"JPY\","
                                + "\"payeeName\":\"Bo\",\"providerAccount\":\"acct-9\","
                                + "\"payeeChanged\":false,\"status\":\"PAID\",\"reference\":\"ref-1\","
                                + "\"settledBy\":\"fin\",\"settledAt\":\"2026-12-01T10:00:00Z\","
                                + "\"parts\":[]}");
    }

    @Test
    void aProfileWritesItsPayeeBetweenThresholdAndUpdatedAt() throws Exception {
        PayoutProfile profile =
                new PayoutProfile(
                        "maker-a",
                        "EUR",
                        new BigDecimal("50"),
                        "Ada",
                        "DE89370400440532013000",
                        null,
                        null,
                        Instant.parse("2026-11-30T08:00:00Z"),
                        "maker-a");
        ProfileChange change =
                new ProfileChange(
                        Instant.parse("2026-11-30T08:00:00Z"), "maker-a", null, "DE89…3000");

        assertThat(
                        json(
                                PayoutViews.profile(
                                        new PayoutService.ProfileWithHistory(
                                                profile, List.of(change)))))
                .isEqualTo(
                        "{\"makerId\":\"maker-a\",\"currency\":\"EUR\",\"threshold\":\"50.00\","
                                + "\"payeeName\":\"Ada\",\"iban\":\"DE89370400440532013000\","
                                + "\"updatedAt\":\"2026-11-30T08:00:00Z\",\"updatedBy\":\"maker-a\","
                                + "\"changes\":[{\"changedAt\":\"2026-11-30T08:00:00Z\","
                                + "\"changedBy\":\"maker-a\",\"after\":\"DE89…3000\"}]}");
    }

    @Test
    void aPoolAndItsReplacedDeclarationWriteTheDeclarationInPlace() throws Exception {
        YearMonth period = YearMonth.of(2026, 11);
        Pool current =
                new Pool(
                        "plat-1",
                        period,
                        "EUR",
                        new BigDecimal("1000.00"),
                        new BigDecimal("0.50"),
                        "tokens",
                        PoolMethod.USER_CENTRIC,
                        Map.of("sub-1", new BigDecimal("9.90")));
        Pool earlier =
                new Pool(
                        "plat-1",
                        period,
                        "EUR",
                        new BigDecimal("800"),
                        new BigDecimal("0.4"),
                        "tokens",
                        PoolMethod.PRO_RATA,
                        Map.of());
        PoolService.Report report =
                new PoolService.Report(
                        new DeclaredPool(current, "plat-1", Instant.parse("2026-12-02T09:00:00Z")),
                        "OPEN",
                        List.of(
                                new ReplacedPool(
                                        new DeclaredPool(
                                                earlier,
                                                "plat-1",
                                                Instant.parse("2026-12-01T09:00:00Z")),
                                        "plat-1",
                                        Instant.parse("2026-12-02T09:00:00Z"))),
                        new PoolService.Split(
                                new BigDecimal("500.00"),
                                new BigDecimal("500.00"),
                                new BigDecimal("0.00"),
                                new BigDecimal("0.00"),
                                List.of()));

        assertThat(json(PoolViews.view(report)))
                .isEqualTo(
                        "{\"platformId\":\"plat-1\",\"period\":\"2026-11\",\"status\":\"OPEN\","
                                + "\"currency\":\"EUR\",\"revenue\":\"1000\",\"makerShare\":\"0.5\","
                                + "\"metric\":\"tokens\",\"method\":\"USER_CENTRIC\","
                                + "\"fees\":[{\"subscriberId\":\"sub-1\",\"amount\":\"9.9\"}],"
                                + "\"declaredBy\":\"plat-1\",\"declaredAt\":\"2026-12-02T09:00:00Z\","
                                + "\"split\":{\"toMakers\":\"500.00\",\"paid\":\"500.00\","
                                + "\"unpaid\":\"0.00\",\"undistributed\":\"0.00\",\"models\":[]},"
                                + "\"history\":[{\"currency\":\"EUR\",\"revenue\":\"800\","
                                + "\"makerShare\":\"0.4\",\"metric\":\"tokens\","
                                + "\"method\":\"PRO_RATA\",\"fees\":[],\"declaredBy\":\"plat-1\","
                                + "\"declaredAt\":\"2026-12-01T09:00:00Z\",\"replacedBy\":\"plat-1\","
                                + "\"replacedAt\":\"2026-12-02T09:00:00Z\"}]}");
    }

    @Test
    void unratedUsageWritesWhoseUsageFirst() throws Exception {
        UncoveredUsage usage =
                new UncoveredUsage(
                        "plat-1",
                        "model-1",
                        "maker-a",
                        CustomerType.COMMERCIAL,
                        "EUR",
                        4,
                        new BigDecimal("2.50"),
                        Map.of("tokens", new BigDecimal("100")),
                        true,
                        LocalDate.of(2026, 11, 2),
                        LocalDate.of(2026, 11, 9),
                        null);
        CurrencyMismatch mismatch =
                new CurrencyMismatch(
                        "plat-1",
                        "model-1",
                        "maker-a",
                        "agr-1",
                        "USD",
                        "EUR",
                        5,
                        new BigDecimal("7.10"));

        assertThat(json(UnratedUsageResource.view("2026-11", usage, false)))
                .isEqualTo(
                        "{\"period\":\"2026-11\",\"platformId\":\"plat-1\",\"modelId\":\"model-1\","
                                + "\"makerId\":\"maker-a\",\"customerType\":\"COMMERCIAL\","
                                + "\"events\":4,\"revenue\":\"2.5\",\"currency\":\"EUR\","
                                + "\"units\":{\"tokens\":\"100\"},\"firstSeen\":\"2026-11-02\","
                                + "\"lastSeen\":\"2026-11-09\",\"licensedLater\":false}");
        assertThat(json(UnratedUsageResource.view("2026-11", mismatch)))
                .isEqualTo(
                        "{\"period\":\"2026-11\",\"platformId\":\"plat-1\",\"modelId\":\"model-1\","
                                + "\"makerId\":\"maker-a\",\"agreementId\":\"agr-1\","
                                + "\"agreementCurrency\":\"USD\",\"currency\":\"EUR\","
                                + "\"revenue\":\"7.1\",\"events\":5}");
    }
}
