package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.runtime.Daemon;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes the committed deltas of {@code attributed_outbox} to {@code usage.attributed} (key
 * modelId) and deletes them once the broker acknowledged them. At least once: a delta re-sent after
 * a crash carries the same deltaId, which settlement applies only once.
 */
@ApplicationScoped
public class AttributedRelay {
    public static final String TOPIC = "usage.attributed";
    private static final Logger LOG = Logger.getLogger(AttributedRelay.class);
    private static final long LOCK_KEY = 0x7573616765L;

    private final AgroalDataSource dataSource;
    private final KafkaClients clients;
    private final UsageConfig config;
    private final Daemon daemon = new Daemon("attributed-relay", this::loop, false);

    public AttributedRelay(AgroalDataSource dataSource, KafkaClients clients, UsageConfig config) {
        this.dataSource = dataSource;
        this.clients = clients;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        daemon.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        daemon.stop();
    }

    private void loop() {
        while (daemon.running()) {
            try {
                if (relayOnce() == 0) {
                    Thread.sleep(config.relayInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("attributed relay failed, will retry: %s", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends one batch of deltas; returns how many it sent. */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock =
                    c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.rollback();
                        return 0;
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            // a row holds one model's deltas of one batch (kilobytes each): a few hundred at a
            // time keep a relay that catches up from holding a large share of the heap at once
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "select id, model_id, payload from attributed_outbox order by id limit 200")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        acks.add(
                                clients.producer()
                                        .send(
                                                new ProducerRecord<>(
                                                        TOPIC,
                                                        rs.getString(2)
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        rs.getString(3)
                                                                .getBytes(
                                                                        StandardCharsets.UTF_8))));
                    }
                }
            }
            if (ids.isEmpty()) {
                c.rollback();
                return 0;
            }
            for (Future<RecordMetadata> a : acks) {
                a.get();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("delete from attributed_outbox where id = any(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
            c.commit();
            return ids.size();
        }
    }
}
