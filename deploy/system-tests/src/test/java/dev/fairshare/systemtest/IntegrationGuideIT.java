package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.KafkaSecurity;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every code block of docs/integrating.md against a running stack, as the platform {@value
 * #PLATFORM} onboarded for it, and checks what each did: the events stored (by id, through the
 * usage API), the rejected ones with their exact codes, the dead letters on {@code usage.dlq} (read
 * as the broker's super user) and that the platform itself cannot read them. Bash blocks run with
 * bash (curl, kcat), Python blocks with Debian's /usr/bin/python3 (requests, confluent-kafka), the
 * Java block as a single-file source program with kafka-clients.
 */
@ExtendWith(PlatformStack.class)
@Order(2)
class IntegrationGuideIT {
    static final String PLATFORM = "nimbus-ai";
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A fenced block of the guide: its language, its name ({@code test:<name>}), its code. */
    record Snippet(String language, String name, String code) {}

    /** What a block printed and how it ended. */
    record Run(int exit, String stdout, String stderr) {}

    static SystemStack stack;
    static Map<String, Snippet> snippets;
    static List<String> unmarked;
    static Map<String, String> environment;
    static String platformToken;
    static Path work;
    static final Set<String> ran = new LinkedHashSet<>();

    @BeforeAll
    static void setUp(SystemStack shared) throws Exception {
        stack = shared;
        read(Files.readString(SystemStack.repo().resolve("docs/integrating.md")));
        work = SystemStack.repo().resolve("deploy/system-tests/target/integration-guide");
        Files.createDirectories(work);

        String admin =
                Http.token(
                        stack.registry.url(),
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        JsonNode kafka =
                MAPPER.readTree(
                                Http.postExpect(
                                        stack.registry.url() + "/platforms",
                                        "{\"id\":\"" + PLATFORM + "\",\"name\":\"Nimbus AI\"}",
                                        201,
                                        admin))
                        .get("kafka");
        String apiKey =
                MAPPER.readTree(
                                Http.postExpect(
                                        stack.registry.url()
                                                + "/platforms/"
                                                + PLATFORM
                                                + "/api-keys",
                                        "",
                                        201,
                                        admin))
                        .get("apiKey")
                        .asText();
        environment = new LinkedHashMap<>();
        environment.put("FAIRSHARE_AUTH_URL", stack.registry.url());
        environment.put("FAIRSHARE_USAGE_URL", stack.usage.url());
        environment.put("FAIRSHARE_PLATFORM_ID", PLATFORM);
        environment.put("FAIRSHARE_API_KEY", apiKey);
        environment.put("KAFKA_BOOTSTRAP", kafka.get("bootstrapServers").asText());
        environment.put("KAFKA_SECURITY_PROTOCOL", kafka.get("securityProtocol").asText());
        environment.put("KAFKA_USERNAME", kafka.get("username").asText());
        environment.put("KAFKA_PASSWORD", kafka.get("password").asText());
        assertThat(kafka.get("saslMechanism").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(kafka.get("topic").asText()).isEqualTo("usage.in." + PLATFORM);
        platformToken = Http.token(stack.registry.url(), "{\"apiKey\":\"" + apiKey + "\"}");

        // the platform is ready for the guide once usage-service knows it (an event over HTTP is
        // accepted) and its topic takes its principal's records: one probe event each way, which
        // the counts below include
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                MAPPER.readTree(
                                                        Http.post(
                                                                        stack.usage.url()
                                                                                + "/usage-events",
                                                                        "["
                                                                                + probe(
                                                                                        "it-probe-http")
                                                                                + "]",
                                                                        platformToken)
                                                                .body())
                                                .path("accepted")
                                                .asInt()
                                        == 1);
        try (KafkaProducer<String, String> producer = platformProducer()) {
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    producer.send(
                                                            new ProducerRecord<>(
                                                                    "usage.in." + PLATFORM,
                                                                    "it-probe-kafka",
                                                                    probe("it-probe-kafka")))
                                                    .get(10, TimeUnit.SECONDS)
                                            != null);
        }
    }

    static String probe(String eventId) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"platformId\":\""
                + PLATFORM
                + "\",\"modelRef\":\"coqui/XTTS-v2\",\"occurredAt\":\""
                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1},"
                + "\"revenue\":{\"amount\":\"0\",\"currency\":\"USD\"}}";
    }

    /** The client properties of the platform's principal, with its password from onboarding. */
    static Map<String, Object> platformClient() {
        return stack.infra
                .broker()
                .clientProperties(
                        environment.get("KAFKA_USERNAME"), environment.get("KAFKA_PASSWORD"));
    }

    static KafkaProducer<String, String> platformProducer() {
        Map<String, Object> p = platformClient();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(p);
    }

    /** A consumer of raw records as the principal of {@code properties}. */
    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> properties) {
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(properties);
    }

    /** The guide's fenced blocks, in order, and the info strings of those without a test name. */
    static void read(String markdown) {
        snippets = new LinkedHashMap<>();
        unmarked = new ArrayList<>();
        Pattern marker = Pattern.compile("^(\\w+)\\s+test:([\\w-]+)$");
        String info = null;
        StringBuilder code = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (info == null && line.startsWith("```")) {
                info = line.substring(3).trim();
                code.setLength(0);
            } else if (info != null && line.equals("```")) {
                Matcher m = marker.matcher(info);
                if (m.matches()) {
                    Snippet previous =
                            snippets.put(
                                    m.group(2),
                                    new Snippet(m.group(1), m.group(2), code.toString()));
                    assertThat(previous).as("two blocks named " + m.group(2)).isNull();
                } else {
                    unmarked.add(info);
                }
                info = null;
            } else if (info != null) {
                code.append(line).append('\n');
            }
        }
        assertThat(info).as("a fenced block is not closed").isNull();
    }

    static Snippet snippet(String name) {
        Snippet s = snippets.get(name);
        assertThat(s).as("docs/integrating.md has a block marked test:" + name).isNotNull();
        ran.add(name);
        return s;
    }

    /** Runs bash blocks as one script (a later block uses what an earlier one set). */
    static Run bash(String... names) throws Exception {
        return bash(true, names);
    }

    static Run bash(boolean succeeds, String... names) throws Exception {
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            Snippet s = snippet(name);
            assertThat(s.language()).isEqualTo("bash");
            script.append(s.code()).append('\n');
        }
        return run(
                List.of("bash", "-euo", "pipefail", "-c", script.toString()), names[0], succeeds);
    }

    static Run python(String name) throws Exception {
        return python(true, name);
    }

    static Run python(boolean succeeds, String name) throws Exception {
        Snippet s = snippet(name);
        assertThat(s.language()).isEqualTo("python");
        Path file = work.resolve(name + ".py");
        Files.writeString(file, s.code());
        // Debian's python3, which sees python3-requests and python3-confluent-kafka
        return run(List.of("/usr/bin/python3", file.toString()), name, succeeds);
    }

    /** The Java block as a single-file source program, with kafka-clients on its class path. */
    static Run java(String name) throws Exception {
        Snippet s = snippet(name);
        assertThat(s.language()).isEqualTo("java");
        Path file = work.resolve(name).resolve("Program.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, s.code());
        String classPath =
                List.of(
                                KafkaProducer.class,
                                org.slf4j.LoggerFactory.class,
                                org.slf4j.simple.SimpleLogger.class)
                        .stream()
                        .map(c -> jarOf(c))
                        .collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return run(
                List.of(
                        java,
                        "-cp",
                        classPath,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        file.toString()),
                name,
                true);
    }

    static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a command with the guide's variables; fails unless it exits 0 ({@code succeeds}) or not.
     */
    static Run run(List<String> command, String name, boolean succeeds) throws Exception {
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(work.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end within 120 s: " + Files.readString(err));
        }
        Run run =
                new Run(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
        if (succeeds) {
            assertThat(run.exit())
                    .as(name + " exited with " + run.exit() + "; stderr: " + run.stderr())
                    .isZero();
        } else {
            assertThat(run.exit()).as(name + " was expected to fail: " + run.stdout()).isNotZero();
        }
        return run;
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** The stored event, or null while usage-service has not stored it. */
    static JsonNode stored(String eventId) throws Exception {
        Http.Response r =
                Http.get(
                        stack.usage.url() + "/usage/events/" + PLATFORM + "/" + eventId,
                        platformToken);
        assertThat(r.status()).as(r.body()).isIn(200, 404);
        return r.status() == 200 ? json(r.body()) : null;
    }

    static void awaitStored(String... eventIds) {
        for (String id : eventIds) {
            await().atMost(Duration.ofSeconds(60))
                    .alias(id + " stored")
                    .until(() -> stored(id) != null);
        }
    }

    /** The ids of every event of the platform that usage-service stored. */
    static Set<String> storedIds() throws Exception {
        JsonNode page =
                json(
                        Http.get(
                                        stack.usage.url()
                                                + "/usage/events?platformId="
                                                + PLATFORM
                                                + "&size=1000",
                                        platformToken)
                                .body());
        Set<String> ids = new TreeSet<>();
        page.get("items").forEach(e -> ids.add(e.get("eventId").asText()));
        assertThat(page.get("total").asInt()).isEqualTo(ids.size());
        return ids;
    }

    /** The platform's dead letters: (key, error.code) of each, read as the broker's super user. */
    static List<List<String>> deadLetters() {
        List<List<String>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                consumer(stack.infra.broker().clientProperties(KafkaSecurity.SUPER_USER))) {
            TopicPartition dlq = new TopicPartition("usage.dlq", 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            long end = consumer.endOffsets(List.of(dlq)).get(dlq);
            while (consumer.position(dlq) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (("usage.in." + PLATFORM).equals(header(r, "source.topic"))) {
                        letters.add(
                                List.of(
                                        new String(r.key(), StandardCharsets.UTF_8),
                                        header(r, "error.code")));
                    }
                }
            }
        }
        return letters;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void everyBlockIsRunAndTheVariablesAreTheOnesTheBlocksUse() throws Exception {
        assertThat(unmarked).as("fenced blocks without test:<name>").isEmpty();
        Pattern exported = Pattern.compile("(?m)^export ([A-Z_]+)=");
        Set<String> declared = new TreeSet<>();
        Matcher m = exported.matcher(snippet("env").code());
        while (m.find()) {
            declared.add(m.group(1));
        }
        Pattern variable = Pattern.compile("\\b((?:FAIRSHARE|KAFKA)_[A-Z_]+)\\b");
        Set<String> used = new TreeSet<>();
        snippets.values().stream()
                .filter(s -> !s.name().equals("env"))
                .forEach(
                        s -> {
                            Matcher v = variable.matcher(s.code());
                            while (v.find()) {
                                used.add(v.group(1));
                            }
                        });
        assertThat(declared).isEqualTo(used).isEqualTo(new TreeSet<>(environment.keySet()));
        // the local stack's command is the README's
        String readmeCommand =
                Files.readString(SystemStack.repo().resolve("README.md"))
                        .lines()
                        .filter(l -> l.startsWith("./"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[0];
        assertThat(snippet("local-stack").code().strip()).isEqualTo(readmeCommand);
    }

    @Test
    void aPlatformCannotReadItsDeadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(platformClient())) {
            TopicPartition dlq = new TopicPartition("usage.dlq", 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void everySnippetDoesWhatTheGuideSays() throws Exception {
        // HTTP: a batch with one event in a lowercase currency
        JsonNode first = json(bash("curl-token", "curl-post").stdout());
        assertThat(first.get("accepted").asInt()).isEqualTo(1);
        assertThat(first.get("duplicates").asInt()).isZero();
        assertRejected(first, 1, "guide-curl-2", "BAD_CURRENCY", "revenue.currency");
        awaitStored("guide-curl-1");

        // the corrected event, same id, as NDJSON
        JsonNode fixed = json(bash("curl-token", "curl-ndjson").stdout());
        assertThat(fixed.get("accepted").asInt()).isEqualTo(1);
        assertThat(fixed.get("duplicates").asInt()).isZero();
        assertThat(fixed.get("rejected")).isEmpty();
        awaitStored("guide-curl-2");

        // Python requests: two accepted, one rejected for its negative units
        assertThat(python("python-requests").stdout())
                .isEqualTo(
                        "accepted 2, duplicates 0\nguide-py-3 NEGATIVE_UNITS (units.requests)\n");
        awaitStored("guide-py-1", "guide-py-2");
        assertThat(stored("guide-py-3")).isNull();

        // the replay: the same batch once its events are stored
        JsonNode replay = json(bash("curl-token", "curl-post").stdout());
        assertThat(replay.get("accepted").asInt()).isZero();
        assertThat(replay.get("duplicates").asInt()).isEqualTo(1);
        assertRejected(replay, 1, "guide-curl-2", "BAD_CURRENCY", "revenue.currency");

        // a conflict: the same id with other content is a duplicate, and the first stays
        List<String> conflict = bash("curl-token", "curl-conflict").stdout().lines().toList();
        assertThat(conflict).hasSize(2);
        JsonNode answer = json(conflict.get(0));
        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected")).isEmpty();
        JsonNode shown = json(conflict.get(1));
        assertThat(shown.get("eventId").asText()).isEqualTo("guide-curl-1");
        assertThat(new BigDecimal(shown.at("/revenue/amount").asText()))
                .isEqualByComparingTo("0.0123");
        assertThat(new BigDecimal(shown.at("/units/characters").asText()))
                .isEqualByComparingTo("420");
        assertThat(new BigDecimal(stored("guide-curl-1").at("/revenue/amount").asText()))
                .isEqualByComparingTo("0.0123");

        // Kafka: kcat and confluent-kafka (when their librdkafka can do SCRAM with Kafka 4)
        List<String> expected = new ArrayList<>();
        if (scramWorks(kcatLibrdkafka())) {
            bash("kcat-produce");
            awaitStored("guide-kcat-1", "guide-kcat-2");
            assertThat(stored("guide-kcat-2").get("customerType").asText())
                    .isEqualTo("NON_COMMERCIAL");
            expected.addAll(List.of("guide-kcat-1", "guide-kcat-2"));
        } else {
            assertRefused(bash(false, "kcat-produce"));
        }
        if (scramWorks(pythonLibrdkafka())) {
            assertThat(python("python-kafka").stdout()).isEqualTo("delivered 2\n");
            awaitStored("guide-pyk-1", "guide-pyk-2");
            assertThat(new BigDecimal(stored("guide-pyk-2").at("/units/requests").asText()))
                    .isEqualByComparingTo("3");
            expected.addAll(List.of("guide-pyk-1", "guide-pyk-2"));
        } else {
            Run refused = python(false, "python-kafka");
            // the snippet's own message, after librdkafka's log lines
            assertThat(refused.stderr().strip().lines().reduce((x, y) -> y).orElseThrow())
                    .startsWith("Kafka refused the credentials: ");
            assertRefused(refused);
        }

        // the Java client: two stored, the third a dead letter
        assertThat(java("java-kafka").stdout()).isEqualTo("delivered 3\n");
        awaitStored("guide-java-1", "guide-java-2");
        assertThat(stored("guide-java-2").get("customerType").asText()).isEqualTo("NON_COMMERCIAL");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(deadLetters())
                                        .containsExactly(List.of("guide-java-3", "MISSING_FIELD")));

        // what a platform does instead of reading the dead letters
        assertThat(bash("curl-token", "check-stored").stdout())
                .isEqualTo("guide-java-1 200\nguide-java-3 404\n");
        JsonNode quarantine = json(bash("curl-token", "quarantine").stdout());
        assertThat(quarantine.get("total").asInt()).isZero();
        assertThat(quarantine.get("items")).isEmpty();
        JsonNode corrected = json(bash("curl-token", "curl-fix").stdout());
        assertThat(corrected.get("accepted").asInt()).isEqualTo(1);
        assertThat(corrected.get("duplicates").asInt()).isZero();
        assertThat(corrected.get("rejected")).isEmpty();
        awaitStored("guide-java-3");
        assertThat(stored("guide-java-3").get("customerType").asText()).isEqualTo("COMMERCIAL");

        // every event stored once, the probes included, and one dead letter only
        expected.addAll(
                List.of(
                        "it-probe-http",
                        "it-probe-kafka",
                        "guide-curl-1",
                        "guide-curl-2",
                        "guide-py-1",
                        "guide-py-2",
                        "guide-java-1",
                        "guide-java-2",
                        "guide-java-3"));
        assertThat(storedIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(deadLetters()).containsExactly(List.of("guide-java-3", "MISSING_FIELD"));

        // every block of the guide ran (env and local-stack are checked by the other test)
        Set<String> notRun = new TreeSet<>(snippets.keySet());
        notRun.removeAll(ran);
        notRun.removeAll(List.of("env", "local-stack"));
        assertThat(notRun).as("blocks of the guide no test ran").isEmpty();
    }

    /**
     * librdkafka before 2.6.1 sends the client nonce twice in its SCRAM client-final message, and
     * Kafka 4 compares the nonce exactly (CVE-2024-56128): such a client is refused whatever the
     * password (docs/integrating.md, "Client versions").
     */
    static boolean scramWorks(String librdkafka) {
        int[] v =
                java.util.Arrays.stream(librdkafka.split("\\."))
                        .mapToInt(Integer::parseInt)
                        .toArray();
        return java.util.Arrays.compare(v, new int[] {2, 6, 1}) >= 0;
    }

    /** The librdkafka version kcat is linked with ({@code kcat -V}). */
    static String kcatLibrdkafka() throws Exception {
        String version = run(List.of("kcat", "-V"), "kcat-version", true).stdout();
        Matcher m = Pattern.compile("librdkafka (\\d+\\.\\d+\\.\\d+)").matcher(version);
        assertThat(m.find()).as(version).isTrue();
        return m.group(1);
    }

    /** The librdkafka version of /usr/bin/python3's confluent_kafka. */
    static String pythonLibrdkafka() throws Exception {
        return run(
                        List.of(
                                "/usr/bin/python3",
                                "-c",
                                "import confluent_kafka; print(confluent_kafka.libversion()[0])"),
                        "python-librdkafka",
                        true)
                .stdout()
                .strip();
    }

    /** A librdkafka client refused by the broker for its SCRAM exchange, as the guide says. */
    static void assertRefused(Run run) {
        assertThat(run.stderr())
                .contains(
                        "Authentication failed during authentication due to invalid credentials"
                                + " with SASL mechanism SCRAM-SHA-512");
    }

    static void assertRejected(
            JsonNode answer, int index, String eventId, String code, String field) {
        assertThat(answer.get("rejected")).hasSize(1);
        JsonNode rejected = answer.get("rejected").get(0);
        assertThat(rejected.get("index").asInt()).isEqualTo(index);
        assertThat(rejected.get("eventId").asText()).isEqualTo(eventId);
        List<org.assertj.core.groups.Tuple> errors = new ArrayList<>();
        rejected.get("errors")
                .forEach(e -> errors.add(tuple(e.get("code").asText(), e.get("field").asText())));
        assertThat(errors).containsExactly(tuple(code, field));
    }
}
