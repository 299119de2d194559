package dev.fairshare.usage.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWritersTest {
    static final TopicPartition A0 = new TopicPartition("usage.in.a", 0);
    static final TopicPartition A1 = new TopicPartition("usage.in.a", 1);
    static final TopicPartition B0 = new TopicPartition("usage.in.b", 0);

    @Test
    void aPartitionKeepsItsWriterAndPartitionsAreSharedInTurn() {
        try (PartitionWriters w = new PartitionWriters(2, "test", 2)) {
            assertThat(w.writerOf(A0)).isEqualTo(0);
            assertThat(w.writerOf(A1)).isEqualTo(1);
            assertThat(w.writerOf(B0)).isEqualTo(0);
            assertThat(w.writerOf(A1)).isEqualTo(1);
            assertThat(w.writerOf(A0)).isEqualTo(0);
        }
    }

    @Test
    void batchesOfOneWriterCommitInOrderAndReportTheirPositions() throws Exception {
        List<Long> order = new CopyOnWriteArrayList<>();
        try (PartitionWriters w = new PartitionWriters(2, "test", 2)) {
            for (long i = 1; i <= 5; i++) {
                long n = i;
                w.submit(
                        0,
                        () -> {
                            order.add(n);
                            return Map.of(A0, n * 10);
                        });
            }
            List<Map<TopicPartition, Long>> done = w.drain();
            assertThat(order).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(done.get(done.size() - 1)).containsEntry(A0, 50L);
        }
    }

    @Test
    void withOneBatchAWriterTheNextWaitsInThePollThreadUntilTheRunningOneHasCommitted()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (PartitionWriters w = new PartitionWriters(2, "test", 1)) {
            assertThat(
                            w.submit(
                                    0,
                                    () -> {
                                        release.await(10, TimeUnit.SECONDS);
                                        ran.add("first");
                                        return Map.of(A0, 10L);
                                    }))
                    .isEmpty();
            // the other writer is not held up by the first one's running batch
            assertThat(w.submit(1, () -> Map.of(A1, 5L))).isEmpty();
            Thread submitter =
                    new Thread(
                            () -> {
                                try {
                                    ran.add(
                                            "second submitted after "
                                                    + w.submit(0, () -> Map.of(A0, 20L)));
                                } catch (Exception e) {
                                    ran.add(e.toString());
                                }
                            });
            submitter.start();
            submitter.join(300);
            // still waiting: the writer's one batch has not finished
            assertThat(submitter.isAlive()).isTrue();
            assertThat(ran).isEmpty();
            release.countDown();
            submitter.join(10_000);
            assertThat(ran).containsExactly("first", "second submitted after [{" + A0 + "=10}]");
            assertThat(w.drain()).containsExactlyInAnyOrder(Map.of(A1, 5L), Map.of(A0, 20L));
        }
    }

    @Test
    void afterAFailedBatchItsWriterRefusesEveryLaterBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (PartitionWriters w = new PartitionWriters(2, "test", 2)) {
            w.submit(
                    0,
                    () -> {
                        release.await(10, TimeUnit.SECONDS);
                        ran.add("failing");
                        throw new IllegalStateException("database gone");
                    });
            // queued behind the failing batch: must never store its (later) offsets
            w.submit(
                    0,
                    () -> {
                        ran.add("later");
                        return Map.of(A0, 99L);
                    });
            w.submit(
                    1,
                    () -> {
                        release.await(10, TimeUnit.SECONDS);
                        Thread.sleep(300);
                        ran.add("other writer");
                        return Map.of(A1, 7L);
                    });
            release.countDown();
            assertThatThrownBy(w::drain)
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("database gone");
            // the failure is thrown only once every writer's batches have finished: the
            // partitions must not go to another consumer while one still runs
            assertThat(ran).containsExactlyInAnyOrder("failing", "other writer");
            assertThatThrownBy(w::checkHealthy).isInstanceOf(IllegalStateException.class);
            w.submit(
                    0,
                    () -> {
                        ran.add("after the failure");
                        return Map.of(A0, 100L);
                    });
            assertThatThrownBy(w::drain)
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("an earlier batch of this writer failed");
            assertThat(ran).doesNotContain("later", "after the failure");
        }
    }
}
