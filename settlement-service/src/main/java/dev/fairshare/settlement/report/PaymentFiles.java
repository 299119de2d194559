package dev.fairshare.settlement.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A payout run's payment files: ISO 20022 {@code pain.001.001.09} (customer credit transfer
 * initiation) for the payees with an IBAN, and CSV for those with a payment-provider account.
 */
public final class PaymentFiles {
    public static final String PAIN_001_NAMESPACE =
            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    private PaymentFiles() {}

    /** One credit transfer: {@code endToEndId} is at most 35 characters. */
    public record Payment(
            String endToEndId,
            String makerId,
            String payeeName,
            String iban,
            String bic,
            String providerAccount,
            BigDecimal amount,
            String currency) {}

    /** The debtor: the clearing house's own account. */
    public record Debtor(String name, String iban, String bic) {}

    /**
     * One message ({@code messageId}, at most 35 characters) with one payment instruction of every
     * IBAN payment, executed on {@code executionDate}; the group header and the instruction carry
     * the number of transactions and the control sum.
     */
    public static String pain001(
            String messageId,
            Instant createdAt,
            LocalDate executionDate,
            Debtor debtor,
            String remittance,
            List<Payment> payments) {
        BigDecimal sum =
                payments.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        String count = Integer.toString(payments.size());
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.setDefaultNamespace(PAIN_001_NAMESPACE);
            x.writeStartElement(PAIN_001_NAMESPACE, "Document");
            x.writeDefaultNamespace(PAIN_001_NAMESPACE);
            x.writeStartElement("CstmrCdtTrfInitn");
            groupHeader(x, messageId, createdAt, count, sum, debtor);
            x.writeStartElement("PmtInf");
            paymentInformation(x, messageId, count, sum, executionDate, debtor);
            for (Payment p : payments) {
                transfer(x, p, remittance);
            }
            x.writeEndElement(); // PmtInf
            x.writeEndElement(); // CstmrCdtTrfInitn
            x.writeEndElement(); // Document
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The message's id, time, number of transactions, control sum and initiating party. */
    private static void groupHeader(
            XMLStreamWriter x,
            String messageId,
            Instant createdAt,
            String count,
            BigDecimal sum,
            Debtor debtor)
            throws XMLStreamException {
        x.writeStartElement("GrpHdr");
        text(x, "MsgId", messageId);
        text(
                x,
                "CreDtTm",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        createdAt.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
        text(x, "NbOfTxs", count);
        text(x, "CtrlSum", sum.toPlainString());
        nested(x, debtor.name(), "InitgPty", "Nm");
        x.writeEndElement(); // GrpHdr
    }

    /** The instruction's head: its id, totals, execution date and the debtor's account. */
    private static void paymentInformation(
            XMLStreamWriter x,
            String messageId,
            String count,
            BigDecimal sum,
            LocalDate executionDate,
            Debtor debtor)
            throws XMLStreamException {
        text(x, "PmtInfId", messageId);
        text(x, "PmtMtd", "TRF");
        text(x, "NbOfTxs", count);
        text(x, "CtrlSum", sum.toPlainString());
        nested(x, executionDate.toString(), "ReqdExctnDt", "Dt");
        nested(x, debtor.name(), "Dbtr", "Nm");
        nested(x, debtor.iban(), "DbtrAcct", "Id", "IBAN");
        nested(x, debtor.bic(), "DbtrAgt", "FinInstnId", "BICFI");
    }

    /** One credit transfer: end-to-end id, amount, the creditor's agent, name and account. */
    private static void transfer(XMLStreamWriter x, Payment p, String remittance)
            throws XMLStreamException {
        x.writeStartElement("CdtTrfTxInf");
        nested(x, p.endToEndId(), "PmtId", "EndToEndId");
        x.writeStartElement("Amt");
        x.writeStartElement("InstdAmt");
        x.writeAttribute("Ccy", p.currency());
        x.writeCharacters(p.amount().toPlainString());
        x.writeEndElement();
        x.writeEndElement();
        if (p.bic() != null) {
            nested(x, p.bic(), "CdtrAgt", "FinInstnId", "BICFI");
        }
        nested(x, p.payeeName(), "Cdtr", "Nm");
        nested(x, p.iban(), "CdtrAcct", "Id", "IBAN");
        nested(x, remittance, "RmtInf", "Ustrd");
        x.writeEndElement(); // CdtTrfTxInf
    }

    private static void text(XMLStreamWriter x, String element, String value)
            throws XMLStreamException {
        x.writeStartElement(element);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    /** {@code value} in the innermost of {@code elements}, each nested in the one before. */
    private static void nested(XMLStreamWriter x, String value, String... elements)
            throws XMLStreamException {
        for (String element : elements) {
            x.writeStartElement(element);
        }
        x.writeCharacters(value);
        for (int i = 0; i < elements.length; i++) {
            x.writeEndElement();
        }
    }

    /** RFC 4180 with a header row: one row per provider payment. */
    public static String csv(List<Payment> payments) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv =
                new CSVPrinter(
                        out,
                        CSVFormat.RFC4180
                                .builder()
                                .setHeader(
                                        "endToEndId",
                                        "makerId",
                                        "payeeName",
                                        "providerAccount",
                                        "amount",
                                        "currency")
                                .get())) {
            for (Payment p : payments) {
                csv.printRecord(
                        p.endToEndId(),
                        p.makerId(),
                        p.payeeName(),
                        p.providerAccount(),
                        p.amount().toPlainString(),
                        p.currency());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
