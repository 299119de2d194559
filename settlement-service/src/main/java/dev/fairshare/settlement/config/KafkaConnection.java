package dev.fairshare.settlement.config;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Properties;

/**
 * The one place where this service's Kafka clients get the broker's address and the service's
 * credentials: the {@code kafka.*} configuration (bootstrap servers, {@code security.protocol},
 * SASL/SCRAM-SHA-512 as {@code fairshare.kafka.username}, TLS trust), which the Kafka health check
 * uses as well.
 */
@ApplicationScoped
public class KafkaConnection {
    private final Map<String, Object> config;

    public KafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> config) {
        this.config = Map.copyOf(config);
    }

    /** New client properties holding only the connection settings; the caller adds its own. */
    public Properties properties() {
        Properties p = new Properties();
        config.forEach(
                (key, value) -> {
                    if (key.equals("bootstrap.servers")
                            || key.equals("security.protocol")
                            || key.startsWith("sasl.")
                            || key.startsWith("ssl.")) {
                        p.put(key, value);
                    }
                });
        return p;
    }
}
