package dev.fairshare.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real PostgreSQL server: an embedded PostgreSQL 17 (zonky), or an external server when {@code
 * FAIRSHARE_DB_URL} names one (e.g. {@code jdbc:postgresql://db:5432/}, with {@code
 * FAIRSHARE_DB_USER} and {@code FAIRSHARE_DB_PASSWORD}).
 */
public final class Database implements AutoCloseable {
    /** One database per service. */
    public static final List<String> DATABASES = List.of("registry", "usage", "settlement");

    private final EmbeddedPostgres embedded;
    private final String baseUrl;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgres embedded, String baseUrl, String user, String password) {
        this.embedded = embedded;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.user = user;
        this.password = password;
    }

    /**
     * Starts an embedded server in {@code dataDir} (kept between starts unless {@code clean}), on
     * {@code port} (0: any free port), or connects to the external one that the environment names.
     */
    public static Database start(Path dataDir, int port, boolean clean) {
        String external = System.getenv("FAIRSHARE_DB_URL");
        Database db;
        if (external != null && !external.isBlank()) {
            db =
                    new Database(
                            null,
                            external,
                            envOr("FAIRSHARE_DB_USER", "postgres"),
                            envOr("FAIRSHARE_DB_PASSWORD", ""));
        } else {
            try {
                EmbeddedPostgres.Builder builder =
                        EmbeddedPostgres.builder()
                                .setCleanDataDirectory(clean)
                                .setServerConfig("max_connections", "200")
                                // zonky starts the server with fsync and synchronous commit off;
                                // money is settled here, so both are on, as in production
                                .setServerConfig("fsync", "on")
                                .setServerConfig("synchronous_commit", "on");
                // FAIRSHARE_PG_SETTINGS="name=value,…": more server settings (benchmarks,
                // profiling)
                for (String setting : envOr("FAIRSHARE_PG_SETTINGS", "").split(",")) {
                    int eq = setting.indexOf('=');
                    if (eq > 0) {
                        builder.setServerConfig(
                                setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
                    }
                }
                if (dataDir != null) {
                    builder.setDataDirectory(dataDir);
                }
                if (port > 0) {
                    builder.setPort(port);
                }
                EmbeddedPostgres pg = builder.start();
                db =
                        new Database(
                                pg,
                                "jdbc:postgresql://localhost:" + pg.getPort() + "/",
                                "postgres",
                                "");
            } catch (IOException e) {
                throw new IllegalStateException("could not start embedded PostgreSQL", e);
            }
        }
        db.createDatabases();
        return db;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private void createDatabases() {
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password);
                Statement s = c.createStatement()) {
            for (String name : DATABASES) {
                try (var rs =
                        s.executeQuery(
                                "select 1 from pg_database where datname = '" + name + "'")) {
                    if (!rs.next()) {
                        s.execute("create database " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the service databases", e);
        }
    }

    public String jdbcUrl(String database) {
        return baseUrl + database;
    }

    /**
     * Creates a database of its own for one test ({@code prefix} and a random suffix) and returns
     * its JDBC URL.
     */
    public String createScratch(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /**
     * Rewrites Flyway's history of the database at {@code url} as the versioned migrations V1 to
     * V{@code through} leave it: one successful SQL migration a version, nothing else.
     */
    public void recordVersionedMigrations(String url, int through) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("delete from flyway_schema_history");
            s.execute(
                    "insert into flyway_schema_history (installed_rank, version, description, type,"
                            + " script, checksum, installed_by, execution_time, success)"
                            + " select v, v::text, 'migration ' || v, 'SQL', 'V' || v || '__migration.sql',"
                            + " 0, current_user, 1, true from generate_series(1, "
                            + through
                            + ") v");
        } catch (SQLException e) {
            throw new IllegalStateException("could not rewrite the schema history of " + url, e);
        }
    }

    /** Flyway's history of the database at {@code url}: "version type script success" a row. */
    public List<String> schemaHistory(String url) {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select version, type, script, success from flyway_schema_history"
                                        + " order by installed_rank")) {
            while (rs.next()) {
                rows.add(
                        String.join(
                                " ",
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                String.valueOf(rs.getBoolean(4))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the schema history of " + url, e);
        }
        return rows;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new IllegalStateException("could not stop embedded PostgreSQL", e);
            }
        }
    }
}
