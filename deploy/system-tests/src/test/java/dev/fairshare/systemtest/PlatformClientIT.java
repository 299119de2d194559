package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.fairshare.client.registry.api.AgreementsApi;
import dev.fairshare.client.registry.api.AuthApi;
import dev.fairshare.client.registry.api.MakersApi;
import dev.fairshare.client.registry.api.ModelsApi;
import dev.fairshare.client.registry.api.PlatformsApi;
import dev.fairshare.client.registry.model.AccountRequest;
import dev.fairshare.client.registry.model.AgreementRequest;
import dev.fairshare.client.registry.model.AliasRequest;
import dev.fairshare.client.registry.model.KafkaCredentials;
import dev.fairshare.client.registry.model.License;
import dev.fairshare.client.registry.model.MakerRequest;
import dev.fairshare.client.registry.model.ModelRequest;
import dev.fairshare.client.registry.model.PlatformRequest;
import dev.fairshare.client.registry.model.Terms;
import dev.fairshare.client.registry.model.TokenRequest;
import dev.fairshare.client.settlement.api.SettlementApi;
import dev.fairshare.client.settlement.model.CloseSummary;
import dev.fairshare.client.settlement.model.MakerAmount;
import dev.fairshare.client.usage.api.IngestionApi;
import dev.fairshare.client.usage.api.UsageApi;
import dev.fairshare.client.usage.model.EventError;
import dev.fairshare.client.usage.model.IngestResult;
import dev.fairshare.client.usage.model.Rejected;
import dev.fairshare.client.usage.model.Revenue;
import dev.fairshare.client.usage.model.SummaryItem;
import dev.fairshare.client.usage.model.UsageEvent;
import dev.fairshare.localstack.Infrastructure;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A platform's and a maker's day through the Java clients generated from docs/openapi, and nothing
 * else: the admin onboards, the platform exchanges its API key for a token, reports a batch with
 * one invalid event and reads its summary; finance closes the month; the maker reads its payout. It
 * shares its stack with IntegrationGuideIT ({@link PlatformStack}).
 */
@ExtendWith(PlatformStack.class)
@Order(2)
class PlatformClientIT {
    static SystemStack stack;

    @BeforeAll
    static void start(SystemStack shared) {
        stack = shared;
    }

    static Consumer<HttpRequest.Builder> bearer(String token) {
        return r -> r.header("Authorization", "Bearer " + token);
    }

    static dev.fairshare.client.registry.ApiClient registry(String token) {
        var client = new dev.fairshare.client.registry.ApiClient();
        client.updateBaseUri(stack.registry.url());
        if (token != null) {
            client.setRequestInterceptor(bearer(token));
        }
        return client;
    }

    static dev.fairshare.client.usage.ApiClient usage(String token) {
        var client = new dev.fairshare.client.usage.ApiClient();
        client.updateBaseUri(stack.usage.url());
        client.setRequestInterceptor(bearer(token));
        return client;
    }

    static dev.fairshare.client.settlement.ApiClient settlement(String token) {
        var client = new dev.fairshare.client.settlement.ApiClient();
        client.updateBaseUri(stack.settlement.url());
        client.setRequestInterceptor(bearer(token));
        return client;
    }

    static String token(TokenRequest credentials) throws Exception {
        return new AuthApi(registry(null)).issueToken(credentials).getAccessToken();
    }

    static String login(String username, String password) throws Exception {
        return token(new TokenRequest().username(username).password(password));
    }

    static UsageEvent event(String id, Instant at, String amount, String currency) {
        return new UsageEvent()
                .eventId(id)
                .modelRef("coqui/XTTS-v2")
                .occurredAt(at.atOffset(ZoneOffset.UTC))
                .customerType(UsageEvent.CustomerTypeEnum.COMMERCIAL)
                .units(Map.of("requests", BigDecimal.ONE))
                .revenue(new Revenue().amount(amount).currency(currency));
    }

    @Test
    void aPlatformsAndAMakersDay() throws Exception {
        Instant at = Instant.now().minusSeconds(60);
        String period = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();

        // the initial admin from configuration onboards a maker, a platform, a model and terms
        var asAdmin = registry(login("admin", Infrastructure.ADMIN_PASSWORD));
        new MakersApi(asAdmin).createMaker(new MakerRequest().id("coqui").name("Coqui"));
        KafkaCredentials kafka =
                new PlatformsApi(asAdmin)
                        .createPlatform(new PlatformRequest().id("acme-cloud").name("Acme Cloud"))
                        .getKafka();
        assertThat(kafka.getUsername()).isNotBlank();
        assertThat(kafka.getTopic()).isEqualTo("usage.in.acme-cloud");
        new ModelsApi(asAdmin)
                .createModel(
                        new ModelRequest()
                                .id("xtts-v2")
                                .makerId("coqui")
                                .name("XTTS v2")
                                .license(new License().id("CPML").commercialUse(true)));
        new ModelsApi(asAdmin).addAlias("xtts-v2", new AliasRequest().ref("coqui/XTTS-v2"));
        new AgreementsApi(asAdmin)
                .createAgreement(
                        new AgreementRequest()
                                .id("acme-coqui")
                                .makerId("coqui")
                                .platformId("acme-cloud")
                                .currency("USD")
                                // periods close in order from the first month of terms
                                .validFrom(period + "-01T00:00:00Z")
                                .terms(new Terms().type("REVENUE_SHARE").rate("0.20")));
        String apiKey = new PlatformsApi(asAdmin).createApiKey("acme-cloud").getApiKey();
        var accounts = new AuthApi(asAdmin);
        accounts.createAccount(
                new AccountRequest().username("fin").password("finance-password").role("FINANCE"));
        accounts.createAccount(
                new AccountRequest()
                        .username("coqui")
                        .password("coqui-password")
                        .role("MAKER")
                        .makerId("coqui"));

        // the platform: a token for its API key, a batch whose second event has no real currency
        var platform = usage(token(new TokenRequest().apiKey(apiKey)));
        List<UsageEvent> batch =
                List.of(event("e-1", at, "10.00", "USD"), event("e-2", at, "1.00", "XYZ"));
        // the usage service knows the platform once the registry has published it
        IngestResult result =
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(
                                () -> new IngestionApi(platform).postUsageEvents(batch),
                                r -> r.getAccepted() == 1);
        assertThat(result.getDuplicates()).isZero();
        assertThat(result.getRejected()).hasSize(1);
        Rejected rejected = result.getRejected().get(0);
        assertThat(rejected.getIndex()).isEqualTo(1);
        assertThat(rejected.getEventId()).isEqualTo("e-2");
        assertThat(rejected.getErrors())
                .extracting(EventError::getCode, EventError::getField)
                .containsExactly(tuple("BAD_CURRENCY", "revenue.currency"));

        // the roll-up counts an event once it is stored, moments after the answer
        List<SummaryItem> summary =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        new UsageApi(platform)
                                                .getUsageSummary(
                                                        null, "month", null, "acme-cloud", null)
                                                .get("items"),
                                items -> !items.isEmpty());
        assertThat(summary).hasSize(1);
        assertThat(summary.get(0).getPeriod()).isEqualTo(period);
        assertThat(summary.get(0).getEvents()).isEqualTo(1L);
        assertThat(summary.get(0).getRevenue()).hasSize(1);
        assertThat(summary.get(0).getRevenue().get(0).getCurrency()).isEqualTo("USD");
        assertThat(new BigDecimal(summary.get(0).getRevenue().get(0).getAmount()))
                .isEqualByComparingTo("10.00");

        // finance: the estimate holds the event (20% of 10.00 = 2.00), then the month closes
        var finance = new SettlementApi(settlement(login("fin", "finance-password")));
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(finance.getPayouts(period, null, null, null).getItems())
                                        .extracting(a -> new BigDecimal(a.getAmount()))
                                        .usingElementComparator(BigDecimal::compareTo)
                                        .containsExactly(new BigDecimal("2.00")));
        CloseSummary closed = finance.closePeriod(period, true);
        assertThat(closed.getPeriod()).isEqualTo(period);
        assertThat(closed.getStatus()).isEqualTo("CLOSED");
        assertThat(closed.getPayouts()).hasSize(1);
        assertThat(new BigDecimal(closed.getPayouts().get(0).getAmount()))
                .isEqualByComparingTo("2.00");

        // the maker reads its payout of the closed month
        var maker = new SettlementApi(settlement(login("coqui", "coqui-password")));
        var payouts = maker.getPayouts(period, null, null, null);
        assertThat(payouts.getStatus()).isEqualTo("CLOSED");
        assertThat(payouts.getItems()).hasSize(1);
        MakerAmount payout = payouts.getItems().get(0);
        assertThat(payout.getMakerId()).isEqualTo("coqui");
        assertThat(payout.getCurrency()).isEqualTo("USD");
        assertThat(new BigDecimal(payout.getAmount())).isEqualByComparingTo("2.00");
    }
}
