package dev.fairshare.settlement.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A remittance advice (DESIGN.md "Payouts"): what a payout run pays one maker, rendered from the
 * Qute template {@code remittance.html} (XHTML) to PDF by openhtmltopdf.
 */
@ApplicationScoped
public class RemittancePdf {

    /** What the advice shows; amounts are already formatted at their minor unit. */
    @TemplateData
    public record Remittance(
            long runId,
            String currency,
            String asOf,
            String runStatus,
            String makerId,
            String payeeName,
            String account,
            boolean paid,
            String amount,
            String lineStatus,
            String reference,
            List<Part> parts,
            List<PeriodTotal> periods,
            List<Carried> carryForwards) {}

    @TemplateData
    public record Part(
            String currency, String balance, String rate, String source, String converted) {}

    @TemplateData
    public record PeriodTotal(String period, String currency, String total) {}

    @TemplateData
    public record Carried(String currency, String balance, String reason) {}

    private final Template template;

    public RemittancePdf(@Location("remittance.html") Template template) {
        this.template = template;
    }

    public byte[] render(Remittance r) {
        String html = template.data("r", r).render();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.withHtmlContent(html, null);
            builder.toStream(out);
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
