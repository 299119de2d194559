package dev.fairshare.settlement;

import static dev.fairshare.settlement.DashboardWorld.BASE;
import static dev.fairshare.settlement.DashboardWorld.DERIVED;
import static dev.fairshare.settlement.DashboardWorld.DERIVER;
import static dev.fairshare.settlement.DashboardWorld.FJORD;
import static dev.fairshare.settlement.DashboardWorld.GALE;
import static dev.fairshare.settlement.DashboardWorld.JULY;
import static dev.fairshare.settlement.DashboardWorld.MAKER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Line;
import dev.fairshare.settlement.service.dashboard.DashboardViews.LinesPage;
import dev.fairshare.settlement.service.dashboard.StatementLines;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lines behind a dashboard number ({@link StatementLines}), in July of {@link DashboardWorld}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class StatementLinesTest {
    static final Line ADA_ROYALTY =
            new Line(
                    MAKER,
                    "Fjord Cloud",
                    BASE,
                    "ROYALTY",
                    BASE,
                    "COMMERCIAL",
                    "150.5",
                    "$30.10",
                    "");
    static final Line ADA_UPSTREAM =
            new Line(
                    MAKER,
                    "Fjord Cloud",
                    BASE,
                    "UPSTREAM_ROYALTY",
                    DERIVED,
                    "COMMERCIAL",
                    "40",
                    "$4.00",
                    "");
    static final Line DEE_ROYALTY =
            new Line(
                    DERIVER,
                    "Fjord Cloud",
                    DERIVED,
                    "ROYALTY",
                    DERIVED,
                    "COMMERCIAL",
                    "200",
                    "$36.00",
                    "");

    @Inject StatementLines lines;

    @BeforeEach
    void world() {
        DashboardWorld.seed();
    }

    @Test
    void aMakerSeesItsOwnLinesOfAFilterAndTheirTotal() {
        LinesPage page =
                lines.page(
                        "ada",
                        MAKER,
                        JULY,
                        new StatementLines.Filter(null, null, null, null, "USD"));
        assertThat(page.lines()).containsExactlyInAnyOrder(ADA_ROYALTY, ADA_UPSTREAM);
        assertThat(page.total()).isEqualTo("$34.10");
        assertThat(page.filter()).isEqualTo("USD");
        assertThat(page.period()).isEqualTo("2026-07");
        assertThat(page.status()).isEqualTo("OPEN");
        assertThat(page.home()).isEqualTo("/dashboard/maker?period=2026-07");

        LinesPage upstream =
                lines.page(
                        "ada",
                        MAKER,
                        JULY,
                        new StatementLines.Filter("UPSTREAM_ROYALTY", FJORD, BASE, DERIVED, "USD"));
        assertThat(upstream.lines()).containsExactly(ADA_UPSTREAM);
        assertThat(upstream.total()).isEqualTo("$4.00");
        assertThat(upstream.filter())
                .isEqualTo("UPSTREAM_ROYALTY · dv-fjord · dv-base · dv-derived · USD");

        LinesPage none =
                lines.page(
                        "ada",
                        MAKER,
                        JULY,
                        new StatementLines.Filter(null, GALE, null, null, null));
        assertThat(none.lines()).isEmpty();
        assertThat(none.total()).isEmpty();
    }

    @Test
    void financeSeesEveryMakersLinesOfAPlatform() {
        LinesPage page =
                lines.page(
                        "fin",
                        null,
                        JULY,
                        new StatementLines.Filter(null, FJORD, null, null, "USD"));
        assertThat(page.lines()).containsExactlyInAnyOrder(ADA_ROYALTY, ADA_UPSTREAM, DEE_ROYALTY);
        assertThat(page.total()).isEqualTo("$70.10");
        assertThat(page.filter()).isEqualTo("dv-fjord · USD");
        assertThat(page.home()).isEqualTo("/dashboard/finance?period=2026-07");
    }
}
