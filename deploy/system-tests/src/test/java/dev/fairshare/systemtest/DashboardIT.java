package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.DemoSeed;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import java.io.File;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's chromium through chromium-driver, headless) against the
 * three services as processes, seeded with the demo world: a maker sees exactly its own numbers,
 * finance closes a period and downloads its CSV, finance pays a payout run and the maker downloads
 * its remittance advice; the demo's subscription platform's user-centric pool of the current month
 * is in its makers' pages (without any subscriber) and in finance's, declaration and split. Each
 * step saves a screenshot under {@code target/screenshots/}. On the shared stack ({@link
 * SystemStack#shared()}): it alone uses the demo world's names, and it closes the previous month.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = SystemStack.repo().resolve("deploy/system-tests/target/screenshots");

    /*
     * streamvoice's pool of the current month, worked by hand from DemoSeed: the platform declares
     * revenue 500.00 USD, makerShare 0.40, metric requests, USER_CENTRIC, no fees, so 500.00 × 0.40
     * = 200.00 goes to makers, 200.00 / 4 = 50.00 per subscriber. Its 40 pooled events are one
     * request each; event i belongs to subscriber {0,1,1,2,2,3,3,3}[i % 8] and goes to
     * xtts-v2-nordic (voicelab's, derived from coqui's xtts-v2 with royaltyShare 0.30) when the
     * subscriber is the first or i % 5 == 0, else to xtts-v2 (coqui/XTTS-v2):
     *   subscriber 0: i = 0, 8, 16, 24, 32                   5 nordic             -> nordic 50.00
     *   subscriber 1: i % 8 in {1, 2}, 10 events, i = 10, 25  2 nordic, 8 base     -> 10.00 + 40.00
     *   subscriber 2: i % 8 in {3, 4}, 10 events, i = 20, 35  2 nordic, 8 base     -> 10.00 + 40.00
     *   subscriber 3: i % 8 in {5, 6, 7}, 15 events, i = 5, 15, 30  3 nordic, 12 base -> 10.00 + 40.00
     * xtts-v2-nordic 50 + 10 + 10 + 10 = 80.00, xtts-v2 3 × 40 = 120.00; both have a POOL_SHARE
     * agreement, so all 200.00 is paid and nothing is unpaid or undistributed. (PRO_RATA would give
     * nordic 12/40 × 200 = 60.00 and xtts-v2 140.00.) The lineage cascade gives coqui 0.30 × 80.00
     * = 24.00 of nordic's part (UPSTREAM_ROYALTY) and voicelab keeps 56.00 (POOL_ROYALTY); coqui's
     * pool earnings are 120.00 + 24.00 = 144.00. Every part is a whole number of cents, so rounding
     * changes none of them.
     */
    static final int POOLED_EVENTS = 40;
    static final BigDecimal POOL_REVENUE = new BigDecimal("500.00");
    static final BigDecimal BASE_SHARE = new BigDecimal("120.00");
    static final BigDecimal NORDIC_SHARE = new BigDecimal("80.00");
    static final BigDecimal TO_MAKERS = new BigDecimal("200.00");
    static final BigDecimal UPSTREAM_OF_NORDIC = new BigDecimal("24.00");
    static final BigDecimal VOICELAB_POOL = new BigDecimal("56.00");
    static final BigDecimal COQUI_POOL = new BigDecimal("144.00");

    static SystemStack stack;
    static WebDriver browser;
    static String finance;
    static YearMonth current = YearMonth.now(ZoneOffset.UTC);
    static YearMonth previous = current.minusMonths(1);

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && !"required".equals(System.getenv("FAIRSHARE_BROWSER_TESTS"))) {
            Assumptions.abort(
                    "no /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium"
                            + " chromium-driver (.ci/run does, and requires them)");
        }
        assertThat(present).as("chromium and chromium-driver are installed").isTrue();
        stack = SystemStack.shared();
        String registry = stack.registry.url();
        DemoSeed.Seeded seeded =
                DemoSeed.seed(
                        registry,
                        stack.usage.url(),
                        LocalDate.now(ZoneOffset.UTC),
                        Infrastructure.ADMIN_PASSWORD);
        // streamvoice's user-centric pool of the current month, as the local stack's demo has it
        DemoSeed.seedPools(registry, stack.settlement.url(), LocalDate.now(ZoneOffset.UTC));
        finance =
                Http.token(
                        registry,
                        "{\"username\":\"finance\",\"password\":\""
                                + DemoSeed.DEMO_PASSWORD
                                + "\"}");
        // every accepted event is in usage's roll-ups, and settlement has stopped moving
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            long events = 0;
                            for (String platform : seeded.apiKeys().keySet()) {
                                for (YearMonth p : List.of(previous, current)) {
                                    for (JsonNode i :
                                            json(
                                                            stack.usage.url()
                                                                    + "/usage/summary?groupBy=month&platformId="
                                                                    + platform
                                                                    + "&from="
                                                                    + p.atDay(1)
                                                                    + "&to="
                                                                    + p.atEndOfMonth(),
                                                            finance)
                                                    .get("items")) {
                                        events += i.get("events").asLong();
                                    }
                                }
                            }
                            return events == seeded.events();
                        });
        // settlement has every pooled event of streamvoice in its roll-ups
        await().atMost(Duration.ofSeconds(60)).until(() -> pooledEvents() == POOLED_EVENTS);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(new Stable(() -> payouts(previous) + payouts(current)));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        browser =
                new ChromeDriver(
                        new ChromeDriverService.Builder()
                                .usingDriverExecutable(DRIVER.toFile())
                                .build(),
                        options);
        // elements of a page that is still loading are waited for
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** True once the supplied value is the same twice in a row. */
    static final class Stable implements java.util.concurrent.Callable<Boolean> {
        private final java.util.concurrent.Callable<String> value;
        private String last;

        Stable(java.util.concurrent.Callable<String> value) {
            this.value = value;
        }

        @Override
        public Boolean call() throws Exception {
            String now = value.call();
            boolean same = now.equals(last);
            last = now;
            return same;
        }
    }

    static JsonNode json(String url, String token) throws Exception {
        Http.Response r = Http.get(url, token);
        assertThat(r.status()).as("GET " + url).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    static String payouts(YearMonth p) throws Exception {
        return json(stack.settlement.url() + "/payouts/" + p, finance).get("items").toString();
    }

    /** A maker's payout of a period per currency, as the API answers it to finance. */
    static Map<String, BigDecimal> payout(YearMonth p, String makerId) throws Exception {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (JsonNode i : json(stack.settlement.url() + "/payouts/" + p, finance).get("items")) {
            if (i.get("makerId").asText().equals(makerId)) {
                out.put(i.get("currency").asText(), new BigDecimal(i.get("amount").asText()));
            }
        }
        return out;
    }

    /** The events of streamvoice's pool of the current month, as settlement splits it. */
    static long pooledEvents() throws Exception {
        long events = 0;
        for (JsonNode pool :
                json(
                                stack.settlement.url()
                                        + "/pools?platformId="
                                        + DemoSeed.SUBSCRIPTION_PLATFORM
                                        + "&period="
                                        + current,
                                finance)
                        .get("items")) {
            for (JsonNode model : pool.get("split").get("models")) {
                events += model.get("events").asLong();
            }
        }
        return events;
    }

    static String money(BigDecimal amount, String currency) {
        NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
        f.setCurrency(Currency.getInstance(currency));
        f.setMinimumFractionDigits(2);
        f.setMaximumFractionDigits(2);
        return f.format(amount);
    }

    static void signIn(String user) {
        browser.get(stack.settlement.url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(DemoSeed.DEMO_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        awaitPage("/dashboard/");
    }

    /** Waits until the browser has arrived at a page whose URL contains {@code path}. */
    static void awaitPage(String path) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> d.getCurrentUrl().contains(path));
    }

    static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(
                shot.toPath(),
                SHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the link's URL answers to the signed-in browser's session cookie. */
    static HttpResponse<byte[]> download(WebElement link) throws Exception {
        return download(link.getAttribute("href"));
    }

    /** What {@code url} answers to the signed-in browser's session cookie. */
    static HttpResponse<byte[]> download(String url) throws Exception {
        String cookie = browser.manage().getCookieNamed("fairshare_token").getValue();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Cookie", "fairshare_token=" + cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    static List<List<String>> rows(String tableId) {
        List<List<String>> out = new ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
            List<String> cells = new ArrayList<>();
            tr.findElements(By.tagName("td")).forEach(td -> cells.add(td.getText().trim()));
            out.add(cells);
        }
        return out;
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefused() throws Exception {
        browser.get(stack.settlement.url() + "/login");
        browser.findElement(By.id("username")).sendKeys("coqui");
        browser.findElement(By.id("password")).sendKeys("not-the-password");
        browser.findElement(By.id("sign-in")).click();
        assertThat(browser.findElement(By.id("login-error")).getText())
                .isEqualTo("Unknown username or wrong password.");
        screenshot("login-refused");
    }

    @Test
    @Order(2)
    void aMakerSeesExactlyItsOwnEarnings() throws Exception {
        signIn("coqui");
        awaitPage("/dashboard/maker");
        assertThat(browser.findElement(By.id("maker-name")).getText()).isEqualTo("Coqui");

        // this period so far, and each period's total: the API's payouts of coqui, formatted
        Map<String, BigDecimal> accrual = payout(current, "coqui");
        assertThat(accrual).containsOnlyKeys("EUR", "USD");
        for (var e : accrual.entrySet()) {
            assertThat(browser.findElement(By.id("accrual-" + e.getKey())).getText())
                    .isEqualTo(money(e.getValue(), e.getKey()));
        }
        int totals = 0;
        for (YearMonth p : List.of(previous, current)) {
            for (var e : payout(p, "coqui").entrySet()) {
                assertThat(browser.findElement(By.id("total-" + p + "-" + e.getKey())).getText())
                        .isEqualTo(money(e.getValue(), e.getKey()));
                totals++;
            }
        }
        assertThat(rows("totals")).hasSize(totals);
        // the chart was drawn from the webjar's echarts (nothing fetched from the internet)
        assertThat(browser.findElements(By.cssSelector("#chart canvas"))).isNotEmpty();

        // only coqui's lines: royalties of its own model, upstream from the model derived from it
        for (List<String> row : rows("earnings")) {
            if (row.get(0).equals("ROYALTY")) {
                assertThat(row.get(1)).isEqualTo("xtts-v2");
            }
            if (row.get(0).equals("UPSTREAM_ROYALTY")) {
                assertThat(row.get(2)).isEqualTo("xtts-v2-nordic");
            }
        }
        assertThat(rows("earnings"))
                .extracting(r -> r.get(0))
                .contains("ROYALTY", "UPSTREAM_ROYALTY");
        assertThat(browser.getPageSource()).doesNotContain("id=\"accrual-" + "JPY");
        // every use of coqui's models is under an agreement (voicelab's is not: see below)
        assertThat(rows("unlicensed"))
                .containsExactly(List.of("Every use of your models is covered by an agreement."));
        screenshot("maker");

        // the number links to the lines behind it, and they are all coqui's
        browser.findElement(By.id("total-" + current + "-USD")).click();
        awaitPage("/dashboard/lines/");
        List<List<String>> lines = rows("lines");
        assertThat(lines).isNotEmpty().allSatisfy(r -> assertThat(r.get(0)).isEqualTo("coqui"));
        assertThat(browser.findElement(By.id("lines-total")).getText())
                .isEqualTo(money(accrual.get("USD"), "USD"));
        screenshot("maker-lines");

        // another maker's numbers are not reachable by URL either: the API takes no cookie at all
        browser.get(stack.settlement.url() + "/payouts/" + current + "?makerId=voicelab");
        assertThat(browser.getPageSource()).contains("UNAUTHORIZED");

        browser.get(stack.settlement.url() + "/dashboard/maker");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("maker-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");
        browser.get(stack.settlement.url() + "/dashboard/maker");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    @Test
    @Order(3)
    void aMakerSeesWhoUsesItsModelsWithoutPaying() throws Exception {
        // nimbus-ai serves voicelab's non-commercial model without an agreement
        signIn("voicelab");
        List<List<String>> unlicensed = rows("unlicensed");
        assertThat(unlicensed).isNotEmpty();
        assertThat(unlicensed)
                .allSatisfy(
                        r -> {
                            assertThat(r.get(1)).isEqualTo("Nimbus AI");
                            assertThat(r.get(2)).isEqualTo("xtts-v2-nordic");
                            assertThat(r.get(7))
                                    .isEqualTo(
                                            r.get(3).equals("COMMERCIAL")
                                                    ? "compliance finding"
                                                    : "");
                        });
        assertThat(unlicensed).extracting(r -> r.get(3)).contains("COMMERCIAL");
        screenshot("maker-unlicensed");
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");
    }

    @Test
    @Order(4)
    void financeClosesAPeriodAndDownloadsItsCsv() throws Exception {
        signIn("finance");
        awaitPage("/dashboard/finance");
        assertThat(browser.findElement(By.id("status-" + previous)).getText()).isEqualTo("OPEN");
        // usage-service set no inbound record aside, and finance is told so (QuarantineIT sets one)
        assertThat(browser.findElement(By.id("quarantined")).getText())
                .contains("No inbound record was set aside.");

        // invoices as the API has them
        JsonNode invoices = json(stack.settlement.url() + "/invoices/" + previous, finance);
        for (JsonNode i : invoices.get("items")) {
            String cur = i.get("currency").asText();
            assertThat(
                            browser.findElement(
                                            By.id(
                                                    "invoice-"
                                                            + i.get("platformId").asText()
                                                            + "-"
                                                            + cur))
                                    .getText())
                    .isEqualTo(money(new BigDecimal(i.get("amount").asText()), cur));
        }
        screenshot("finance");

        // close the previous month now (before its grace period ends, if it has not), confirmed
        browser.findElement(By.id("force-" + previous)).click();
        browser.findElement(By.id("close-" + previous)).click();
        browser.switchTo().alert().accept();
        assertThat(browser.findElement(By.id("message")).getText())
                .startsWith("Closed " + previous);
        assertThat(browser.findElement(By.id("status-" + previous)).getText()).isEqualTo("CLOSED");
        assertThat(
                        json(stack.settlement.url() + "/payouts/" + previous, finance)
                                .get("status")
                                .asText())
                .isEqualTo("CLOSED");
        screenshot("finance-closed");

        // closing the current month is refused with the grace rule explained
        browser.findElement(By.id("close-" + current)).click();
        browser.switchTo().alert().accept();
        assertThat(browser.findElement(By.id("error")).getText())
                .contains("grace period")
                .contains("tick the box");
        screenshot("finance-refused");

        // the CSV behind the link, with the browser's own cookie: one row per statement line,
        // summing to the invoices
        browser.get(stack.settlement.url() + "/dashboard/finance?period=" + previous);
        HttpResponse<byte[]> csv = download(browser.findElement(By.id("csv")));
        assertThat(csv.statusCode()).isEqualTo(200);
        var records =
                org.apache.commons.csv.CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(new StringReader(new String(csv.body(), StandardCharsets.UTF_8)))
                        .getRecords();
        assertThat(records)
                .hasSize(
                        json(
                                        stack.settlement.url()
                                                + "/statements/"
                                                + previous
                                                + "?size=1",
                                        finance)
                                .get("total")
                                .asInt());
        Map<String, BigDecimal> byInvoice = new TreeMap<>();
        records.forEach(
                r ->
                        byInvoice.merge(
                                r.get("platformId") + "-" + r.get("currency"),
                                new BigDecimal(r.get("amount")),
                                BigDecimal::add));
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (JsonNode i : invoices.get("items")) {
            expected.put(
                    i.get("platformId").asText() + "-" + i.get("currency").asText(),
                    new BigDecimal(i.get("amount").asText()));
        }
        assertThat(byInvoice.keySet()).isEqualTo(expected.keySet());
        byInvoice.forEach((k, v) -> assertThat(v).isEqualByComparingTo(expected.get(k)));
    }

    @Test
    @Order(5)
    void financePaysAPayoutRunAndTheMakerDownloadsItsRemittance() throws Exception {
        String settlement = stack.settlement.url();
        // what the closed month owes voicelab: USD only (acme-cloud's agreement), so a USD run
        // needs no FX rate
        Map<String, BigDecimal> owed = payout(previous, "voicelab");
        assertThat(owed).containsOnlyKeys("USD");
        BigDecimal amount = owed.get("USD");
        assertThat(amount).isGreaterThanOrEqualTo(new BigDecimal("1.00"));
        String paid = amount.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();

        // set up through the API: voicelab's profile (USD to an IBAN, the smallest threshold), a
        // run created by finance and approved by finance2
        Http.putExpect(
                settlement + "/payout-profiles/voicelab",
                "{\"currency\":\"USD\",\"threshold\":\"1.00\",\"payeeName\":\"VoiceLab AB\","
                        + "\"iban\":\"DE89370400440532013000\",\"bic\":\"COBADEFFXXX\"}",
                200,
                token("voicelab"));
        JsonNode created =
                MAPPER.readTree(
                        Http.postExpect(
                                settlement + "/payout-runs",
                                "{\"currency\":\"USD\",\"asOf\":\""
                                        + LocalDate.now(ZoneOffset.UTC)
                                        + "\"}",
                                201,
                                finance));
        long run = created.get("id").asLong();
        JsonNode line = null;
        for (JsonNode l : created.get("lines")) {
            if (l.get("makerId").asText().equals("voicelab")) {
                line = l;
            }
        }
        assertThat(line).as("voicelab's line of run " + run).isNotNull();
        assertThat(new BigDecimal(line.get("amount").asText())).isEqualByComparingTo(amount);
        long lineId = line.get("id").asLong();
        Http.postExpect(
                settlement + "/payout-runs/" + run + "/approve", "", 200, token("finance2"));

        // finance sees the approved run and downloads its payment file
        signIn("finance");
        browser.findElement(By.id("payouts-link")).click();
        awaitPage("/dashboard/payouts");
        assertThat(browser.findElement(By.cssSelector("#run-" + run + " .status")).getText())
                .isEqualTo("APPROVED");
        assertThat(rowOf("line-" + lineId)).containsSequence("voicelab", "VoiceLab AB");
        assertThat(rowOf("line-" + lineId)).contains(paid, "PENDING");
        screenshot("finance-payouts");
        HttpResponse<byte[]> pain001 = download(browser.findElement(By.id("pain001-" + run)));
        assertThat(pain001.statusCode()).isEqualTo(200);
        String xml = new String(pain001.body(), StandardCharsets.UTF_8);
        assertThat(xml)
                .contains("pain.001.001.09")
                .contains("<EndToEndId>FS-" + run + "-" + lineId + "</EndToEndId>")
                .contains("<InstdAmt Ccy=\"USD\">" + paid + "</InstdAmt>")
                .contains("<Nm>VoiceLab AB</Nm>")
                .contains("<IBAN>DE89370400440532013000</IBAN>");

        // the bank paid it: finance marks the line with the bank's reference
        browser.navigate().refresh();
        assertThat(browser.findElement(By.cssSelector("#run-" + run + " .status")).getText())
                .isEqualTo("EXPORTED");
        browser.findElement(By.cssSelector("#paid-" + lineId + " input[name=reference]"))
                .sendKeys("BANK-REF-22");
        browser.findElement(By.cssSelector("#paid-" + lineId + " button")).click();
        assertThat(browser.findElement(By.id("message")).getText())
                .isEqualTo("A line of run " + run + " is marked.");
        assertThat(rowOf("line-" + lineId)).contains("PAID (BANK-REF-22)");
        assertThat(browser.findElement(By.cssSelector("#run-" + run + " .status")).getText())
                .isEqualTo("COMPLETED");
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");

        // the maker follows its remittance link: a PDF with its payee name and the amount paid
        signIn("voicelab");
        browser.findElement(By.id("payouts-link")).click();
        awaitPage("/dashboard/payouts");
        assertThat(browser.findElements(By.cssSelector("#run-" + run + " tbody tr"))).hasSize(1);
        screenshot("maker-payouts");
        HttpResponse<byte[]> pdf =
                download(browser.findElement(By.id("remittance-" + run + "-voicelab")));
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/pdf");
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        String text;
        try (org.apache.pdfbox.pdmodel.PDDocument doc =
                org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            text =
                    new org.apache.pdfbox.text.PDFTextStripper()
                            .getText(doc)
                            .replaceAll("\\s+", " ");
        }
        assertThat(text)
                .contains("VoiceLab AB")
                .contains("Amount paid: " + paid + " USD")
                .contains("reference BANK-REF-22");
        // another maker's advice is not served to it
        assertThat(
                        download(
                                        settlement
                                                + "/dashboard/payouts/remittances/"
                                                + run
                                                + "/coqui.pdf")
                                .statusCode())
                .isEqualTo(403);
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");
    }

    @Test
    @Order(6)
    void aMakerSeesItsPoolEarningsAndNoSubscriber() throws Exception {
        // coqui: its base model's part and its upstream share of the derived model's part
        signIn("coqui");
        awaitPage("/dashboard/maker");
        assertOnlyPoolEarnings(COQUI_POOL);
        // the current period's sources (a model's own royalty names the model as its source):
        // the pool's lines on their own rows
        assertThat(rows("earnings"))
                .contains(
                        poolEarning("POOL_ROYALTY", "xtts-v2", "xtts-v2", BASE_SHARE),
                        poolEarning(
                                "UPSTREAM_ROYALTY",
                                "xtts-v2",
                                "xtts-v2-nordic",
                                UPSTREAM_OF_NORDIC));
        // every model of the pool has a POOL_SHARE agreement: no unpaid pool share
        assertThat(browser.getPageSource()).doesNotContain("id=\"pools-unpaid\"");
        assertNoSubscriber();
        scrollTo(By.id("pools"));
        screenshot("maker-pools");
        // nor in the lines behind the current period's USD total, which hold the pool's lines
        browser.findElement(By.id("total-" + current + "-USD")).click();
        awaitPage("/dashboard/lines/");
        assertNoSubscriber();
        browser.get(stack.settlement.url() + "/dashboard/maker");
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");

        // voicelab: what its derived model keeps of its part
        signIn("voicelab");
        assertOnlyPoolEarnings(VOICELAB_POOL);
        assertThat(rows("earnings"))
                .contains(
                        poolEarning(
                                "POOL_ROYALTY", "xtts-v2-nordic", "xtts-v2-nordic", VOICELAB_POOL));
        assertNoSubscriber();
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");
    }

    /** The signed-in maker's pool section: one row, streamvoice's pool of this month. */
    static void assertOnlyPoolEarnings(BigDecimal earned) {
        assertThat(rows("pools"))
                .containsExactly(
                        List.of(
                                current.toString(),
                                "StreamVoice",
                                "USER_CENTRIC",
                                money(earned, "USD")));
        String cell = "pool-" + current + "-" + DemoSeed.SUBSCRIPTION_PLATFORM + "-USD";
        assertThat(browser.findElement(By.id(cell)).getText()).isEqualTo(money(earned, "USD"));
    }

    /** A row of the maker's sources table for streamvoice's pool of this month. */
    static List<String> poolEarning(
            String kind, String modelId, String sourceModelId, BigDecimal amount) {
        return List.of(kind, modelId, sourceModelId, "StreamVoice", money(amount, "USD"));
    }

    /** Scrolls the page so that the element is at the top of the screenshot. */
    static void scrollTo(By element) {
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("arguments[0].scrollIntoView()", browser.findElement(element));
    }

    /** No subscriber of the demo appears anywhere in the page's HTML. */
    static void assertNoSubscriber() {
        String html = browser.getPageSource();
        for (String subscriber : DemoSeed.SUBSCRIBERS) {
            assertThat(html).as(browser.getCurrentUrl()).doesNotContain(subscriber);
        }
    }

    @Test
    @Order(7)
    void financeSeesThePoolItsDeclarationSplitAndUnpaidPart() throws Exception {
        String id = "pool-" + DemoSeed.SUBSCRIPTION_PLATFORM;
        signIn("finance");
        browser.get(stack.settlement.url() + "/dashboard/finance?period=" + current);
        assertThat(browser.findElement(By.cssSelector("#" + id + " h3")).getText())
                .isEqualTo("StreamVoice · USER_CENTRIC");
        // the platform's declaration, as streamvoice's account made it
        assertThat(browser.findElement(By.cssSelector("#" + id + " p")).getText())
                .matches(
                        "Declared by streamvoice at \\S+: revenue "
                                + java.util.regex.Pattern.quote(money(POOL_REVENUE, "USD"))
                                + ", makers' share 0\\.4, metric requests\\.");
        // the split per model (never per subscriber), and what is paid and unpaid
        assertThat(rows(id + "-split"))
                .containsExactly(
                        List.of("xtts-v2", "Coqui", money(BASE_SHARE, "USD"), "paid"),
                        List.of("xtts-v2-nordic", "VoiceLab", money(NORDIC_SHARE, "USD"), "paid"));
        assertThat(browser.findElement(By.id(id + "-to-makers")).getText())
                .isEqualTo(money(TO_MAKERS, "USD"));
        assertThat(browser.findElement(By.id(id + "-paid")).getText())
                .isEqualTo(money(TO_MAKERS, "USD"));
        assertThat(browser.findElement(By.id(id + "-unpaid")).getText())
                .isEqualTo(money(BigDecimal.ZERO, "USD"));
        assertThat(browser.findElement(By.id(id + "-undistributed")).getText())
                .isEqualTo(money(BigDecimal.ZERO, "USD"));
        // streamvoice is invoiced what its pool pays
        assertThat(
                        browser.findElement(
                                        By.id("invoice-" + DemoSeed.SUBSCRIPTION_PLATFORM + "-USD"))
                                .getText())
                .isEqualTo(money(TO_MAKERS, "USD"));
        scrollTo(By.id(id));
        screenshot("finance-pools");
        browser.findElement(By.id("sign-out")).click();
        awaitPage("/login");
    }

    /** The cells of the table row with id {@code rowId}. */
    static List<String> rowOf(String rowId) {
        List<String> cells = new ArrayList<>();
        browser.findElement(By.id(rowId))
                .findElements(By.tagName("td"))
                .forEach(td -> cells.add(td.getText().trim()));
        return cells;
    }

    static String token(String user) {
        return Http.token(
                stack.registry.url(),
                "{\"username\":\"" + user + "\",\"password\":\"" + DemoSeed.DEMO_PASSWORD + "\"}");
    }
}
