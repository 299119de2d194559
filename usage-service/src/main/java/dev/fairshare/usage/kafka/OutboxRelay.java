package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.runtime.Daemon;
import dev.fairshare.usage.store.Outbox;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes an {@link Outbox} to its topic (record key: the message's key) on a thread of its own:
 * batch after batch while there are messages, then every {@code idle}. A message is deleted only
 * once the broker has acknowledged it, so a relay that stops in between sends it again: its readers
 * apply each message once (by an id in the payload). A message goes with the trace of the batch
 * that wrote it when that trace is sampled and was handed over in this instance ({@link Tracing}).
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * Messages a batch takes at most: a few hundred keep a relay that catches up from holding a
     * large share of the heap at once (a message may be kilobytes).
     */
    static final int BATCH = 200;

    private final Outbox outbox;
    private final String topic;
    private final KafkaClients clients;
    private final Duration idle;
    private final Tracing tracing;
    private final Daemon daemon;

    public OutboxRelay(
            String name,
            Outbox outbox,
            String topic,
            KafkaClients clients,
            Duration idle,
            Tracing tracing) {
        this.outbox = outbox;
        this.tracing = tracing;
        this.topic = topic;
        this.clients = clients;
        this.idle = idle;
        this.daemon = new Daemon(name, this::loop, false);
    }

    public void start() {
        daemon.start();
    }

    public void stop() throws InterruptedException {
        daemon.stop();
    }

    private void loop() {
        while (daemon.running()) {
            try {
                if (relayOnce() == 0) {
                    Thread.sleep(idle.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("relay to %s failed, will retry: %s", topic, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends one batch of messages; returns how many it sent. */
    public int relayOnce() throws Exception {
        return outbox.relay(BATCH, this::send);
    }

    private void send(List<Outbox.Message> messages) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(messages.size());
        for (Outbox.Message m : messages) {
            // the sampled trace of the batch or fold that wrote it, if it was handed over here
            Context trace = tracing.takeUp(m.batchId());
            records.add(
                    new ProducerRecord<>(
                            topic,
                            null,
                            m.key().getBytes(StandardCharsets.UTF_8),
                            m.payload().getBytes(StandardCharsets.UTF_8),
                            trace == null ? null : Tracing.headers(trace)));
        }
        clients.sendAll(records);
    }
}
