package dev.fairshare.usage.kafka;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Kafka's lz4 codec in its native (JNI) build. lz4-java takes its JNI build only once it is loaded
 * or when its classes come from the system class loader; in Quarkus they come from the
 * application's class loader, so the codec would decompress every inbound batch in Java (a
 * twentieth of the service's CPU samples in the ingestion benchmark, docs/benchmarks-history.md).
 * Loaded before any Kafka client starts; when the library cannot load, Kafka keeps the Java build.
 */
@ApplicationScoped
public class NativeCompression {
    private static final Logger LOG = Logger.getLogger(NativeCompression.class);

    void load(@Observes @Priority(1) StartupEvent event) {
        try {
            // reflection: lz4-java is Kafka's runtime dependency, not ours
            Object factory =
                    Class.forName("net.jpountz.lz4.LZ4Factory")
                            .getMethod("nativeInstance")
                            .invoke(null);
            LOG.debugf("Kafka's lz4 codec: %s", factory);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.infof("Kafka's lz4 codec stays in Java: %s", e);
        }
    }
}
