package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fairshare.localstack.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files against the code, without Docker or Kubernetes: {@code deploy/compose},
 * {@code deploy/k8s} (hand-written infrastructure and the manifests that quarkus-kubernetes
 * generates from each service's application.properties) and the Dockerfiles.
 *
 * <p>A service "reads" a property when it is a key of its application.properties, the name of a
 * {@code @ConfigProperty} in its sources, a member of one of its {@code @ConfigMapping} interfaces,
 * or one of {@link #EXTENSION_PROPERTIES} of an extension in its pom. An environment variable names
 * a property in the MicroProfile Config way (upper case, every other character {@code _}). The only
 * other variables allowed are those of {@link #IMAGE_VARIABLES}.
 *
 * <p>Every failure names the file and the variable, topic or resource at fault.
 */
class DeploymentManifestsTest {
    static final List<String> SERVICES =
            List.of("registry-service", "usage-service", "settlement-service");

    /**
     * Properties read by an extension (pom artifactId) that a service need not list in its
     * application.properties. Keep it short: a property a service really uses belongs in its
     * application.properties with a local default.
     */
    static final Map<String, List<String>> EXTENSION_PROPERTIES =
            Map.of(
                    "quarkus-smallrye-jwt",
                    List.of(
                            "mp.jwt.verify.publickey.location",
                            "mp.jwt.verify.publickey",
                            "mp.jwt.verify.issuer",
                            "mp.jwt.verify.audiences"),
                    "quarkus-smallrye-jwt-build",
                    List.of("smallrye.jwt.sign.key.location", "smallrye.jwt.new-token.issuer"),
                    "quarkus-kafka-client",
                    List.of("kafka.ssl.truststore.type", "kafka.ssl.truststore.location"),
                    "quarkus-core",
                    List.of("quarkus.profile"));

    /** Variables that the container image reads, not the service's configuration. */
    static final Map<String, String> IMAGE_VARIABLES =
            Map.of(
                    "JAVA_OPTS_APPEND", "JVM options, read by run-java.sh of the UBI OpenJDK image",
                    "JAVA_MAX_MEM_RATIO", "heap share of the memory limit, read by run-java.sh",
                    "JAVA_APP_JAR", "the jar run-java.sh starts; quarkus-kubernetes may set it",
                    "KUBERNETES_NAMESPACE", "the pod's namespace; quarkus-kubernetes may set it");

    static final String REFRESH = "deploy/k8s/refresh-generated.sh";
    static final Path REPO = findRepo();
    static final Yaml YAML = new Yaml(new SafeConstructor(new LoaderOptions()));
    static final Pattern JDBC_URL =
            Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?");

    /** Where the repository is: -Dfairshare.repo, else the first parent with deploy/local-stack. */
    static Path findRepo() {
        String configured = System.getProperty("fairshare.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/local-stack"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no repository root (a directory with deploy/local-stack) above "
                        + Path.of("").toAbsolutePath()
                        + "; set -Dfairshare.repo");
    }

    // ---------------------------------------------------------------- generated manifests

    @Test
    void generatedManifestsAreTheOnesTheBuildWrites() throws IOException {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (String service : SERVICES) {
            Path copy = generatedCopy(service);
            Path built = REPO.resolve(service).resolve("target/kubernetes/kubernetes.yml");
            if (!Files.exists(copy)) {
                problems.add(rel(copy) + " is missing: run ./mvnw package, then " + REFRESH);
                continue;
            }
            if (!Files.exists(built)) {
                continue;
            }
            compared++;
            // compared as YAML documents: the generator keeps neither the order of map keys nor
            // that of lists of objects (a container's ports, say) from one build to the next
            List<Map<String, Object>> a = unordered(documents(copy));
            List<Map<String, Object>> b = unordered(documents(built));
            if (!a.equals(b)) {
                int doc = 0;
                while (doc < Math.min(a.size(), b.size()) && a.get(doc).equals(b.get(doc))) {
                    doc++;
                }
                problems.add(
                        rel(copy)
                                + " is stale: document "
                                + (doc + 1)
                                + " differs from "
                                + rel(built)
                                + "; run "
                                + REFRESH
                                + " and commit the result");
            }
        }
        assertThat(problems).as("generated manifests").isEmpty();
        assumeTrue(
                compared > 0,
                "no <service>/target/kubernetes/kubernetes.yml: run ./mvnw package to compare");
    }

    @Test
    void generatedManifestsSetOnlyPropertiesTheServiceReads() {
        Map<String, Set<String>> secrets = secretKeys();
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Service s = Service.of(service);
            Path file = generatedCopy(service);
            if (!Files.exists(file)) {
                problems.add(rel(file) + " is missing: run ./mvnw package, then " + REFRESH);
                continue;
            }
            for (Map<String, Object> container : containers(file, problems)) {
                for (Map<String, Object> env : maps(container.get("env"))) {
                    String name = (String) env.get("name");
                    s.checkVariable(name, rel(file), problems);
                    Map<String, Object> ref = map(map(env.get("valueFrom")).get("secretKeyRef"));
                    if (!ref.isEmpty()) {
                        checkSecretKey(
                                secrets,
                                (String) ref.get("name"),
                                (String) ref.get("key"),
                                rel(file) + " variable " + name,
                                problems);
                    }
                }
                for (Map<String, Object> from : maps(container.get("envFrom"))) {
                    String secret = (String) map(from.get("secretRef")).get("name");
                    if (secret == null || !secrets.containsKey(secret)) {
                        problems.add(
                                rel(file)
                                        + " loads all variables of "
                                        + from
                                        + ", which no Secret of"
                                        + " deploy/k8s/infrastructure/secrets.yaml lists: map"
                                        + " each variable with quarkus.kubernetes.env.mapping");
                        continue;
                    }
                    for (String key : secrets.get(secret)) {
                        s.checkVariable(key, rel(file) + " (Secret " + secret + ")", problems);
                    }
                }
            }
            for (Map<String, Object> volume : podVolumes(file)) {
                Map<String, Object> secret = map(volume.get("secret"));
                if (!secret.isEmpty() && !secrets.containsKey(secret.get("secretName"))) {
                    problems.add(
                            rel(file)
                                    + " mounts Secret "
                                    + secret.get("secretName")
                                    + ", which deploy/k8s/infrastructure/secrets.yaml does not"
                                    + " list");
                }
            }
        }
        assertThat(problems).as("variables of the generated manifests").isEmpty();
    }

    @Test
    void generatedManifestsMatchTheModulesAndTheInfrastructure() {
        List<String> problems = new ArrayList<>();
        String version = projectVersion();
        for (String service : SERVICES) {
            Service s = Service.of(service);
            Path file = generatedCopy(service);
            if (!Files.exists(file)) {
                problems.add(rel(file) + " is missing: run ./mvnw package, then " + REFRESH);
                continue;
            }
            List<Map<String, Object>> containers = containers(file, problems);
            if (containers.isEmpty()) {
                problems.add(rel(file) + " has no Deployment with a container");
            }
            for (Map<String, Object> c : containers) {
                // quarkus-kubernetes names the default registry (docker.io) explicitly
                String image = "docker.io/fairshare/" + service + ":" + version;
                if (!image.equals(c.get("image"))) {
                    problems.add(rel(file) + ": image " + c.get("image") + ", expected " + image);
                }
                boolean portFound =
                        maps(c.get("ports")).stream()
                                .anyMatch(p -> Objects.equals(p.get("containerPort"), s.port));
                if (!portFound) {
                    problems.add(
                            rel(file)
                                    + ": no containerPort "
                                    + s.port
                                    + " (quarkus.http.port of "
                                    + service
                                    + ")");
                }
                checkProbe(c, "readinessProbe", "/q/health/ready", s, file, problems);
                checkProbe(c, "livenessProbe", "/q/health/live", s, file, problems);
                checkProbe(c, "startupProbe", "/q/health/started", s, file, problems);
                Map<String, Map<String, Object>> env = new LinkedHashMap<>();
                maps(c.get("env")).forEach(e -> env.put((String) e.get("name"), e));
                checkKubernetesDatabase(s, env, rel(file), problems);
                checkKubernetesKafka(env, rel(file), problems);
            }
        }
        assertThat(problems).as("generated manifests against modules and infrastructure").isEmpty();
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeSetsOnlyPropertiesTheServicesRead() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = composeServices();
        for (String service : SERVICES) {
            Map<String, Object> def = map(services.get(service));
            if (def.isEmpty()) {
                problems.add(rel(compose()) + " has no service " + service);
                continue;
            }
            Service s = Service.of(service);
            for (String name : composeEnvironment(def).keySet()) {
                s.checkVariable(name, rel(compose()) + " service " + service, problems);
            }
        }
        for (var entry : services.entrySet()) {
            String image = String.valueOf(map(entry.getValue()).get("image"));
            if (image.startsWith("fairshare/")
                    && !SERVICES.contains(image.substring(10).replaceAll(":.*", ""))) {
                problems.add(
                        rel(compose())
                                + " service "
                                + entry.getKey()
                                + " runs "
                                + image
                                + ", which is no module of this repository");
            }
        }
        assertThat(problems).as("variables of the compose file").isEmpty();
    }

    @Test
    void composeMatchesTheModules() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = composeServices();
        String version = projectVersion();
        String where = rel(compose());
        for (String service : SERVICES) {
            Map<String, Object> def = map(services.get(service));
            if (def.isEmpty()) {
                problems.add(where + " has no service " + service);
                continue;
            }
            Service s = Service.of(service);
            String image = "fairshare/" + service + ":" + version;
            if (!image.equals(def.get("image"))) {
                problems.add(
                        where + " " + service + ": image " + def.get("image") + ", not " + image);
            }
            List<Integer> ports = new ArrayList<>();
            for (Object p : list(def.get("ports"))) {
                if (p instanceof Map<?, ?> m) {
                    ports.add(Integer.valueOf(String.valueOf(m.get("target"))));
                } else {
                    String[] parts = String.valueOf(p).replaceAll("/.*", "").split(":");
                    ports.add(Integer.valueOf(parts[parts.length - 1]));
                }
            }
            if (!ports.contains(s.port)) {
                problems.add(
                        where
                                + " "
                                + service
                                + ": ports "
                                + ports
                                + " do not publish quarkus.http.port "
                                + s.port);
            }
            if (ports.contains(s.managementPort())) {
                problems.add(
                        where
                                + " "
                                + service
                                + ": publishes the management port "
                                + s.managementPort()
                                + " (health, metrics, OpenAPI need no token: keep it inside)");
            }
            String health = String.valueOf(map(def.get("healthcheck")).get("test"));
            if (!health.contains("/q/health/ready")
                    || !health.contains("/" + s.managementPort() + " ")) {
                problems.add(
                        where
                                + " "
                                + service
                                + ": the healthcheck does not ask /q/health/ready on the management"
                                + " port "
                                + s.managementPort()
                                + ": "
                                + health);
            }
            Map<String, Object> dependsOn = map(def.get("depends_on"));
            for (String needed : List.of("postgres", "kafka", "topic-init")) {
                if (!dependsOn.containsKey(needed)) {
                    problems.add(where + " " + service + " does not depend on " + needed);
                }
            }
            for (var dep : dependsOn.entrySet()) {
                String condition = String.valueOf(map(dep.getValue()).get("condition"));
                Map<String, Object> target = map(services.get(dep.getKey()));
                if (condition.equals("service_healthy") && target.get("healthcheck") == null) {
                    problems.add(
                            where
                                    + " "
                                    + dep.getKey()
                                    + " has no healthcheck, but "
                                    + service
                                    + " waits for it to be healthy");
                } else if (!condition.equals("service_healthy")
                        && !condition.equals("service_completed_successfully")) {
                    problems.add(
                            where
                                    + " "
                                    + service
                                    + " depends on "
                                    + dep.getKey()
                                    + " without condition service_healthy or"
                                    + " service_completed_successfully");
                }
            }
            Map<String, String> env = composeEnvironment(def);
            String url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            Matcher m = url == null ? null : JDBC_URL.matcher(url);
            if (m == null || !m.matches() || !m.group(3).equals(s.database)) {
                problems.add(
                        where
                                + " "
                                + service
                                + ": QUARKUS_DATASOURCE_JDBC_URL "
                                + url
                                + " is not the database "
                                + s.database);
            } else if (!services.containsKey(m.group(1))) {
                problems.add(where + " " + service + ": no service " + m.group(1) + " for " + url);
            }
            if (!s.database.equals(env.get("QUARKUS_DATASOURCE_USERNAME"))) {
                problems.add(
                        where
                                + " "
                                + service
                                + ": QUARKUS_DATASOURCE_USERNAME should be "
                                + s.database
                                + ", the owner that postgres-init/01-databases.sh"
                                + " creates");
            }
            checkDockerfile(s, problems);
        }
        Object postgres = map(services.get("postgres")).get("image");
        if (!"postgres:17".equals(postgres)) {
            problems.add(where + " postgres runs " + postgres + ", expected postgres:17");
        }
        Object kafka = map(services.get("kafka")).get("image");
        if (!String.valueOf(kafka).startsWith("apache/kafka:")) {
            problems.add(where + " kafka runs " + kafka + ", expected the official apache/kafka");
        }
        boolean demo =
                services.values().stream()
                        .anyMatch(d -> list(map(d).get("profiles")).contains("demo"));
        if (!demo) {
            problems.add(where + " has no service in the profile demo (the demo seed)");
        }
        assertThat(problems).as("compose file against the modules").isEmpty();
    }

    // ---------------------------------------------------------------- topics and principals

    @Test
    void everyTopicOfTheCodeExistsWithItsPartitionsAndCleanupPolicy() throws IOException {
        List<String> problems = new ArrayList<>();
        Path topicsFile = REPO.resolve("deploy/k8s/infrastructure/topics.yaml");
        Map<String, Map<String, Object>> declared = kafkaTopics(topicsFile);
        Map<String, String[]> composeTopics = composeTopicInit();
        for (NewTopic t : Topics.fixedTopics()) {
            String cleanup = cleanupPolicy(t.configs());
            Map<String, Object> k8s = declared.get(t.name());
            if (k8s == null) {
                problems.add(rel(topicsFile) + " has no KafkaTopic " + t.name());
            } else {
                Map<String, Object> spec = map(k8s.get("spec"));
                if (!Objects.equals(spec.get("partitions"), t.numPartitions())) {
                    problems.add(
                            rel(topicsFile)
                                    + " "
                                    + t.name()
                                    + ": partitions "
                                    + spec.get("partitions")
                                    + ", Topics.java has "
                                    + t.numPartitions());
                }
                String policy = cleanupPolicy(map(spec.get("config")));
                if (!policy.equals(cleanup)) {
                    problems.add(
                            rel(topicsFile)
                                    + " "
                                    + t.name()
                                    + ": cleanup.policy "
                                    + policy
                                    + ", Topics.java has "
                                    + cleanup);
                }
            }
            String[] created = composeTopics.get(t.name());
            if (created == null) {
                problems.add(rel(compose()) + " topic-init does not create " + t.name());
            } else if (!created[0].equals(String.valueOf(t.numPartitions()))
                    || !created[1].equals(cleanup)) {
                problems.add(
                        rel(compose())
                                + " topic-init creates "
                                + t.name()
                                + " with "
                                + created[0]
                                + " partitions and cleanup.policy "
                                + created[1]
                                + ", Topics.java has "
                                + t.numPartitions()
                                + " and "
                                + cleanup);
            }
        }
        // topic names written in the services' code: each a fixed topic, or the inbound prefix
        Set<String> fixed = new TreeSet<>();
        Topics.fixedTopics().forEach(t -> fixed.add(t.name()));
        Pattern literal = Pattern.compile("\"((?:registry|usage|settlement)\\.[a-z]+\\.?)\"");
        for (String service : SERVICES) {
            for (Path source : javaSources(REPO.resolve(service).resolve("src/main/java"))) {
                // a configuration prefix such as "settlement.payout" is not a topic
                Matcher m =
                        literal.matcher(
                                Files.readString(source)
                                        .replaceAll(
                                                "@ConfigMapping\\(\\s*prefix\\s*=\\s*\"[^\"]*\"",
                                                "@ConfigMapping("));
                while (m.find()) {
                    String name = m.group(1);
                    if (name.equals(Topics.USAGE_IN_PREFIX)) {
                        continue;
                    }
                    if (!fixed.contains(name) || !declared.containsKey(name)) {
                        problems.add(
                                rel(source)
                                        + " names the topic \""
                                        + name
                                        + "\", which "
                                        + (fixed.contains(name) ? rel(topicsFile) : "Topics.java")
                                        + " does not declare");
                    }
                }
            }
        }
        // the per-platform inbound topics: the registry creates them with this many partitions
        Path example = REPO.resolve("deploy/k8s/infrastructure/platform-example.yaml");
        String partitions = Service.of("registry-service").get("registry.inbound-topic-partitions");
        if (!String.valueOf(Topics.USAGE_PARTITIONS).equals(partitions)) {
            problems.add(
                    "registry-service application.properties: registry.inbound-topic-partitions="
                            + partitions
                            + ", Topics.USAGE_PARTITIONS is "
                            + Topics.USAGE_PARTITIONS);
        }
        List<Map<String, Object>> inbound =
                kafkaTopics(example).entrySet().stream()
                        .filter(e -> e.getKey().startsWith(Topics.USAGE_IN_PREFIX))
                        .map(Map.Entry::getValue)
                        .toList();
        if (inbound.isEmpty()) {
            problems.add(rel(example) + " has no KafkaTopic " + Topics.USAGE_IN_PREFIX + "<id>");
        }
        for (Map<String, Object> t : inbound) {
            Map<String, Object> spec = map(t.get("spec"));
            if (!String.valueOf(spec.get("partitions")).equals(partitions)
                    || !cleanupPolicy(map(spec.get("config"))).equals("delete")) {
                problems.add(
                        rel(example)
                                + " "
                                + spec.get("topicName")
                                + ": partitions "
                                + spec.get("partitions")
                                + " and cleanup.policy "
                                + cleanupPolicy(map(spec.get("config")))
                                + ", expected registry.inbound-topic-partitions="
                                + partitions
                                + " and delete");
            }
        }
        assertThat(problems).as("topics").isEmpty();
    }

    /**
     * Kafka authenticates every client and authorizes by ACL in compose and in Kubernetes as in the
     * tests: no listener without SASL, no anonymous super user, and compose's topic-init grants
     * each service exactly the code's ACLs (Topics.SERVICE_GRANTS).
     */
    @Test
    void kafkaAuthenticatesEveryClientAndGrantsWhatTheCodeDoes() {
        List<String> problems = new ArrayList<>();
        String where = rel(compose());
        Map<String, String> env = composeEnvironment(map(composeServices().get("kafka")));
        for (String protocol :
                env.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",")) {
            if (!protocol.endsWith(":SASL_PLAINTEXT") && !protocol.endsWith(":SASL_SSL")) {
                problems.add(where + " kafka: listener without SASL: " + protocol);
            }
        }
        if (!env.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "")
                .contains("EXTERNAL:SASL_SSL")) {
            problems.add(where + " kafka: the platforms' EXTERNAL listener is not SASL_SSL");
        }
        if (!"org.apache.kafka.metadata.authorizer.StandardAuthorizer"
                        .equals(env.get("KAFKA_AUTHORIZER_CLASS_NAME"))
                || !"false".equals(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"))) {
            problems.add(
                    where
                            + " kafka: not the StandardAuthorizer with"
                            + " allow.everyone.if.no.acl.found=false");
        }
        if (!"User:fairshare-broker".equals(env.get("KAFKA_SUPER_USERS"))) {
            problems.add(
                    where
                            + " kafka: super users "
                            + env.get("KAFKA_SUPER_USERS")
                            + ", expected the broker's own User:fairshare-broker only");
        }
        Map<String, Set<String>> granted = composeAcls();
        for (var e : Topics.SERVICE_GRANTS.entrySet()) {
            compareAcls(
                    where + " topic-init",
                    e.getKey(),
                    granted.getOrDefault(e.getKey(), Set.of()),
                    codeAcls(e.getValue()),
                    problems);
        }
        for (String principal : granted.keySet()) {
            if (!Topics.SERVICE_GRANTS.containsKey(principal)) {
                problems.add(
                        where + " topic-init grants " + principal + ", no service's principal");
            }
        }
        Map<String, Object> kafka = map(map(kafkaCluster().get("spec")).get("kafka"));
        for (Map<String, Object> l : maps(kafka.get("listeners"))) {
            Object auth = map(l.get("authentication")).get("type");
            if (!"scram-sha-512".equals(auth) || !Boolean.TRUE.equals(l.get("tls"))) {
                problems.add(
                        "deploy/k8s/infrastructure/kafka.yaml listener "
                                + l.get("name")
                                + " is not SCRAM-SHA-512 over TLS");
            }
        }
        Map<String, Object> authorization = map(kafka.get("authorization"));
        if (!"simple".equals(authorization.get("type"))
                || !list(authorization.get("superUsers")).isEmpty()) {
            problems.add(
                    "deploy/k8s/infrastructure/kafka.yaml: authorization "
                            + authorization
                            + ", expected simple without super users");
        }
        assertThat(problems).as("Kafka authentication and ACLs").isEmpty();
    }

    /** The ACLs that compose's topic-init adds (kafka-acls.sh --add lines), by principal. */
    static Map<String, Set<String>> composeAcls() {
        Object command = map(composeServices().get("topic-init")).get("command");
        String script =
                command instanceof String text
                        ? text
                        : String.join("\n", list(command).stream().map(String::valueOf).toList());
        Map<String, Set<String>> acls = new TreeMap<>();
        for (String line : script.split("\n")) {
            if (!line.contains("kafka-acls.sh") || !line.contains("--add")) {
                continue;
            }
            Matcher principal = Pattern.compile("--allow-principal\\s+User:(\\S+)").matcher(line);
            Matcher topic = Pattern.compile("--topic\\s+(\\S+)").matcher(line);
            Matcher group = Pattern.compile("--group\\s+(\\S+)").matcher(line);
            String resource =
                    line.contains("--cluster")
                            ? "cluster kafka-cluster"
                            : topic.find()
                                    ? "topic " + topic.group(1)
                                    : group.find() ? "group " + group.group(1) : "<none>";
            String pattern =
                    line.contains("--resource-pattern-type prefixed") ? "prefix" : "literal";
            if (!principal.find()) {
                continue;
            }
            Matcher op = Pattern.compile("--operation\\s+(\\S+)").matcher(line);
            while (op.find()) {
                acls.computeIfAbsent(principal.group(1), k -> new TreeSet<>())
                        .add(resource + " " + pattern + " " + op.group(1));
            }
        }
        return acls;
    }

    @Test
    void kafkaPrincipalsAndScalingMatchTheCode() {
        List<String> problems = new ArrayList<>();
        Path usersFile = REPO.resolve("deploy/k8s/infrastructure/users.yaml");
        Path example = REPO.resolve("deploy/k8s/infrastructure/platform-example.yaml");
        Path kafkaFile = REPO.resolve("deploy/k8s/infrastructure/kafka.yaml");
        String cluster = kafkaClusterName();
        Map<String, Map<String, Object>> users = new TreeMap<>();
        for (Path f : List.of(usersFile, example)) {
            for (Map<String, Object> doc : documents(f)) {
                if ("KafkaUser".equals(doc.get("kind"))) {
                    users.put(name(doc), doc);
                }
            }
        }
        for (Path f :
                List.of(
                        usersFile,
                        example,
                        kafkaFile,
                        REPO.resolve("deploy/k8s/infrastructure/topics.yaml"))) {
            for (Map<String, Object> doc : documents(f)) {
                String kind = String.valueOf(doc.get("kind"));
                Object label =
                        map(map(doc.get("metadata")).get("labels")).get("strimzi.io/cluster");
                if (kind.startsWith("Kafka") && !kind.equals("Kafka") && !cluster.equals(label)) {
                    problems.add(
                            rel(f)
                                    + " "
                                    + kind
                                    + " "
                                    + name(doc)
                                    + ": label strimzi.io/cluster "
                                    + label
                                    + ", but the Kafka of kafka.yaml is "
                                    + cluster);
                }
            }
        }
        Map<String, String> groups =
                Map.of(
                        "usage-service",
                        Service.of("usage-service").mappingDefault("consumerGroup"),
                        "settlement-service",
                        Service.of("settlement-service").mappingDefault("consumerGroup"));
        // each service's KafkaUser grants exactly what the code's table does
        // (Topics.SERVICE_GRANTS,
        // which the local broker and the tests apply); its consumer group is its config default
        for (String service : SERVICES) {
            String user = "fairshare-" + Service.of(service).database;
            if (!users.containsKey(user)) {
                problems.add(rel(usersFile) + " has no KafkaUser " + user + " for " + service);
                continue;
            }
            List<Topics.Grant> grants = Topics.SERVICE_GRANTS.get(user);
            if (grants == null) {
                problems.add("Topics.SERVICE_GRANTS has no principal " + user + " for " + service);
                continue;
            }
            compareAcls(
                    rel(usersFile), user, strimziAcls(users.get(user)), codeAcls(grants), problems);
            String group = groups.get(service);
            if (group != null
                    && grants.stream()
                            .noneMatch(
                                    g ->
                                            g.type() == ResourceType.GROUP
                                                    && g.name().equals(group))) {
                problems.add(
                        "Topics.SERVICE_GRANTS lets "
                                + user
                                + " use no consumer group "
                                + group
                                + " that "
                                + service
                                + " uses");
            }
        }
        // a platform's KafkaUser grants what the registry grants at onboarding
        // (Topics.platformGrants)
        boolean platformFound = false;
        for (var u : users.entrySet()) {
            if (!u.getKey().startsWith("platform-")) {
                continue;
            }
            platformFound = true;
            String platformId = u.getKey().substring("platform-".length());
            compareAcls(
                    rel(example),
                    u.getKey(),
                    strimziAcls(u.getValue()),
                    codeAcls(Topics.platformGrants(platformId)),
                    problems);
        }
        if (!platformFound) {
            problems.add(rel(example) + " has no example KafkaUser platform-<platformId>");
        }
        // KEDA scales the generated usage-service Deployment on its consumer group's lag
        Path keda = REPO.resolve("deploy/k8s/infrastructure/keda.yaml");
        String deployment = "usage-service";
        Path usageManifest = generatedCopy("usage-service");
        if (Files.exists(usageManifest)) {
            deployment =
                    documents(usageManifest).stream()
                            .filter(d -> "Deployment".equals(d.get("kind")))
                            .map(DeploymentManifestsTest::name)
                            .findFirst()
                            .orElse("<none>");
        }
        List<Map<String, Object>> scaled =
                documents(keda).stream().filter(d -> "ScaledObject".equals(d.get("kind"))).toList();
        if (scaled.isEmpty()) {
            problems.add(rel(keda) + " has no ScaledObject");
        }
        for (Map<String, Object> so : scaled) {
            Map<String, Object> spec = map(so.get("spec"));
            Object target = map(spec.get("scaleTargetRef")).get("name");
            if (!deployment.equals(target)) {
                problems.add(
                        rel(keda)
                                + ": scaleTargetRef "
                                + target
                                + ", the generated Deployment is "
                                + deployment);
            }
            for (Map<String, Object> trigger : maps(spec.get("triggers"))) {
                Map<String, Object> meta = map(trigger.get("metadata"));
                if (!"kafka".equals(trigger.get("type"))
                        || !groups.get("usage-service").equals(meta.get("consumerGroup"))) {
                    problems.add(
                            rel(keda)
                                    + ": trigger "
                                    + trigger.get("type")
                                    + " on group "
                                    + meta.get("consumerGroup")
                                    + ", expected kafka on "
                                    + groups.get("usage-service")
                                    + " (usage.consumer-group)");
                }
                checkBootstrap(String.valueOf(meta.get("bootstrapServers")), rel(keda), problems);
            }
        }
        assertThat(problems).as("Kafka principals and scaling").isEmpty();
    }

    // ---------------------------------------------------------------- static group membership

    /**
     * The consumers of usage-service and settlement-service are static members of their groups:
     * each instance has its own id that survives a restart, so that a restarted instance takes its
     * partitions back at once. In Kubernetes every pod sets it to its own name (the downward API; a
     * literal would give every replica the same id, and each would fence the others out); in
     * compose, where each service runs once, a fixed id per service. The session timeout outlasts a
     * restart (docs/operations.md).
     */
    @Test
    void consumersAreStaticMembersWithAnIdOfTheirOwnPerInstance() {
        List<String> problems = new ArrayList<>();
        Map<String, String> variables =
                Map.of(
                        "usage-service", "USAGE_GROUP_INSTANCE_ID",
                        "settlement-service", "SETTLEMENT_GROUP_INSTANCE_ID");
        Map<String, Object> compose = composeServices();
        Map<String, String> composeIds = new TreeMap<>();
        for (var e : new TreeMap<>(variables).entrySet()) {
            String service = e.getKey();
            String variable = e.getValue();
            Service s = Service.of(service);
            s.checkVariable(variable, "the group instance id of " + service, problems);
            // SmallRye's short form of a Duration (e.g. 60s, 2m)
            java.time.Duration timeout =
                    java.time.Duration.parse(
                            "PT" + s.mappingDefault("sessionTimeout").toUpperCase());
            if (timeout.compareTo(java.time.Duration.ofSeconds(30)) < 0
                    || timeout.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
                problems.add(
                        service
                                + ": session timeout "
                                + timeout
                                + " is not between 30 s (longer than a restart) and 5 min (an"
                                + " instance that never returns holds its partitions that long)");
            }
            Path file = generatedCopy(service);
            if (Files.exists(file)) {
                for (Map<String, Object> c : containers(file, problems)) {
                    Map<String, Object> env =
                            maps(c.get("env")).stream()
                                    .filter(v -> variable.equals(v.get("name")))
                                    .findFirst()
                                    .orElse(Map.of());
                    Object field = map(map(env.get("valueFrom")).get("fieldRef")).get("fieldPath");
                    if (!"metadata.name".equals(field)) {
                        problems.add(
                                rel(file)
                                        + ": "
                                        + variable
                                        + " is "
                                        + (env.isEmpty() ? "not set" : env)
                                        + ", not the pod's name (fieldRef metadata.name)");
                    }
                }
            }
            String id = composeEnvironment(map(compose.get(service))).get(variable);
            if (id == null || id.isBlank()) {
                problems.add(rel(compose()) + " " + service + " does not set " + variable);
            } else {
                composeIds.put(service, id);
            }
        }
        if (new TreeSet<>(composeIds.values()).size() != composeIds.size()) {
            problems.add(
                    rel(compose()) + " gives two services one group instance id: " + composeIds);
        }
        assertThat(problems).as("static group membership").isEmpty();
    }

    // ---------------------------------------------------------------- one service's config

    /** What a service reads, from its sources, application.properties and pom. */
    record Service(
            String name,
            Properties properties,
            Map<String, String> variables,
            Set<String> groupPrefixes,
            Map<String, String> mappingDefaults,
            int port,
            String database) {
        static final Map<String, Service> CACHE = new LinkedHashMap<>();
        static final Set<String> LEAF_TYPES =
                Set.of(
                        "String",
                        "int",
                        "long",
                        "boolean",
                        "double",
                        "Integer",
                        "Long",
                        "Boolean",
                        "Double",
                        "Duration",
                        "BigDecimal",
                        "Instant",
                        "LocalDate",
                        "Path",
                        "URI",
                        "OptionalInt",
                        "OptionalLong",
                        "OptionalDouble");
        static final Pattern MAPPING =
                Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
        static final Pattern MEMBER =
                Pattern.compile(
                        "(?m)^[ \\t]*((?:@\\w+(?:\\([^)]*\\))?\\s+)*)([\\w.<>?, \\[\\]]+?)\\s+"
                                + "(\\w+)\\(\\)\\s*;");

        static synchronized Service of(String name) {
            return CACHE.computeIfAbsent(name, Service::load);
        }

        static Service load(String name) {
            Path module = REPO.resolve(name);
            Properties props = new Properties();
            try (Reader r =
                    Files.newBufferedReader(
                            module.resolve("src/main/resources/application.properties"))) {
                props.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> variables = new TreeMap<>();
            Set<String> prefixes = new TreeSet<>();
            Map<String, String> defaults = new TreeMap<>();
            for (String key : props.stringPropertyNames()) {
                String property = key.replaceFirst("^%[\\w,-]+\\.", "");
                variables.put(envName(property), property + " (application.properties)");
            }
            String pom = read(module.resolve("pom.xml"));
            for (var e : EXTENSION_PROPERTIES.entrySet()) {
                if (e.getKey().equals("quarkus-core")
                        || pom.contains("<artifactId>" + e.getKey() + "</artifactId>")) {
                    e.getValue()
                            .forEach(
                                    p ->
                                            variables.putIfAbsent(
                                                    envName(p), p + " (" + e.getKey() + ")"));
                }
            }
            Pattern configProperty =
                    Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
            for (Path source : javaSources(module.resolve("src/main/java"))) {
                String code = read(source);
                Matcher cp = configProperty.matcher(code);
                while (cp.find()) {
                    variables.putIfAbsent(envName(cp.group(1)), cp.group(1) + " (@ConfigProperty)");
                }
                Matcher mapping = MAPPING.matcher(code);
                if (!mapping.find()) {
                    continue;
                }
                String prefix = mapping.group(1);
                Matcher member = MEMBER.matcher(code.substring(mapping.end()));
                while (member.find()) {
                    String annotations = member.group(1);
                    String type = member.group(2).replaceAll("<.*", "").trim();
                    Matcher withName =
                            Pattern.compile("@WithName\\(\"([^\"]+)\"\\)").matcher(annotations);
                    String property =
                            prefix
                                    + "."
                                    + (withName.find()
                                            ? withName.group(1)
                                            : kebab(member.group(3)));
                    if (LEAF_TYPES.contains(type)
                            || type.equals("Optional")
                            || type.equals("List")
                            || type.equals("Set")) {
                        variables.putIfAbsent(envName(property), property + " (@ConfigMapping)");
                    } else {
                        prefixes.add(property);
                    }
                    Matcher def =
                            Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)").matcher(annotations);
                    if (def.find()) {
                        defaults.put(member.group(3), def.group(1));
                    }
                }
            }
            String url = props.getProperty("quarkus.datasource.jdbc.url", "");
            Matcher m = JDBC_URL.matcher(url);
            String database = m.matches() ? m.group(3) : "<no quarkus.datasource.jdbc.url>";
            int port = Integer.parseInt(props.getProperty("quarkus.http.port", "8080"));
            return new Service(name, props, variables, prefixes, defaults, port, database);
        }

        String get(String property) {
            return properties.getProperty(property);
        }

        /**
         * The port of the management interface (health, metrics, OpenAPI), which must be on: the
         * public port serves none of them.
         */
        int managementPort() {
            if (!"true".equals(get("quarkus.management.enabled"))) {
                throw new IllegalStateException(
                        name + " does not set quarkus.management.enabled=true");
            }
            return Integer.parseInt(get("quarkus.management.port"));
        }

        String mappingDefault(String member) {
            String value = mappingDefaults.get(member);
            if (value == null) {
                throw new IllegalStateException(
                        name + " has no @ConfigMapping member " + member + " with @WithDefault");
            }
            return value;
        }

        void checkVariable(String variable, String where, List<String> problems) {
            if (variables.containsKey(variable) || IMAGE_VARIABLES.containsKey(variable)) {
                return;
            }
            for (String prefix : groupPrefixes) {
                if (variable.startsWith(envName(prefix) + "_")) {
                    return;
                }
            }
            problems.add(
                    where
                            + " sets "
                            + variable
                            + ", which names no property that "
                            + name
                            + " reads (application.properties, @ConfigProperty,"
                            + " @ConfigMapping, DeploymentManifestsTest.EXTENSION_PROPERTIES)");
        }
    }

    // ---------------------------------------------------------------- helpers: checks

    static void checkProbe(
            Map<String, Object> container,
            String probe,
            String path,
            Service s,
            Path file,
            List<String> problems) {
        Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
        Object port = get.get("port");
        int management = s.managementPort();
        boolean portOk =
                Objects.equals(port, management)
                        || maps(container.get("ports")).stream()
                                .anyMatch(
                                        p ->
                                                Objects.equals(p.get("name"), port)
                                                        && Objects.equals(
                                                                p.get("containerPort"),
                                                                management));
        if (!path.equals(get.get("path")) || !portOk) {
            problems.add(
                    rel(file)
                            + ": "
                            + probe
                            + " "
                            + get
                            + ", expected "
                            + path
                            + " on the management port "
                            + management);
        }
    }

    /** Prometheus scrapes /q/metrics on the management port: the public port serves no metrics. */
    @Test
    void generatedManifestsScrapeTheManagementPort() {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Service s = Service.of(service);
            Path file = generatedCopy(service);
            int annotated = 0;
            for (Map<String, Object> doc : documents(file)) {
                List<Map<String, Object>> metadata = new ArrayList<>();
                metadata.add(map(doc.get("metadata")));
                metadata.add(map(map(map(map(doc.get("spec")).get("template")).get("metadata"))));
                for (Map<String, Object> m : metadata) {
                    Map<String, Object> a = map(m.get("annotations"));
                    if (!a.containsKey("prometheus.io/scrape")) {
                        continue;
                    }
                    annotated++;
                    if (!"/q/metrics".equals(a.get("prometheus.io/path"))
                            || !String.valueOf(s.managementPort())
                                    .equals(String.valueOf(a.get("prometheus.io/port")))) {
                        problems.add(
                                rel(file)
                                        + " "
                                        + doc.get("kind")
                                        + ": prometheus annotations "
                                        + a
                                        + ", expected /q/metrics on the management port "
                                        + s.managementPort());
                    }
                }
            }
            if (annotated == 0) {
                problems.add(rel(file) + " has no prometheus.io annotations");
            }
        }
        assertThat(problems).as("metrics scraping").isEmpty();
    }

    static void checkKubernetesDatabase(
            Service s, Map<String, Map<String, Object>> env, String where, List<String> problems) {
        Map<String, Object> url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        Matcher m = url == null ? null : JDBC_URL.matcher(String.valueOf(url.get("value")));
        if (m == null || !m.matches()) {
            problems.add(where + ": QUARKUS_DATASOURCE_JDBC_URL is not a PostgreSQL JDBC URL");
            return;
        }
        if (!m.group(3).equals(s.database)) {
            problems.add(
                    where
                            + ": QUARKUS_DATASOURCE_JDBC_URL names the database "
                            + m.group(3)
                            + ", the service's is "
                            + s.database);
        }
        Path postgres = REPO.resolve("deploy/k8s/infrastructure/postgres.yaml");
        Map<String, Object> cluster =
                documents(postgres).stream()
                        .filter(d -> "Cluster".equals(d.get("kind")))
                        .filter(d -> (name(d) + "-rw").equals(m.group(1)))
                        .findFirst()
                        .orElse(null);
        if (cluster == null) {
            problems.add(
                    where
                            + ": "
                            + m.group(1)
                            + " is the -rw Service of no CloudNativePG Cluster"
                            + " in "
                            + rel(postgres));
            return;
        }
        Map<String, Object> initdb =
                map(map(map(cluster.get("spec")).get("bootstrap")).get("initdb"));
        if (!s.database.equals(initdb.get("database"))) {
            problems.add(
                    rel(postgres)
                            + " Cluster "
                            + name(cluster)
                            + " creates the database "
                            + initdb.get("database")
                            + ", "
                            + s.name
                            + " uses "
                            + s.database);
        }
        String ownerSecret = String.valueOf(map(initdb.get("secret")).get("name"));
        for (String variable :
                List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            Map<String, Object> ref =
                    map(map(map(env.get(variable)).get("valueFrom")).get("secretKeyRef"));
            if (!ownerSecret.equals(ref.get("name"))) {
                problems.add(
                        where
                                + ": "
                                + variable
                                + " comes from "
                                + ref
                                + ", not from the Secret "
                                + ownerSecret
                                + " of the database owner ("
                                + rel(postgres)
                                + ")");
            }
        }
    }

    static void checkKubernetesKafka(
            Map<String, Map<String, Object>> env, String where, List<String> problems) {
        Map<String, Object> bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null) {
            problems.add(where + ": no KAFKA_BOOTSTRAP_SERVERS");
            return;
        }
        checkBootstrap(String.valueOf(bootstrap.get("value")), where, problems);
    }

    static void checkBootstrap(String servers, String where, List<String> problems) {
        String cluster = kafkaClusterName();
        Set<String> ports = new TreeSet<>();
        Map<String, Object> kafka = kafkaCluster();
        for (Map<String, Object> l :
                maps(map(map(kafka.get("spec")).get("kafka")).get("listeners"))) {
            ports.add(String.valueOf(l.get("port")));
        }
        for (String server : servers.split(",")) {
            String[] hostPort = server.trim().split(":");
            if (!hostPort[0].equals(cluster + "-kafka-bootstrap")
                    || hostPort.length != 2
                    || !ports.contains(hostPort[1])) {
                problems.add(
                        where
                                + ": Kafka bootstrap "
                                + server
                                + " is not "
                                + cluster
                                + "-kafka-bootstrap on a listener port "
                                + ports
                                + " of deploy/k8s/infrastructure/kafka.yaml");
            }
        }
    }

    static void checkSecretKey(
            Map<String, Set<String>> secrets,
            String secret,
            String key,
            String where,
            List<String> problems) {
        if (!secrets.containsKey(secret)) {
            problems.add(
                    where
                            + " reads Secret "
                            + secret
                            + ", which deploy/k8s/infrastructure/secrets.yaml does not list");
        } else if (!secrets.get(secret).contains(key)) {
            problems.add(
                    where
                            + " reads key "
                            + key
                            + " of Secret "
                            + secret
                            + ", which has only "
                            + secrets.get(secret));
        }
    }

    static void checkDockerfile(Service s, List<String> problems) {
        Path dockerfile = REPO.resolve(s.name).resolve("src/main/docker/Dockerfile.jvm");
        if (!Files.exists(dockerfile)) {
            problems.add(rel(dockerfile) + " is missing");
            return;
        }
        String text = read(dockerfile);
        if (!Pattern.compile("(?m)^EXPOSE\\s+" + s.port + "\\s*$").matcher(text).find()) {
            problems.add(rel(dockerfile) + " does not EXPOSE " + s.port + " (quarkus.http.port)");
        }
        if (!text.contains("target/quarkus-app/")) {
            problems.add(rel(dockerfile) + " does not copy the fast-jar target/quarkus-app/");
        }
    }

    // ---------------------------------------------------------------- helpers: files

    static Path generatedCopy(String service) {
        return REPO.resolve("deploy/k8s/generated").resolve(service + ".yml");
    }

    static Path compose() {
        return REPO.resolve("deploy/compose/compose.yaml");
    }

    static Map<String, Object> composeServices() {
        return map(documents(compose()).get(0).get("services"));
    }

    static Map<String, String> composeEnvironment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            for (Object item : list(e)) {
                String[] kv = String.valueOf(item).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return env;
    }

    /** topic-init's kafka-topics.sh lines: topic → {partitions, cleanup.policy}. */
    static Map<String, String[]> composeTopicInit() {
        Map<String, Object> init = map(composeServices().get("topic-init"));
        Object command = init.get("command");
        String script =
                command instanceof String text
                        ? text
                        : String.join("\n", list(command).stream().map(String::valueOf).toList());
        Map<String, String[]> topics = new TreeMap<>();
        for (String line : script.split("\n")) {
            Matcher topic = Pattern.compile("--topic\\s+(\\S+)").matcher(line);
            if (!line.contains("--create") || !topic.find()) {
                continue;
            }
            Matcher partitions = Pattern.compile("--partitions\\s+(\\d+)").matcher(line);
            Matcher cleanup = Pattern.compile("cleanup\\.policy=(\\w+)").matcher(line);
            topics.put(
                    topic.group(1),
                    new String[] {
                        partitions.find() ? partitions.group(1) : "<broker default>",
                        cleanup.find() ? cleanup.group(1) : TopicConfig.CLEANUP_POLICY_DELETE
                    });
        }
        return topics;
    }

    static Map<String, Map<String, Object>> kafkaTopics(Path file) {
        Map<String, Map<String, Object>> topics = new TreeMap<>();
        for (Map<String, Object> doc : documents(file)) {
            if ("KafkaTopic".equals(doc.get("kind"))) {
                Object topicName = map(doc.get("spec")).get("topicName");
                topics.put(topicName != null ? String.valueOf(topicName) : name(doc), doc);
            }
        }
        return topics;
    }

    static Map<String, Object> kafkaCluster() {
        Path file = REPO.resolve("deploy/k8s/infrastructure/kafka.yaml");
        return documents(file).stream()
                .filter(d -> "Kafka".equals(d.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(rel(file) + " has no Kafka resource"));
    }

    static String kafkaClusterName() {
        return name(kafkaCluster());
    }

    /** The Secrets of secrets.yaml: name → keys. */
    static Map<String, Set<String>> secretKeys() {
        Map<String, Set<String>> secrets = new TreeMap<>();
        for (Map<String, Object> doc :
                documents(REPO.resolve("deploy/k8s/infrastructure/secrets.yaml"))) {
            if ("Secret".equals(doc.get("kind"))) {
                Set<String> keys = new TreeSet<>(map(doc.get("stringData")).keySet());
                keys.addAll(map(doc.get("data")).keySet());
                secrets.put(name(doc), keys);
            }
        }
        return secrets;
    }

    /** The containers of the Deployments (and StatefulSets) of a manifest. */
    static List<Map<String, Object>> containers(Path file, List<String> problems) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Map<String, Object> doc : documents(file)) {
            if (Set.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                containers.addAll(maps(podSpec(doc).get("containers")));
                containers.addAll(maps(podSpec(doc).get("initContainers")));
            } else if ("Job".equals(doc.get("kind")) || "CronJob".equals(doc.get("kind"))) {
                problems.add(rel(file) + " has a " + doc.get("kind") + " this test does not check");
            }
        }
        return containers;
    }

    static List<Map<String, Object>> podVolumes(Path file) {
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (Map<String, Object> doc : documents(file)) {
            if (Set.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                volumes.addAll(maps(podSpec(doc).get("volumes")));
            }
        }
        return volumes;
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    /** A KafkaUser's ACLs as "type name patternType Operation" lines. */
    static Set<String> strimziAcls(Map<String, Object> user) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> acl : acls(user)) {
            Map<String, Object> r = map(acl.get("resource"));
            String type = String.valueOf(r.get("type"));
            String name = type.equals("cluster") ? "kafka-cluster" : String.valueOf(r.get("name"));
            String pattern = String.valueOf(r.getOrDefault("patternType", "literal"));
            for (String op : ops(acl)) {
                out.add(type + " " + name + " " + pattern + " " + op);
            }
        }
        return out;
    }

    /** The code's grants in the same lines (Strimzi names: prefix, IdempotentWrite, ...). */
    static Set<String> codeAcls(List<Topics.Grant> grants) {
        Set<String> out = new TreeSet<>();
        for (Topics.Grant g : grants) {
            String pattern = g.pattern() == PatternType.PREFIXED ? "prefix" : "literal";
            for (AclOperation op : g.operations()) {
                StringBuilder camel = new StringBuilder();
                for (String word : op.name().split("_")) {
                    camel.append(word.charAt(0)).append(word.substring(1).toLowerCase());
                }
                out.add(
                        g.type().name().toLowerCase()
                                + " "
                                + g.name()
                                + " "
                                + pattern
                                + " "
                                + camel);
            }
        }
        return out;
    }

    static void compareAcls(
            String file,
            String user,
            Set<String> manifest,
            Set<String> code,
            List<String> problems) {
        Set<String> extra = new TreeSet<>(manifest);
        extra.removeAll(code);
        Set<String> missing = new TreeSet<>(code);
        missing.removeAll(manifest);
        if (!extra.isEmpty()) {
            problems.add(file + " KafkaUser " + user + " grants what the code does not: " + extra);
        }
        if (!missing.isEmpty()) {
            problems.add(file + " KafkaUser " + user + " lacks what the code grants: " + missing);
        }
    }

    static List<Map<String, Object>> acls(Map<String, Object> user) {
        return maps(map(map(user.get("spec")).get("authorization")).get("acls"));
    }

    static Set<String> ops(Map<String, Object> acl) {
        Set<String> ops = new LinkedHashSet<>();
        list(acl.get("operations")).forEach(o -> ops.add(String.valueOf(o)));
        if (acl.get("operation") != null) {
            ops.add(String.valueOf(acl.get("operation")));
        }
        return ops;
    }

    static String cleanupPolicy(Map<String, ?> config) {
        Object policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return policy == null ? TopicConfig.CLEANUP_POLICY_DELETE : String.valueOf(policy);
    }

    static String projectVersion() {
        Matcher m =
                Pattern.compile(
                                "<artifactId>fairshare-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(read(REPO.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no version of fairshare-parent in pom.xml");
        }
        return m.group(1).trim();
    }

    static List<Map<String, Object>> documents(Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError(rel(file) + " is missing");
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : YAML.loadAll(r)) {
                if (doc instanceof Map<?, ?>) {
                    docs.add(map(doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(rel(file) + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /**
     * {@code yaml} with every list of objects in a canonical order (by its text); lists of scalars
     * (a command's arguments, say) keep theirs.
     */
    @SuppressWarnings("unchecked")
    static <T> T unordered(T yaml) {
        if (yaml instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), unordered(v)));
            return (T) out;
        }
        if (yaml instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(unordered(v)));
            if (!out.isEmpty() && out.stream().allMatch(v -> v instanceof Map<?, ?>)) {
                out.sort(java.util.Comparator.comparing(String::valueOf));
            }
            return (T) out;
        }
        return yaml;
    }

    static List<Path> javaSources(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String rel(Path file) {
        return file.startsWith(REPO) ? REPO.relativize(file).toString() : file.toString();
    }

    static String name(Map<String, Object> resource) {
        return String.valueOf(map(resource.get("metadata")).get("name"));
    }

    /** MicroProfile Config's environment variable for a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    static String kebab(String member) {
        return member.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(DeploymentManifestsTest::map).toList();
    }
}
