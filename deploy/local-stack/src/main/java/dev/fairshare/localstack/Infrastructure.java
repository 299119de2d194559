package dev.fairshare.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** PostgreSQL and Kafka together, and the configuration a service needs to use them. */
public final class Infrastructure implements AutoCloseable {
    private final Database database;
    private final Broker broker;

    private Infrastructure(Database database, Broker broker) {
        this.database = database;
        this.broker = broker;
    }

    /** Starts both servers; {@code dataDir} null keeps PostgreSQL's files in a temporary folder. */
    public static Infrastructure start(Path dataDir, int pgPort) {
        Database db = Database.start(dataDir, pgPort, true);
        try {
            return new Infrastructure(db, Broker.start());
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

    /** Quarkus configuration of one service: its own database and the shared broker. */
    public Map<String, String> quarkusConfig(String databaseName) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl(databaseName));
        config.put("quarkus.datasource.username", database.user());
        config.put("quarkus.datasource.password", database.password());
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    /** The same configuration as environment variables, for a service run as a process. */
    public Map<String, String> environment(String databaseName) {
        Map<String, String> env = new LinkedHashMap<>();
        quarkusConfig(databaseName)
                .forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
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
