package dev.fairshare.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The one test resource of every service: real PostgreSQL and real Kafka, started once per test JVM
 * and shared by its test classes. The init arg {@code database} names the service's database.
 */
public class FairshareTestResource implements QuarkusTestResourceLifecycleManager {
    private static Infrastructure infrastructure;
    private String database = "postgres";

    /** The infrastructure of this JVM, started on first use. */
    public static synchronized Infrastructure infrastructure() {
        if (infrastructure == null) {
            infrastructure = Infrastructure.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close));
        }
        return infrastructure;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return infrastructure().quarkusConfig(database);
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped by the shutdown hook
    }
}
