package dev.fairshare.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** PostgreSQL and Kafka together, and the configuration a service needs to use them. */
public final class Infrastructure implements AutoCloseable {
    /** The initial admin's password of the tests and of the local stack (not for production). */
    public static final String ADMIN_PASSWORD = "fairshare-admin";

    private final Database database;
    private final Broker broker;
    private final Keys keys;

    private Infrastructure(Database database, Broker broker, Keys keys) {
        this.database = database;
        this.broker = broker;
        this.keys = keys;
    }

    /**
     * Starts both servers with the fixed test key pair; {@code dataDir} null keeps PostgreSQL's
     * files in a temporary folder.
     */
    public static Infrastructure start(Path dataDir, int pgPort) {
        try {
            return start(
                    dataDir,
                    pgPort,
                    Keys.testPair(java.nio.file.Files.createTempDirectory("fairshare-keys")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts both servers; the services sign and verify tokens with {@code keys}. */
    public static Infrastructure start(Path dataDir, int pgPort, Keys keys) {
        Database db = Database.start(dataDir, pgPort, true);
        try {
            return new Infrastructure(db, Broker.start(), keys);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Database database() {
        return database;
    }

    public Broker broker() {
        return broker;
    }

    public Keys keys() {
        return keys;
    }

    /** Quarkus configuration of one service: its own database and the shared broker. */
    public Map<String, String> quarkusConfig(String databaseName) {
        return config(database, broker.bootstrapServers(), keys, databaseName);
    }

    /** The same configuration as environment variables, for a service run as a process. */
    public Map<String, String> environment(String databaseName) {
        return asEnvironment(quarkusConfig(databaseName));
    }

    /**
     * The configuration of the service whose database is {@code databaseName}, on any PostgreSQL
     * and broker (the fault-injection suite runs its own, restartable ones).
     */
    public static Map<String, String> config(
            Database database, String bootstrapServers, Keys keys, String databaseName) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl(databaseName));
        config.put("quarkus.datasource.username", database.user());
        config.put("quarkus.datasource.password", database.password());
        config.put("kafka.bootstrap.servers", bootstrapServers);
        // SCRAM over plaintext on loopback; production uses SASL_SSL (the services' default)
        config.put("kafka.security.protocol", "SASL_PLAINTEXT");
        String principal = "fairshare-" + databaseName;
        if (Topics.SERVICE_GRANTS.containsKey(principal)) {
            config.put("fairshare.kafka.username", principal);
            config.put("fairshare.kafka.password", KafkaSecurity.localPassword(principal));
        }
        config.put("mp.jwt.verify.publickey.location", keys.publicKey().toUri().toString());
        if (databaseName.equals("registry")) {
            config.put("smallrye.jwt.sign.key.location", keys.privateKey().toUri().toString());
            config.put("fairshare.admin.password", ADMIN_PASSWORD);
            // the dashboard (settlement-service on this host) forwards the browser's address with
            // its sign-ins; only a proxy on this host is believed
            config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
            config.put("quarkus.http.proxy.allow-x-forwarded", "true");
            config.put("quarkus.http.proxy.trusted-proxies", "127.0.0.1,[::1]");
        }
        if (databaseName.equals("settlement")) {
            // the local stack and the tests serve the dashboard over plain http
            config.put("fairshare.dashboard.secure-cookie", "false");
        }
        return config;
    }

    /** Configuration properties as the environment variables MicroProfile Config maps them from. */
    public static Map<String, String> asEnvironment(Map<String, String> config) {
        Map<String, String> env = new LinkedHashMap<>();
        config.forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        return env;
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            database.close();
        }
    }
}
