package dev.fairshare.usage.kafka;

import dev.fairshare.usage.store.EventStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's positions as stored in PostgreSQL beside the data they count ({@link
 * EventStore#positions}): the positions that count, where Kafka's own are informational.
 */
final class StoredPositions {
    private StoredPositions() {}

    /** The next offset stored for each of {@code partitions} that has one. */
    static Map<TopicPartition, Long> of(
            EventStore store, String group, Collection<TopicPartition> partitions) {
        Map<String, TopicPartition> byName = new HashMap<>();
        partitions.forEach(tp -> byName.put(tp.topic() + "-" + tp.partition(), tp));
        Map<TopicPartition, Long> out = new HashMap<>();
        store.positions(group, byName.keySet())
                .forEach((name, offset) -> out.put(byName.get(name), offset));
        return out;
    }

    /**
     * Seeks each of {@code partitions} to its stored position, and those without one to the
     * beginning; answers how many had none.
     */
    static int seek(
            KafkaConsumer<?, ?> consumer,
            EventStore store,
            String group,
            Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = of(store, group, partitions);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long offset = stored.get(tp);
            if (offset == null) {
                fromStart.add(tp);
            } else {
                consumer.seek(tp, offset);
            }
        }
        // an empty collection would send every assigned partition back to the beginning
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        return fromStart.size();
    }
}
