package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.CustomerType.NON_COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.nov;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

    /** xtts (coqui) derives from llama (meta) with share 0.25; whisper is oai's. */
    private static final Map<String, ModelInfo> MODELS =
            models(
                    model("llama", "meta"),
                    model("xtts", "coqui", new Parent("llama", d("0.25"))),
                    model("whisper", "oai"));

    private static final List<Agreement> AGREEMENTS =
            List.of(
                    agreement("a1", "coqui", "acme", "xtts", "USD", "0.20"),
                    agreement("a2", "meta", "acme", "llama", "USD", "0.30"),
                    agreement("a3", "oai", "acme", "whisper", "JPY", "0.15"),
                    agreement("a4", "coqui", "beta", null, "EUR", "0.10"));

    /**
     * acme/USD: xtts earns 20.00 (coqui keeps 15.00, meta gets 5.00 upstream) and llama earns 3.00
     * for meta; acme/JPY: whisper earns 150 for oai; beta/EUR: xtts earns 3.333, split 2.49975 to
     * coqui and 0.83325 to meta, rounded to 2.50 and 0.83 so that the invoice is 3.33.
     */
    private static List<StatementLine> statement() {
        List<UsageRow> usage =
                List.of(
                        row("acme", "xtts", COMMERCIAL, "USD", "100.00"),
                        row("acme", "llama", NON_COMMERCIAL, "USD", "10.00"),
                        row("acme", "whisper", COMMERCIAL, "JPY", "1000"),
                        row("beta", "xtts", NON_COMMERCIAL, "EUR", "33.33"));
        return SettlementEngine.settle(NOVEMBER, usage, List.of(), AGREEMENTS, MODELS);
    }

    @Test
    void eachInvoicePostsOneBalancedEntryCreditingEveryMakerIncludingAncestors() {
        List<JournalEntry> entries = Ledger.post(NOVEMBER, statement());

        assertThat(entries)
                .extracting(JournalEntry::platformId, JournalEntry::currency)
                .containsExactly(tuple("acme", "JPY"), tuple("acme", "USD"), tuple("beta", "EUR"));
        assertThat(entries.get(0).lines())
                .containsExactly(
                        JournalLine.credit("maker:oai:receivable", "JPY", d("150")),
                        JournalLine.debit("platform:acme:payable", "JPY", d("150")));
        assertThat(entries.get(1).lines())
                .containsExactly(
                        JournalLine.credit("maker:coqui:receivable", "USD", d("15.00")),
                        JournalLine.credit("maker:meta:receivable", "USD", d("8.00")),
                        JournalLine.debit("platform:acme:payable", "USD", d("23.00")));
        assertThat(entries.get(2).lines())
                .containsExactly(
                        JournalLine.credit("maker:coqui:receivable", "EUR", d("2.50")),
                        JournalLine.credit("maker:meta:receivable", "EUR", d("0.83")),
                        JournalLine.debit("platform:beta:payable", "EUR", d("3.33")));
        assertThat(entries)
                .allSatisfy(entry -> assertThat(entry.period()).isEqualTo(NOVEMBER))
                .extracting(JournalEntry::total)
                .containsExactly(d("150"), d("23.00"), d("3.33"));
        assertThat(entries.get(1).memo()).isEqualTo("statement 2026-11: acme USD");
    }

    @Test
    void balancesAreCreditMinusDebitPerAccountAndCurrency() {
        Map<String, Map<String, BigDecimal>> balances =
                Ledger.balances(Ledger.post(NOVEMBER, statement()));

        assertThat(balances)
                .containsExactly(
                        Map.entry(
                                "maker:coqui:receivable",
                                Map.of("EUR", d("2.50"), "USD", d("15.00"))),
                        Map.entry(
                                "maker:meta:receivable",
                                Map.of("EUR", d("0.83"), "USD", d("8.00"))),
                        Map.entry("maker:oai:receivable", Map.of("JPY", d("150"))),
                        Map.entry(
                                "platform:acme:payable",
                                Map.of("JPY", d("-150"), "USD", d("-23.00"))),
                        Map.entry("platform:beta:payable", Map.of("EUR", d("-3.33"))));
    }

    @Test
    void accountsAreNamedByPartyAndRole() {
        assertThat(Ledger.platformAccount("acme")).isEqualTo("platform:acme:payable");
        assertThat(Ledger.makerAccount("coqui")).isEqualTo("maker:coqui:receivable");
    }

    @Test
    void zeroAmountsAreNeverPosted() {
        List<Agreement> agreements =
                List.of(
                        agreement("a1", "coqui", "acme", "xtts", "USD", "0.20"),
                        agreement("a2", "meta", "acme", "llama", "USD", "0"),
                        agreement("a3", "oai", "beta", "whisper", "USD", "0"));
        List<UsageRow> usage =
                List.of(
                        row("acme", "xtts", COMMERCIAL, "USD", "10.00"),
                        row("acme", "llama", COMMERCIAL, "USD", "10.00"),
                        row("beta", "whisper", COMMERCIAL, "USD", "10.00"));
        Map<String, ModelInfo> flat =
                models(model("llama", "meta"), model("xtts", "coqui"), model("whisper", "oai"));
        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), agreements, flat);
        assertThat(lines).extracting(StatementLine::makerId).contains("meta", "oai");

        List<JournalEntry> entries = Ledger.post(NOVEMBER, lines);

        assertThat(entries)
                .singleElement()
                .satisfies(
                        entry ->
                                assertThat(entry.lines())
                                        .containsExactly(
                                                JournalLine.credit(
                                                        "maker:coqui:receivable", "USD", d("2")),
                                                JournalLine.debit(
                                                        "platform:acme:payable", "USD", d("2"))));
        assertThat(Ledger.post(NOVEMBER, List.of())).isEmpty();
    }

    @Test
    void postingTheLinesOfAnotherPeriodIsAnError() {
        assertThatThrownBy(() -> Ledger.post(OCTOBER, statement()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-11")
                .hasMessageContaining("2026-10");
    }

    @Test
    void anEntryMustBalance() {
        List<JournalLine> lines =
                List.of(
                        JournalLine.credit("maker:coqui:receivable", "USD", d("2.00")),
                        JournalLine.debit("platform:acme:payable", "USD", d("2.01")));

        assertThatThrownBy(() -> entry("USD", lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not balance");
    }

    @Test
    void anEntryHasLinesOnlyInItsOwnCurrency() {
        List<JournalLine> lines =
                List.of(
                        JournalLine.credit("maker:coqui:receivable", "EUR", d("2.00")),
                        JournalLine.debit("platform:acme:payable", "USD", d("2.00")));

        assertThatThrownBy(() -> entry("USD", lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EUR");
        assertThatThrownBy(() -> entry("USD", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJournalLineIsEitherADebitOrACreditAtTheMinorUnit() {
        assertThatThrownBy(() -> new JournalLine("a", "USD", BigDecimal.ONE, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalLine("a", "USD", BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalLine.debit("a", "USD", d("-1.00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalLine.credit("a", "USD", d("0.005")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minor unit");
        assertThatThrownBy(() -> JournalLine.credit("a", "JPY", d("1.5")))
                .isInstanceOf(IllegalArgumentException.class);

        JournalLine line = JournalLine.credit("a", "BHD", d("1.5"));
        assertThat(line.credit()).isEqualTo(d("1.500"));
        assertThat(line.debit()).isEqualTo(d("0.000"));
        assertThat(line.balance()).isEqualTo(d("1.500"));
        assertThat(JournalLine.debit("a", "USD", d("6")).balance()).isEqualTo(d("-6.00"));
    }

    private static JournalEntry entry(String currency, List<JournalLine> lines) {
        return new JournalEntry(NOVEMBER, "acme", currency, "test", lines);
    }

    private static Agreement agreement(
            String id,
            String makerId,
            String platformId,
            String modelId,
            String currency,
            String rate) {
        return new Agreement(
                id,
                makerId,
                platformId,
                modelId,
                currency,
                LocalDate.of(2026, 1, 1),
                null,
                new RevenueShare(d(rate)),
                null);
    }

    private static UsageRow row(
            String platformId,
            String modelId,
            CustomerType customerType,
            String currency,
            String revenue) {
        return new UsageRow(
                platformId, modelId, nov(5), customerType, currency, 1, d(revenue), Map.of());
    }
}
