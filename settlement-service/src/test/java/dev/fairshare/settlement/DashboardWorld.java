package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.Tokens;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Mismatch;
import dev.fairshare.settlement.service.dashboard.DashboardViews.UnratedRow;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A small world for the dashboard's view models, seeded once per service (its ids are its own, and
 * its month, July 2026, is one no other test closes; nothing here closes it either).
 *
 * <p>Makers {@link #MAKER} "Ada Models" and {@link #DERIVER} "Dee Labs"; platforms {@link #FJORD}
 * "Fjord Cloud" and {@link #GALE} "Gale AI". Ada's {@link #BASE} (aliases {@code dv-base-v1}
 * everywhere, {@code dv-base-g} on Gale from 2026-07-01) and {@link #LONE} (a non-commercial
 * licence); Dee's {@link #DERIVED}, derived from {@link #BASE} with a 0.1 share. Both makers have a
 * 20% USD revenue share with Fjord from 2026-07-01, for all their models.
 *
 * <p>July: BASE on Fjord 100.00 + 50.50 USD, and 30.00 EUR; DERIVED on Fjord 200.00 USD; LONE on
 * Gale 12.00 USD (no agreement). This month: BASE on Fjord 10.00 USD. Each delta is 3 commercial
 * events. By hand, July: Ada's ROYALTY of BASE 0.2 × 150.50 = 30.10; DERIVED's royalty 0.2 × 200.00
 * = 40.00, of which Ada's UPSTREAM_ROYALTY 0.1 × 40.00 = 4.00 and Dee's ROYALTY 36.00; Ada 34.10,
 * Fjord's USD invoice 70.10; Ada's 30.00 EUR is a currency mismatch (3 events), LONE's 12.00 USD on
 * Gale is unlicensed usage with a compliance finding. This month Ada accrues 0.2 × 10.00 = 2.00.
 */
final class DashboardWorld {
    static final YearMonth JULY = YearMonth.of(2026, 7);
    static final String MAKER = "dv-ada";
    static final String DERIVER = "dv-dee";
    static final String FJORD = "dv-fjord";
    static final String GALE = "dv-gale";
    static final String BASE = "dv-base";
    static final String LONE = "dv-lone";
    static final String DERIVED = "dv-derived";
    static final long PROPOSAL = 7_700_001L;

    /** Ada's 30.00 EUR of July under her USD agreement, as both dashboards list it. */
    static final Mismatch ADA_EUR =
            new Mismatch(
                    new UnratedRow("2026-07", "Fjord Cloud", BASE, 3, "€30.00"),
                    MAKER,
                    "dv-ag-dv-ada",
                    "USD",
                    "mismatch-2026-07-dv-fjord-dv-base-EUR");

    private static boolean seeded;

    private DashboardWorld() {}

    static synchronized void seed() {
        if (seeded) {
            return;
        }
        RegistryRecords.maker(MAKER, "Ada Models");
        RegistryRecords.maker(DERIVER, "Dee Labs");
        RegistryRecords.platform(FJORD, "Fjord Cloud");
        RegistryRecords.platform(GALE, "Gale AI");
        RegistryRecords.modelWithAliases(
                BASE,
                MAKER,
                "[{\"ref\":\"dv-base-v1\",\"platformId\":null,\"validFrom\":\"1970-01-01T00:00:00Z\"},"
                        + "{\"ref\":\"dv-base-g\",\"platformId\":\""
                        + GALE
                        + "\",\"validFrom\":\"2026-07-01T00:00:00Z\"}]");
        RegistryRecords.model(LONE, MAKER, "Lone", "cc-by-nc-4.0", false, null, null);
        RegistryRecords.model(DERIVED, DERIVER, "Derived", "mit", true, BASE, "0.1");
        for (String maker : new String[] {MAKER, DERIVER}) {
            RegistryRecords.agreement(
                    "dv-ag-" + maker,
                    maker,
                    FJORD,
                    null,
                    "2026-07-01",
                    null,
                    RegistryRecords.REVENUE_SHARE_20);
        }
        RegistryRecords.proposal(
                PROPOSAL,
                MAKER,
                LONE,
                GALE,
                "dv-lone/pro",
                "PROPOSED",
                "2026-07-02T08:00:00Z",
                null);
        AuthMatrixTest.awaitRegistryReplica();
        usage(BASE, FJORD, "2026-07-03", "100.00", "USD");
        usage(BASE, FJORD, "2026-07-10", "50.50", "USD");
        usage(BASE, FJORD, "2026-07-05", "30.00", "EUR");
        usage(DERIVED, FJORD, "2026-07-04", "200.00", "USD");
        usage(LONE, GALE, "2026-07-06", "12.00", "USD");
        usage(BASE, FJORD, YearMonth.now(ZoneOffset.UTC).atDay(1).toString(), "10.00", "USD");
        // every delta is rated, the registry's names and proposal are in
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/payouts/" + JULY + "?makerId=" + MAKER)
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                "items.find { it.currency == 'USD' }.amount",
                                                org.hamcrest.Matchers.equalTo("34.10")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/accruals?makerId=" + MAKER)
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                "items.find { it.currency == 'USD' }.amount",
                                                org.hamcrest.Matchers.equalTo("2.00")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/currency-mismatches?period=" + JULY)
                                        .then()
                                        .statusCode(200)
                                        .body(org.hamcrest.Matchers.containsString(MAKER)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/unlicensed-usage?period=" + JULY)
                                        .then()
                                        .statusCode(200)
                                        .body(org.hamcrest.Matchers.containsString(LONE)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().cookie("fairshare_token", Tokens.maker(MAKER))
                                        .get("/dashboard/maker")
                                        .then()
                                        .statusCode(200)
                                        .body(org.hamcrest.Matchers.containsString("dv-lone/pro"))
                                        .body(org.hamcrest.Matchers.containsString("dv-base-g")));
        seeded = true;
    }

    private static void usage(
            String model, String platform, String day, String revenue, String currency) {
        send(
                "usage.attributed",
                model,
                delta(
                        "dv-" + model + "-" + day + "-" + currency,
                        model,
                        platform,
                        day,
                        revenue,
                        currency));
    }
}
