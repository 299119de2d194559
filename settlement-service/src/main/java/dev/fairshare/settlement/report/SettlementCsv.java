package dev.fairshare.settlement.report;

import dev.fairshare.settlement.engine.Rounding;
import dev.fairshare.settlement.engine.StatementLine;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes statement lines as an RFC 4180 CSV settlement report, one row per line as it is written
 * (nothing is held in memory, so a report of any size streams): the {@link #HEADER} row on
 * construction, then a row per {@link #write}.
 *
 * <ul>
 *   <li>{@code amount} is the rounded amount at the currency's minor unit, as a plain decimal
 *       ({@code 6.00} USD, {@code 150} JPY, {@code 1.500} BHD); a line that is not rounded to the
 *       minor unit is an error, never rounded here;
 *   <li>{@code basis} is the exact basis as a plain decimal without trailing zeros;
 *   <li>{@code period} and {@code adjustsPeriod} are {@code yyyy-MM}; {@code kind} and {@code
 *       customerType} are the enum names;
 *   <li>{@code path} is the line's route through the lineage, the model ids from the source to the
 *       receiver joined by {@code >} ({@code q>ft>base}; model ids never contain it);
 *   <li>an absent value ({@code modelId} and {@code sourceModelId} of an all-models top-up or
 *       recoupment, {@code customerType} and {@code path} of a top-up or recoupment, {@code
 *       adjustsPeriod} of anything but a late adjustment or recoupment) is an empty field.
 * </ul>
 *
 * Fields are quoted only when they must be (a comma, a quote, or a line break in them), with quotes
 * doubled; rows end with CRLF. {@link #close} flushes the writer but does not close it: whoever
 * opened it closes it.
 */
public final class SettlementCsv implements AutoCloseable {

    public static final List<String> HEADER =
            List.of(
                    "period",
                    "platformId",
                    "makerId",
                    "modelId",
                    "sourceModelId",
                    "agreementId",
                    "kind",
                    "customerType",
                    "basis",
                    "amount",
                    "currency",
                    "adjustsPeriod",
                    "path");

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get();

    private final CSVPrinter printer;

    /** Starts a report on {@code out} by writing its header row. */
    public SettlementCsv(Writer out) throws IOException {
        this.printer = new CSVPrinter(Objects.requireNonNull(out, "out"), FORMAT);
    }

    /** Writes the line's row to the writer. */
    public void write(StatementLine line) throws IOException {
        printer.printRecord(
                line.period().toString(),
                line.platformId(),
                line.makerId(),
                line.modelId(),
                line.sourceModelId(),
                line.agreementId(),
                line.kind().name(),
                line.customerType() == null ? null : line.customerType().name(),
                line.basis().stripTrailingZeros().toPlainString(),
                amount(line),
                line.currency(),
                line.adjustsPeriod() == null ? null : line.adjustsPeriod().toString(),
                line.path().isEmpty() ? null : String.join(">", line.path()));
    }

    /** Flushes the rows written so far to the writer, which stays open. */
    @Override
    public void close() throws IOException {
        printer.flush();
    }

    private static String amount(StatementLine line) {
        int digits = Rounding.fractionDigits(line.currency());
        BigDecimal amount = line.amount();
        try {
            return amount.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "statement line of "
                            + line.makerId()
                            + " on "
                            + line.platformId()
                            + " is not rounded to the minor unit of "
                            + line.currency()
                            + ": "
                            + amount,
                    e);
        }
    }
}
