package dev.fairshare.settlement.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.LineKind;
import dev.fairshare.settlement.engine.StatementLine;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class SettlementCsvTest {

    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static final List<StatementLine> LINES =
            List.of(
                    line(
                            "acme, \"the\" cloud",
                            "coqui",
                            "coqui/XTTS-v2",
                            "coqui/XTTS-v2",
                            LineKind.ROYALTY,
                            CustomerType.COMMERCIAL,
                            "100.0000",
                            "6.00",
                            "USD",
                            null),
                    line(
                            "acme, \"the\" cloud",
                            "meta\nresearch",
                            "llama",
                            "coqui/XTTS-v2",
                            LineKind.UPSTREAM_ROYALTY,
                            CustomerType.NON_COMMERCIAL,
                            "1.25",
                            "0",
                            "JPY",
                            null),
                    line(
                            "beta",
                            "coqui",
                            null,
                            null,
                            LineKind.MINIMUM_GUARANTEE_TOPUP,
                            null,
                            "50.000000000000000000",
                            "12.345",
                            "BHD",
                            null),
                    line(
                            "beta",
                            "oai",
                            "whisper",
                            "whisper",
                            LineKind.LATE_ADJUSTMENT,
                            CustomerType.COMMERCIAL,
                            "1300000",
                            "59.00",
                            "EUR",
                            OCTOBER),
                    line(
                            "beta",
                            "coqui",
                            null,
                            null,
                            LineKind.GUARANTEE_RECOUPMENT,
                            null,
                            "40.000",
                            "-1.500",
                            "BHD",
                            OCTOBER));

    @Test
    void writesTheHeaderRowAndOneRowPerLineThatParseBackToTheLines() throws IOException {
        String csv = write(LINES);

        assertThat(csv)
                .startsWith(
                        "period,platformId,makerId,modelId,sourceModelId,agreementId,kind,"
                                + "customerType,basis,amount,currency,adjustsPeriod,path\r\n");
        List<CSVRecord> records = parse(csv);
        assertThat(records).hasSize(LINES.size());
        for (int i = 0; i < LINES.size(); i++) {
            assertRowIsLine(records.get(i), LINES.get(i));
        }
    }

    @Test
    void quotesOnlyTheFieldsThatNeedIt() throws IOException {
        String csv = write(LINES.subList(0, 1));

        assertThat(csv)
                .endsWith(
                        "\r\n2026-11,\"acme, \"\"the\"\" cloud\",coqui,coqui/XTTS-v2,"
                                + "coqui/XTTS-v2,ag-1,ROYALTY,COMMERCIAL,100,6.00,USD,,coqui/XTTS-v2\r\n");
    }

    @Test
    void printsAmountsAtTheMinorUnitAndBasesAsStrippedPlainDecimals() throws IOException {
        List<CSVRecord> records = parse(write(LINES));

        assertThat(records)
                .extracting(r -> r.get("amount"))
                .containsExactly("6.00", "0", "12.345", "59.00", "-1.500");
        assertThat(records)
                .extracting(r -> r.get("basis"))
                .containsExactly("100", "1.25", "50", "1300000", "40");
        assertThat(records.get(2).get("customerType")).isEmpty();
        assertThat(records.get(2).get("modelId")).isEmpty();
        assertThat(records.get(3).get("adjustsPeriod")).isEqualTo("2026-10");
        assertThat(records.get(4).get("kind")).isEqualTo("GUARANTEE_RECOUPMENT");
        assertThat(records.get(4).get("adjustsPeriod")).isEqualTo("2026-10");
    }

    @Test
    void writesEachLinesRouteFromTheSourceToTheReceiver() throws IOException {
        List<CSVRecord> records = parse(write(LINES));

        assertThat(records)
                .extracting(r -> r.get("path"))
                .containsExactly("coqui/XTTS-v2", "coqui/XTTS-v2>llama", "", "whisper", "");
    }

    @Test
    void writesEachRowAsSoonAsItIsGiven() throws IOException {
        StringWriter out = new StringWriter();
        SettlementCsv csv = new SettlementCsv(out);
        assertThat(out.toString()).isEqualTo(String.join(",", SettlementCsv.HEADER) + "\r\n");

        csv.write(LINES.get(3));

        assertThat(parse(out.toString())).hasSize(1);
        csv.close();
        assertThat(parse(out.toString())).hasSize(1);
    }

    @Test
    void anEmptyReportIsItsHeader() throws IOException {
        String csv = write(List.of());

        assertThat(csv).isEqualTo(String.join(",", SettlementCsv.HEADER) + "\r\n");
        assertThat(parse(csv)).isEmpty();
    }

    @Test
    void aLineThatIsNotRoundedIsRefused() throws IOException {
        StatementLine exact =
                line(
                        "acme",
                        "coqui",
                        "xtts",
                        "xtts",
                        LineKind.ROYALTY,
                        CustomerType.COMMERCIAL,
                        "1",
                        "0.005",
                        "USD",
                        null);

        try (SettlementCsv csv = new SettlementCsv(new StringWriter())) {
            assertThatThrownBy(() -> csv.write(exact))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minor unit of USD");
        }
    }

    private static void assertRowIsLine(CSVRecord row, StatementLine line) {
        assertThat(YearMonth.parse(row.get("period"))).isEqualTo(line.period());
        assertThat(row.get("platformId")).isEqualTo(line.platformId());
        assertThat(row.get("makerId")).isEqualTo(line.makerId());
        assertThat(nullIfEmpty(row.get("modelId"))).isEqualTo(line.modelId());
        assertThat(nullIfEmpty(row.get("sourceModelId"))).isEqualTo(line.sourceModelId());
        assertThat(row.get("agreementId")).isEqualTo(line.agreementId());
        assertThat(LineKind.valueOf(row.get("kind"))).isEqualTo(line.kind());
        String customerType = nullIfEmpty(row.get("customerType"));
        assertThat(customerType == null ? null : CustomerType.valueOf(customerType))
                .isEqualTo(line.customerType());
        assertThat(new BigDecimal(row.get("basis"))).isEqualByComparingTo(line.basis());
        assertThat(new BigDecimal(row.get("amount"))).isEqualTo(line.amount());
        assertThat(row.get("currency")).isEqualTo(line.currency());
        String adjusts = nullIfEmpty(row.get("adjustsPeriod"));
        assertThat(adjusts == null ? null : YearMonth.parse(adjusts))
                .isEqualTo(line.adjustsPeriod());
        String path = row.get("path");
        assertThat(path.isEmpty() ? List.of() : List.of(path.split(">"))).isEqualTo(line.path());
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String write(List<StatementLine> lines) throws IOException {
        StringWriter out = new StringWriter();
        try (SettlementCsv csv = new SettlementCsv(out)) {
            for (StatementLine line : lines) {
                csv.write(line);
            }
        }
        return out.toString();
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = format.parse(new StringReader(csv))) {
            assertThat(parser.getHeaderNames()).isEqualTo(SettlementCsv.HEADER);
            return new ArrayList<>(parser.getRecords());
        }
    }

    private static StatementLine line(
            String platformId,
            String makerId,
            String modelId,
            String sourceModelId,
            LineKind kind,
            CustomerType customerType,
            String basis,
            String amount,
            String currency,
            YearMonth adjustsPeriod) {
        return new StatementLine(
                NOVEMBER,
                makerId,
                platformId,
                modelId,
                "ag-" + (kind.ordinal() + 1),
                kind,
                sourceModelId,
                customerType,
                new BigDecimal(basis),
                new BigDecimal(amount),
                new BigDecimal(amount),
                currency,
                adjustsPeriod,
                sourceModelId == null
                        ? List.of()
                        : sourceModelId.equals(modelId)
                                ? List.of(sourceModelId)
                                : List.of(sourceModelId, modelId));
    }
}
