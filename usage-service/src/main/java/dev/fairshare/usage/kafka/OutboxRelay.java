package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.runtime.BackgroundLoop;
import dev.fairshare.usage.store.Outbox;
import io.opentelemetry.context.Context;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes an {@link Outbox} to its topic (record key: the message's key) on a thread of its own
 * ({@link BackgroundLoop}): batch after batch while there are messages, then every {@link #idle()}.
 * A message is deleted only once the broker has acknowledged it, so a relay that stops in between
 * sends it again: its readers apply each message once (by an id in the payload). A message goes
 * with the trace of the batch that wrote it when that trace is sampled and was handed over in this
 * instance ({@link Tracing}). A subclass is the bean of one outbox: it names the outbox, its topic
 * and the pause.
 */
public abstract class OutboxRelay extends BackgroundLoop {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * Messages a batch takes at most: a few hundred keep a relay that catches up from holding a
     * large share of the heap at once (a message may be kilobytes).
     */
    static final int BATCH = 200;

    @Inject KafkaClients clients;
    @Inject Tracing tracing;
    private final String topic;

    protected OutboxRelay(String threadName, String topic) {
        super(threadName, false);
        this.topic = topic;
    }

    /** The outbox this relay publishes. */
    protected abstract Outbox outbox();

    /** How long the relay waits when the outbox is empty. */
    protected abstract Duration idle();

    @Override
    protected void loop() {
        while (running()) {
            try {
                if (relayOnce() == 0) {
                    Thread.sleep(idle().toMillis());
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
        return outbox().relay(BATCH, this::send);
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
