package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.settlement.service.dashboard.PayoutDashboard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A payout run worked by hand through the service (DESIGN.md "Payouts"). September and October
 * 2024: after MonthWithoutUsageTest's months and before RegistrySnapshotCloseTest's November
 * (periods close in order in the database the test classes share).
 *
 * <p>September, 20% revenue share: a 500.00 USD → 100.00 USD; b 166.65 EUR → 33.33 EUR (paid in USD
 * at 1 EUR = 1.085 USD: 36.16305 → 36.16); c 20.00 → 4.00 (below its 10.00 threshold); d 100.00 →
 * 20.00 (a provider account); n's model q (its parent base, upstream u's, takes 25%) under a 100.00
 * guarantee: 300.00 → n 45.00 + top-up 40.00 = 85.00, u 15.00 (no profile). October: 150.00 of
 * September's usage arrives late: u gets 7.50 more, n 22.50 less the 30.00 top-up recouped: −7.50.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class PayoutRunTest {
    static final YearMonth SEPTEMBER = YearMonth.of(2024, 9);
    static final YearMonth OCTOBER = YearMonth.of(2024, 10);
    static final String IBAN_A = "DE89370400440532013000";
    static final String IBAN_B = "GB82WEST12345698765432";
    static final String IBAN_N = "FR1420041010050500013M02606";

    static String finance2() {
        return Tokens.token("test-finance-2", "FINANCE", null, null, Duration.ofHours(1));
    }

    final String s = UUID.randomUUID().toString().substring(0, 6);
    final String a = "po-a-" + s, b = "po-b-" + s, c = "po-c-" + s, d = "po-d-" + s;
    final String n = "po-n-" + s, u = "po-u-" + s;
    final String usd = "po-usd-" + s, eur = "po-eur-" + s, gpf = "po-g-" + s;

    @Test
    void aRunPaysConvertsCarriesForwardAndPostsTheLedger() throws Exception {
        septembersUsageIsPayableAndSeptemberClosed();
        payoutProfiles();
        noRunBeforeTheDaysRateIsRecorded();
        Map<String, BigDecimal> before = balances();
        long runId = aDraftRunPaysWhatIsDueAndCarriesTheRestForward();
        oneRunPerCurrencyAndFourEyes(runId);
        thePaymentFilesPayEachPayeeOnce(runId);
        paidAndFailedLinesCompleteTheRun(runId);
        theRemittanceAdviceIsTheMakersOwn(runId);
        theDashboardShowsEachReaderItsLines(runId);
        theLedgerHoldsThePayments(before);
        octobersRunCarriesForwardAndIsCancelled();
    }

    // ---------------------------------------------------------------- the run's steps

    /** The makers' September usage, awaited on their payouts; September closed. */
    private void septembersUsageIsPayableAndSeptemberClosed() throws Exception {
        RegistryRecords.platform(usd, "USD platform");
        RegistryRecords.platform(eur, "EUR platform");
        RegistryRecords.platform(gpf, "Guarantee platform");
        for (String m : List.of(a, b, c, d, n, u)) {
            RegistryRecords.maker(m, m);
        }
        for (String m : List.of(a, b, c, d)) {
            RegistryRecords.model("md-" + m, m, "M", "mit", true, null, null);
        }
        RegistryRecords.model("md-" + u, u, "Base", "mit", true, null, null);
        RegistryRecords.model("md-" + n, n, "Q", "mit", true, "md-" + u, "0.25");
        for (String m : List.of(a, c, d)) {
            RegistryRecords.agreement(
                    "ag-" + m, m, usd, null, "2024-09-01", null, RegistryRecords.REVENUE_SHARE_20);
        }
        RegistryRecords.agreement(
                "ag-" + b,
                b,
                eur,
                null,
                "2024-09-01",
                null,
                RegistryRecords.REVENUE_SHARE_20,
                "EUR",
                null);
        RegistryRecords.agreement(
                "ag-" + n,
                n,
                gpf,
                "md-" + n,
                "2024-09-01",
                "2024-10-01",
                RegistryRecords.REVENUE_SHARE_20,
                "100.00");
        usage(a, usd, "2024-09-10", "500.00", "USD");
        usage(b, eur, "2024-09-10", "166.65", "EUR");
        usage(c, usd, "2024-09-10", "20.00", "USD");
        usage(d, usd, "2024-09-10", "100.00", "USD");
        usage(n, gpf, "2024-09-10", "300.00", "USD");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertThat(payout(SEPTEMBER, a)).isEqualTo("100.00");
                            assertThat(payout(SEPTEMBER, b)).isEqualTo("33.33");
                            assertThat(payout(SEPTEMBER, c)).isEqualTo("4.00");
                            assertThat(payout(SEPTEMBER, d)).isEqualTo("20.00");
                            assertThat(payout(SEPTEMBER, n)).isEqualTo("85.00");
                        });
        Periods.closeOpenPeriodsBefore(SEPTEMBER);
        close(SEPTEMBER);
    }

    /**
     * The payout profiles: IBAN payees a, b, c and n (n with a 50.00 threshold), a provider account
     * for d.
     */
    private void payoutProfiles() throws Exception {
        profile(
                a,
                "{\"currency\":\"USD\",\"payeeName\":\"Maker A\",\"iban\":\"DE89 3704 0044 0532 0130 00\",\"bic\":\"COBADEFFXXX\"}");
        profile(b, "{\"currency\":\"USD\",\"payeeName\":\"Maker B\",\"iban\":\"" + IBAN_B + "\"}");
        profile(c, "{\"currency\":\"USD\",\"payeeName\":\"Maker C\",\"iban\":\"" + IBAN_A + "\"}");
        profile(
                d,
                "{\"currency\":\"USD\",\"payeeName\":\"Maker D\",\"providerAccount\":\"wise:D-778899\"}");
        profile(
                n,
                "{\"currency\":\"USD\",\"threshold\":\"50.00\",\"payeeName\":\"Maker N\",\"iban\":\""
                        + IBAN_N
                        + "\"}");
    }

    /** A run needs the EUR/USD rate of its day: refused without it, then recorded. */
    private void noRunBeforeTheDaysRateIsRecorded() throws Exception {
        // no EUR/USD rate on the day yet
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body("{\"currency\":\"USD\",\"asOf\":\"2024-09-30\"}")
                .post("/payout-runs")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("FX_RATE_MISSING"))
                .body("errors[0].field", equalTo("asOf"))
                .body("errors[0].message", equalTo("EUR/USD on 2024-09-30"));
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body(
                        "{\"date\":\"2024-09-30\",\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.085\",\"source\":\"ECB reference rate\"}")
                .post("/fx-rates")
                .then()
                .statusCode(201)
                .body("rate", equalTo("1.085"));
    }

    /**
     * The draft run of September: b converted at the day's rate, c and u carried forward; answers
     * its id.
     */
    private long aDraftRunPaysWhatIsDueAndCarriesTheRestForward() throws Exception {
        JsonPath run = createRun("USD", "2024-09-30");
        long runId = run.getLong("id");
        assertThat(run.getString("status")).isEqualTo("DRAFT");
        assertThat(lineAmount(run, a)).isEqualTo("100.00");
        assertThat(lineAmount(run, b)).isEqualTo("36.16");
        assertThat(lineAmount(run, d)).isEqualTo("20.00");
        assertThat(lineAmount(run, n)).isEqualTo("85.00");
        assertThat(lineAmount(run, c)).isNull();
        assertThat(run.getString(line(b) + ".parts[0].currency")).isEqualTo("EUR");
        assertThat(run.getString(line(b) + ".parts[0].balance")).isEqualTo("33.33");
        assertThat(run.getString(line(b) + ".parts[0].rate")).isEqualTo("1.085");
        assertThat(run.getString(line(b) + ".parts[0].rateSource")).isEqualTo("ECB reference rate");
        assertThat(run.getString(line(a) + ".iban")).isEqualTo(IBAN_A);
        assertThat(run.getBoolean(line(a) + ".payeeChanged")).isFalse();
        assertThat(carried(run, c)).isEqualTo("4.00 USD BELOW_THRESHOLD");
        assertThat(carried(run, u)).isEqualTo("15.00 USD NO_PROFILE");
        return runId;
    }

    /** One unfinished run per currency, no file before the approval, approved by another user. */
    private void oneRunPerCurrencyAndFourEyes(long runId) throws Exception {
        // one unfinished run per currency
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body("{\"currency\":\"USD\",\"asOf\":\"2024-09-30\"}")
                .post("/payout-runs")
                .then()
                .statusCode(409)
                .body("code", equalTo("RUN_IN_PROGRESS"));
        // no file before the approval; four eyes
        given().auth()
                .oauth2(Tokens.finance())
                .get("/payout-runs/" + runId + "/payment-file")
                .then()
                .statusCode(409)
                .body("code", equalTo("INVALID_RUN_STATUS"));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/payout-runs/" + runId + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("SAME_USER"));
        given().auth()
                .oauth2(finance2())
                .post("/payout-runs/" + runId + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("approvedBy", equalTo("test-finance-2"));
    }

    /** Pain.001 for the IBAN payees (valid against the schema) and CSV for the provider account. */
    private void thePaymentFilesPayEachPayeeOnce(long runId) throws Exception {
        // pain.001 for the IBAN payees, valid against the schema
        String xml =
                given().auth()
                        .oauth2(Tokens.finance())
                        .accept("application/xml")
                        .get("/payout-runs/" + runId + "/payment-file")
                        .then()
                        .statusCode(200)
                        .contentType("application/xml")
                        .extract()
                        .asString();
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(getClass().getResourceAsStream("/pain.001.001.09.xsd")))
                .newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertThat(text(doc, "GrpHdr", "NbOfTxs")).isEqualTo("3");
        assertThat(new BigDecimal(text(doc, "GrpHdr", "CtrlSum"))).isEqualByComparingTo("221.16");
        NodeList txs = doc.getElementsByTagNameNS("*", "CdtTrfTxInf");
        assertThat(txs.getLength()).isEqualTo(3);
        Map<String, String> paidTo = new java.util.TreeMap<>();
        for (int i = 0; i < txs.getLength(); i++) {
            Element tx = (Element) txs.item(i);
            Element amt = (Element) tx.getElementsByTagNameNS("*", "InstdAmt").item(0);
            assertThat(amt.getAttribute("Ccy")).isEqualTo("USD");
            paidTo.put(
                    tx.getElementsByTagNameNS("*", "IBAN").item(0).getTextContent(),
                    amt.getTextContent());
        }
        assertThat(paidTo)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(IBAN_A, "100.00", IBAN_B, "36.16", IBAN_N, "85.00"));
        // CSV for the provider account
        String csv =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("format", "csv")
                        .get("/payout-runs/" + runId + "/payment-file")
                        .then()
                        .statusCode(200)
                        .contentType("text/csv")
                        .extract()
                        .asString();
        List<CSVRecord> rows =
                CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(new StringReader(csv))
                        .getRecords();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("makerId")).isEqualTo(d);
        assertThat(rows.get(0).get("providerAccount")).isEqualTo("wise:D-778899");
        assertThat(rows.get(0).get("amount")).isEqualTo("20.00");
        assertThat(status(runId)).isEqualTo("EXPORTED");
    }

    /** Paid: a, b, n; failed: d (its 20.00 stays on its balance). */
    private void paidAndFailedLinesCompleteTheRun(long runId) throws Exception {
        // paid: a, b, n; failed: d (its 20.00 stays on its balance)
        JsonPath exported = run(runId);
        settle(runId, exported.getLong(line(a) + ".id"), "paid", "BANK-REF-A");
        settle(runId, exported.getLong(line(b) + ".id"), "paid", "BANK-REF-B");
        settle(runId, exported.getLong(line(n) + ".id"), "paid", "BANK-REF-N");
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body("{\"reference\":\"again\"}")
                .post(
                        "/payout-runs/"
                                + runId
                                + "/lines/"
                                + exported.getLong(line(a) + ".id")
                                + "/paid")
                .then()
                .statusCode(409)
                .body("code", equalTo("LINE_SETTLED"));
        JsonPath done = settle(runId, exported.getLong(line(d) + ".id"), "failed", null);
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(done.getString(line(a) + ".reference")).isEqualTo("BANK-REF-A");
        assertThat(done.getString(line(d) + ".status")).isEqualTo("FAILED");
    }

    /** B's remittance advice, parsed back, for b only. */
    private void theRemittanceAdviceIsTheMakersOwn(long runId) throws Exception {
        // b's remittance advice, parsed back: the conversion, the period, the amount paid
        String advice =
                pdfText(
                        given().auth()
                                .oauth2(Tokens.maker(b))
                                .get("/remittances/" + runId + "/" + b + ".pdf")
                                .then()
                                .statusCode(200)
                                .contentType("application/pdf")
                                .extract()
                                .asByteArray());
        assertThat(advice)
                .contains("Remittance advice")
                .contains("Maker B")
                .contains("Amount paid: 36.16 USD")
                .contains("EUR 33.33 1.085 ECB reference rate 36.16")
                .contains("2024-09 EUR 33.33")
                .contains("reference BANK-REF-B")
                .contains("IBAN GB82**************5432")
                .doesNotContain(IBAN_B);
        // another maker may not read it
        given().auth()
                .oauth2(Tokens.maker(a))
                .get("/remittances/" + runId + "/" + b + ".pdf")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
    }

    /** The dashboard's payout page: finance sees every line, a maker its own with its advice. */
    private void theDashboardShowsEachReaderItsLines(long runId) throws Exception {
        // the dashboard's payout page: finance sees every line, a maker its own with its advice
        String financePage =
                given().cookie("fairshare_token", Tokens.finance())
                        .get("/dashboard/payouts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(financePage)
                .contains("id=\"run-" + runId + "\"")
                .contains("href=\"/dashboard/payouts/remittances/" + runId + "/" + a + ".pdf\"")
                .contains("href=\"/dashboard/payouts/remittances/" + runId + "/" + b + ".pdf\"");
        String makerPage =
                given().cookie("fairshare_token", Tokens.maker(b))
                        .get("/dashboard/payouts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(makerPage)
                .contains("href=\"/dashboard/payouts/remittances/" + runId + "/" + b + ".pdf\"")
                .doesNotContain(a)
                .doesNotContain(IBAN_B)
                .contains("GB82**************5432");
        // the page's view model, by hand: finance's run has the four lines (100.00 + 36.16 +
        // 20.00 + 85.00) and, of this test's makers, c's and u's carry-forwards (the other test
        // classes' makers without a profile have theirs); b's has b's line only, masked
        PayoutDashboard.Run all = payoutRun(null, runId);
        assertThat(all.status()).isEqualTo("COMPLETED");
        assertThat(all.lineCount()).isEqualTo(4);
        assertThat(all.total()).isEqualTo("241.16");
        assertThat(all.carried())
                .filteredOn(cf -> List.of(a, b, c, d, n, u).contains(cf.split(": ")[0]))
                .containsExactlyInAnyOrder(
                        c + ": 4.00 USD (BELOW_THRESHOLD)", u + ": 15.00 USD (NO_PROFILE)");
        PayoutDashboard.Run own = payoutRun(b, runId);
        assertThat(own.lineCount()).isEqualTo(1);
        assertThat(own.total()).isEqualTo("36.16");
        assertThat(own.carried()).isEmpty();
        assertThat(own.lines())
                .extracting(
                        PayoutDashboard.Line::makerId,
                        PayoutDashboard.Line::payeeName,
                        PayoutDashboard.Line::account,
                        PayoutDashboard.Line::amount,
                        PayoutDashboard.Line::status,
                        PayoutDashboard.Line::reference)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                b,
                                "Maker B",
                                "GB82**************5432",
                                "36.16",
                                "PAID",
                                "BANK-REF-B"));
        // the page's links work with the session cookie: the maker's own advice, never another's
        byte[] dashboardAdvice =
                given().cookie("fairshare_token", Tokens.maker(b))
                        .get("/dashboard/payouts/remittances/" + runId + "/" + b + ".pdf")
                        .then()
                        .statusCode(200)
                        .contentType("application/pdf")
                        .extract()
                        .asByteArray();
        assertThat(new String(dashboardAdvice, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
        given().cookie("fairshare_token", Tokens.maker(b))
                .get("/dashboard/payouts/remittances/" + runId + "/" + a + ".pdf")
                .then()
                .statusCode(403);
        // a dashboard form without the session's CSRF token is refused before it runs
        given().cookie("fairshare_token", Tokens.finance())
                .contentType("application/x-www-form-urlencoded")
                .formParam("currency", "USD")
                .formParam("asOf", "2024-10-31")
                .post("/dashboard/payouts/create")
                .then()
                .statusCode(403);
    }

    /** The balances after the payments, against those before the run. */
    private void theLedgerHoldsThePayments(Map<String, BigDecimal> before) throws Exception {
        Map<String, BigDecimal> after = balances();
        assertThat(after.get("maker:" + a + ":receivable USD")).isEqualByComparingTo("0.00");
        assertThat(after.get("maker:" + b + ":receivable EUR")).isEqualByComparingTo("0.00");
        assertThat(after.get("maker:" + b + ":receivable USD")).isEqualByComparingTo("0.00");
        assertThat(after.get("maker:" + n + ":receivable USD")).isEqualByComparingTo("0.00");
        assertThat(after.get("maker:" + d + ":receivable USD")).isEqualByComparingTo("20.00");
        assertThat(after.get("maker:" + c + ":receivable USD")).isEqualByComparingTo("4.00");
        assertThat(change(before, after, "cash:USD USD")).isEqualByComparingTo("221.16");
        assertThat(change(before, after, "fx:clearing EUR")).isEqualByComparingTo("33.33");
        assertThat(change(before, after, "fx:clearing USD")).isEqualByComparingTo("-36.16");
    }

    /** October: n's recoupment makes its balance negative; d changes its account. */
    private void octobersRunCarriesForwardAndIsCancelled() throws Exception {
        // October: n's recoupment makes its balance negative; d changes its account
        usage(n, gpf, "2024-09-20", "150.00", "USD");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(payout(OCTOBER, n)).isEqualTo("-7.50"));
        close(OCTOBER);
        profile(
                d,
                "{\"currency\":\"USD\",\"payeeName\":\"Maker D\",\"providerAccount\":\"wise:D-000001\"}");

        JsonPath second = createRun("USD", "2024-10-31");
        assertThat(second.getList("lines.makerId")).contains(d).doesNotContain(a, b, c, n);
        assertThat(lineAmount(second, d)).isEqualTo("20.00");
        assertThat(second.getBoolean(line(d) + ".payeeChanged")).isTrue();
        assertThat(second.getString(line(d) + ".providerAccount")).isEqualTo("wise:D-000001");
        assertThat(carried(second, n)).isEqualTo("-7.50 USD NEGATIVE");
        assertThat(carried(second, u)).isEqualTo("22.50 USD NO_PROFILE");
        assertThat(carried(second, c)).isEqualTo("4.00 USD BELOW_THRESHOLD");
        // a maker sees its own line only
        JsonPath mine =
                given().auth()
                        .oauth2(Tokens.maker(d))
                        .get("/payout-runs/" + second.getLong("id"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(mine.getList("lines.makerId")).containsExactly(d);
        assertThat(mine.getList("carryForwards")).isEmpty();
        // nothing paid: cancelled, the balances stay
        given().auth()
                .oauth2(Tokens.finance())
                .post("/payout-runs/" + second.getLong("id") + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        assertThat(balances().get("maker:" + d + ":receivable USD")).isEqualByComparingTo("20.00");
    }

    // ---------------------------------------------------------------- helpers

    static void usage(String maker, String platform, String day, String revenue, String currency) {
        String model = "md-" + maker;
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, day, revenue, currency));
    }

    static String payout(YearMonth period, String maker) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", maker)
                .get("/payouts/" + period)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items.find { it.makerId == '" + maker + "' }.amount");
    }

    static void close(YearMonth period) {
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("force", true)
                .post("/periods/" + period + "/close")
                .then()
                .statusCode(200);
    }

    static void profile(String maker, String body) {
        given().auth()
                .oauth2(Tokens.maker(maker))
                .contentType("application/json")
                .body(body)
                .put("/payout-profiles/" + maker)
                .then()
                .statusCode(200);
    }

    static JsonPath createRun(String currency, String asOf) {
        return given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body("{\"currency\":\"" + currency + "\",\"asOf\":\"" + asOf + "\"}")
                .post("/payout-runs")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    static JsonPath run(long id) {
        return given().auth()
                .oauth2(Tokens.finance())
                .get("/payout-runs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String status(long id) {
        return run(id).getString("status");
    }

    static JsonPath settle(long runId, long lineId, String outcome, String reference) {
        return given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body(reference == null ? "{}" : "{\"reference\":\"" + reference + "\"}")
                .post("/payout-runs/" + runId + "/lines/" + lineId + "/" + outcome)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String line(String maker) {
        return "lines.find { it.makerId == '" + maker + "' }";
    }

    static String lineAmount(JsonPath run, String maker) {
        return run.getString(line(maker) + ".amount");
    }

    @Inject PayoutDashboard payoutDashboard;

    /** Run {@code runId} on the dashboard's payout page of {@code maker} (finance's when null). */
    PayoutDashboard.Run payoutRun(String maker, long runId) {
        return payoutDashboard.page("viewer", maker, null, null, null).runs().stream()
                .filter(r -> r.id() == runId)
                .findFirst()
                .orElseThrow();
    }

    static String carried(JsonPath run, String maker) {
        Map<String, Object> cf = run.getMap("carryForwards.find { it.makerId == '" + maker + "' }");
        return cf == null
                ? null
                : cf.get("balance") + " " + cf.get("currency") + " " + cf.get("reason");
    }

    /** GET /ledger/balances as "account currency" → balance. */
    static Map<String, BigDecimal> balances() {
        List<Map<String, String>> items =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/ledger/balances")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items");
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        for (Map<String, String> i : items) {
            out.put(i.get("account") + " " + i.get("currency"), new BigDecimal(i.get("balance")));
        }
        return out;
    }

    static BigDecimal change(
            Map<String, BigDecimal> before, Map<String, BigDecimal> after, String key) {
        return after.getOrDefault(key, BigDecimal.ZERO)
                .subtract(before.getOrDefault(key, BigDecimal.ZERO));
    }

    static String pdfText(byte[] pdf) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper()
                    .getText(doc)
                    .replaceAll("[ \\t]+", " ");
        }
    }

    static String text(Document doc, String parent, String child) {
        Element p = (Element) doc.getElementsByTagNameNS("*", parent).item(0);
        return p.getElementsByTagNameNS("*", child).item(0).getTextContent();
    }
}
