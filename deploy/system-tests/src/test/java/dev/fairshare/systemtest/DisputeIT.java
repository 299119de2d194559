package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dispute correction through the three services (DESIGN.md "Who may name a model"): voicelab's
 * model held coqui's ref on acme-cloud; a period closed with voicelab paid for it; ADMIN moves the
 * ref's usage from the middle of that period on to coqui's model. The closed statement stays as it
 * was, the next period carries a negative LATE_ADJUSTMENT for voicelab and a positive one for
 * coqui, and the open period's own usage follows the ref.
 *
 * <p>On the shared stack ({@link SystemStack#shared()}): its names are {@code dispute-}'s, and it
 * closes the third and the second month before the current one, which no other IT uses.
 */
class DisputeIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static SystemStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.shared();
    }

    static String event(String id, Instant at, String amount) {
        return "{\"eventId\":\""
                + id
                + "\",\"platformId\":\"dispute-acme\",\"modelRef\":\"dispute-coqui/XTTS-v2\","
                + "\"occurredAt\":\""
                + at
                + "\",\"customerType\":\"COMMERCIAL\","
                + "\"units\":{\"requests\":1},\"revenue\":{\"amount\":\""
                + amount
                + "\",\"currency\":\"USD\"}}";
    }

    @Test
    void aDisputeIntoAClosedPeriodIsSettledAsLateAdjustmentsAndLeavesTheClosedStatement()
            throws Exception {
        String r = stack.registry.url();
        String u = stack.usage.url();
        String s = stack.settlement.url();
        String admin =
                Http.token(
                        r,
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        // the period to close and the next one, open until the end
        YearMonth closed = YearMonth.now(ZoneOffset.UTC).minusMonths(3);
        YearMonth next = closed.plusMonths(1);
        String validFrom = closed.atDay(1) + "T00:00:00Z";
        registerMakersPlatformAndModels(r, admin);
        misattributeCoquisRefToVoicelabsModel(r, admin);
        agreeRevenueShares(r, admin, validFrom);
        String platform = platformToken(r, admin);
        String finance = financeToken(r, admin);

        reportUsageAroundTheDisputeDate(u, platform, closed, next);
        List<Tuple> closedStatement = closeTheMonthWithVoicelabPaid(s, closed, finance);
        reattributeTheRefFromThe15th(r, admin, closed);
        List<Tuple> adjusted = theNextPeriodCarriesTheLateAdjustments(s, closed, next, finance);
        // the closed statement has not changed
        assertThat(tuples(lines(s, closed, finance))).containsExactlyElementsOf(closedStatement);

        // closing the next period keeps exactly those lines; net per maker: coqui 2.00, voicelab
        // -1.50
        closeTheNextPeriodPayingTheNet(s, next, finance, adjusted);
        // the close's journal entry: coqui credited 2.00, voicelab debited 1.50, acme owes 0.50
        theJournalEntryPostsTheNet(s, next, finance);

        // usage-service: the events from the 15th on are coqui's model's
        assertThat(attribution(u, "e-10", platform)).isEqualTo("dispute-xtts-v2-nordic");
        assertThat(attribution(u, "e-20", platform)).isEqualTo("dispute-xtts-v2");
        assertThat(attribution(u, "e-next", platform)).isEqualTo("dispute-xtts-v2");
    }

    private static void registerMakersPlatformAndModels(String r, String admin) throws Exception {
        Http.postExpect(r + "/makers", "{\"id\":\"dispute-coqui\",\"name\":\"Coqui\"}", 201, admin);
        Http.postExpect(
                r + "/makers", "{\"id\":\"dispute-voicelab\",\"name\":\"Voicelab\"}", 201, admin);
        Http.postExpect(
                r + "/platforms", "{\"id\":\"dispute-acme\",\"name\":\"Acme Cloud\"}", 201, admin);
        for (String[] m :
                new String[][] {
                    {"dispute-xtts-v2", "dispute-coqui"},
                    {"dispute-xtts-v2-nordic", "dispute-voicelab"}
                }) {
            Http.postExpect(
                    r + "/models",
                    "{\"id\":\""
                            + m[0]
                            + "\",\"makerId\":\""
                            + m[1]
                            + "\",\"name\":\"M\",\"license\":{\"id\":\"CPML\",\"commercialUse\":true}}",
                    201,
                    admin);
        }
    }

    private static void misattributeCoquisRefToVoicelabsModel(String r, String admin)
            throws Exception {
        // the mis-attribution: coqui's ref named voicelab's model on acme-cloud
        Http.postExpect(
                r + "/models/dispute-xtts-v2-nordic/aliases",
                "{\"ref\":\"dispute-coqui/XTTS-v2\",\"platformId\":\"dispute-acme\"}",
                201,
                admin);
    }

    /** coqui 0.20 and voicelab 0.25 of acme-cloud's revenue from their models. */
    private static void agreeRevenueShares(String r, String admin, String validFrom)
            throws Exception {
        for (String[] a :
                new String[][] {{"dispute-coqui", "0.20"}, {"dispute-voicelab", "0.25"}}) {
            Http.postExpect(
                    r + "/agreements",
                    "{\"id\":\"acme-"
                            + a[0]
                            + "\",\"makerId\":\""
                            + a[0]
                            + "\",\"platformId\":\"dispute-acme\",\"currency\":\"USD\",\"validFrom\":\""
                            + validFrom
                            + "\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\""
                            + a[1]
                            + "\"}}",
                    201,
                    admin);
        }
    }

    private static String platformToken(String r, String admin) throws Exception {
        String apiKey =
                MAPPER.readTree(
                                Http.postExpect(
                                        r + "/platforms/dispute-acme/api-keys", "", 201, admin))
                        .get("apiKey")
                        .asText();
        String platform = Http.token(r, "{\"apiKey\":\"" + apiKey + "\"}");
        return platform;
    }

    private static String financeToken(String r, String admin) throws Exception {
        Http.postExpect(
                r + "/accounts",
                "{\"username\":\"dispute-fin\",\"password\":\"finance-password\",\"role\":\"FINANCE\"}",
                201,
                admin);
        String finance =
                Http.token(r, "{\"username\":\"dispute-fin\",\"password\":\"finance-password\"}");
        return finance;
    }

    private static void reportUsageAroundTheDisputeDate(
            String u, String platform, YearMonth closed, YearMonth next) {
        // 10.00 on the 10th and 6.00 on the 20th of the closed month, 4.00 in the next one
        Instant tenth = closed.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
        Instant twentieth =
                closed.atDay(20).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
        Instant inNext = next.atDay(5).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
        String events =
                "["
                        + event("e-10", tenth, "10.00")
                        + ","
                        + event("e-20", twentieth, "6.00")
                        + ","
                        + event("e-next", inNext, "4.00")
                        + "]";
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                MAPPER.readTree(
                                                Http.post(u + "/usage-events", events, platform)
                                                        .body())
                                        .path("accepted")
                                        .asInt(),
                        n -> n == 3);
    }

    /** Closes {@code closed} once its statement pays voicelab; the statement as it closed. */
    private static List<Tuple> closeTheMonthWithVoicelabPaid(
            String s, YearMonth closed, String finance) throws Exception {
        // the closed month as it closes: voicelab 0.25 × 16.00 = 4.00
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> lines(s, closed, finance),
                        l -> l.size() == 1 && amountIs(l.get(0), "4.00"));
        Http.postExpect(s + "/periods/" + closed + "/close?force=true", "", 200, finance);
        List<Tuple> closedStatement =
                List.of(
                        tuple(
                                "dispute-voicelab",
                                "dispute-xtts-v2-nordic",
                                "ROYALTY",
                                "4.00",
                                null));
        assertThat(tuples(lines(s, closed, finance))).containsExactlyElementsOf(closedStatement);
        return closedStatement;
    }

    private static void reattributeTheRefFromThe15th(String r, String admin, YearMonth closed)
            throws Exception {
        // the dispute: from the 15th of the closed month on, the ref is coqui's
        String from = closed.atDay(15) + "T00:00:00Z";
        JsonNode accepted =
                MAPPER.readTree(
                        Http.postExpect(
                                r + "/aliases/reattribute",
                                "{\"ref\":\"dispute-coqui/XTTS-v2\",\"platformId\":\"dispute-acme\",\"toModelId\":\"dispute-xtts-v2\","
                                        + "\"from\":\""
                                        + from
                                        + "\",\"reason\":\"the ref is coqui's\"}",
                                202,
                                admin));
        assertThat(accepted.get("disputeId").asText()).isNotBlank();
    }

    /** Waits until the next period's statement carries the adjustments; its lines. */
    private static List<Tuple> theNextPeriodCarriesTheLateAdjustments(
            String s, YearMonth closed, YearMonth next, String finance) {
        // the next (open) period: coqui's own 0.20 × 4.00 = 0.80; for the closed month,
        // voicelab gives back 0.25 × 6.00 = 1.50 and coqui gains 0.20 × 6.00 = 1.20
        List<Tuple> adjusted =
                List.of(
                        tuple(
                                "dispute-coqui",
                                "dispute-xtts-v2",
                                "LATE_ADJUSTMENT",
                                "1.20",
                                closed.toString()),
                        tuple("dispute-coqui", "dispute-xtts-v2", "ROYALTY", "0.80", null),
                        tuple(
                                "dispute-voicelab",
                                "dispute-xtts-v2-nordic",
                                "LATE_ADJUSTMENT",
                                "-1.50",
                                closed.toString()));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(tuples(lines(s, next, finance)))
                                        .containsExactlyInAnyOrderElementsOf(adjusted));
        return adjusted;
    }

    private static void closeTheNextPeriodPayingTheNet(
            String s, YearMonth next, String finance, List<Tuple> adjusted) throws Exception {
        Http.postExpect(s + "/periods/" + next + "/close?force=true", "", 200, finance);
        assertThat(tuples(lines(s, next, finance))).containsExactlyInAnyOrderElementsOf(adjusted);
        JsonNode payouts = MAPPER.readTree(Http.get(s + "/payouts/" + next, finance).body());
        List<Tuple> perMaker = new ArrayList<>();
        for (JsonNode p : payouts.path("items")) {
            perMaker.add(
                    tuple(
                            p.get("makerId").asText(),
                            new BigDecimal(p.get("amount").asText()).setScale(2).toPlainString()));
        }
        assertThat(perMaker)
                .containsExactlyInAnyOrder(
                        tuple("dispute-coqui", "2.00"), tuple("dispute-voicelab", "-1.50"));
    }

    /** Every line (account, debit, credit) of the period's journal entries, none besides. */
    private static void theJournalEntryPostsTheNet(String s, YearMonth next, String finance)
            throws Exception {
        JsonNode ledger = MAPPER.readTree(Http.get(s + "/ledger/" + next, finance).body());
        List<Tuple> journal = new ArrayList<>();
        for (JsonNode entry : ledger.path("items")) {
            for (JsonNode l : entry.path("lines")) {
                journal.add(
                        tuple(
                                l.get("account").asText(),
                                new BigDecimal(l.get("debit").asText()).setScale(2).toPlainString(),
                                new BigDecimal(l.get("credit").asText())
                                        .setScale(2)
                                        .toPlainString()));
            }
        }
        assertThat(journal)
                .containsExactlyInAnyOrder(
                        tuple("maker:dispute-coqui:receivable", "0.00", "2.00"),
                        tuple("maker:dispute-voicelab:receivable", "1.50", "0.00"),
                        tuple("platform:dispute-acme:payable", "0.50", "0.00"));
    }

    private static String attribution(String usage, String eventId, String token) throws Exception {
        return MAPPER.readTree(
                        Http.get(usage + "/usage/events/dispute-acme/" + eventId, token).body())
                .at("/attribution/0/modelId")
                .asText();
    }

    private static List<JsonNode> lines(String settlement, YearMonth period, String token)
            throws Exception {
        JsonNode statement =
                MAPPER.readTree(Http.get(settlement + "/statements/" + period, token).body());
        List<JsonNode> out = new ArrayList<>();
        JsonNode items = statement.has("items") ? statement.get("items") : statement.path("lines");
        items.forEach(out::add);
        return out;
    }

    private static boolean amountIs(JsonNode line, String amount) {
        return new BigDecimal(line.get("amount").asText()).compareTo(new BigDecimal(amount)) == 0;
    }

    /**
     * maker, model, kind, amount (2 decimals), adjustsPeriod of each line with an amount: the next
     * period's usage of voicelab's model nets to zero (4.00 in, 4.00 out), a zero line.
     */
    private static List<Tuple> tuples(List<JsonNode> lines) {
        List<Tuple> out = new ArrayList<>();
        for (JsonNode l : lines) {
            if (amountIs(l, "0")) {
                continue;
            }
            out.add(
                    tuple(
                            l.get("makerId").asText(),
                            l.get("modelId").asText(),
                            l.get("kind").asText(),
                            new BigDecimal(l.get("amount").asText()).setScale(2).toPlainString(),
                            l.hasNonNull("adjustsPeriod")
                                    ? l.get("adjustsPeriod").asText()
                                    : null));
        }
        return out;
    }
}
