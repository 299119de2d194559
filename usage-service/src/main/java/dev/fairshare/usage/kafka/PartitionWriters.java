package dev.fairshare.usage.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Writers that commit the consumer's batches in parallel, each on its own thread (and database
 * connection). A partition always goes to the same writer, so its batches are committed in order.
 * Once a batch fails, its writer refuses every later batch: a later batch must never store offsets
 * past records that were not committed. The owner then closes the writers and starts again from the
 * offsets stored in PostgreSQL.
 *
 * <p>Used by the consumer's poll thread only (not thread-safe itself).
 */
final class PartitionWriters implements AutoCloseable {
    private final List<Writer> writers = new ArrayList<>();
    private final Map<TopicPartition, Writer> owners = new HashMap<>();
    private final int maxPending;
    private int next;

    /**
     * {@code count} writers, each with at most {@code maxPending} batches queued or running before
     * the poll thread waits for it (the records of every such batch are in memory).
     */
    PartitionWriters(int count, String name, int maxPending) {
        this.maxPending = maxPending;
        for (int i = 0; i < count; i++) {
            writers.add(new Writer(name + "-" + i));
        }
    }

    /** The writer of {@code tp}'s batches (assigned in turn on first sight). */
    int writerOf(TopicPartition tp) {
        Writer w = owners.get(tp);
        if (w == null) {
            w = writers.get(next++ % writers.size());
            owners.put(tp, w);
        }
        return writers.indexOf(w);
    }

    int size() {
        return writers.size();
    }

    /**
     * True when writer {@code index} has as many batches as it may hold (a batch that has finished
     * counts until {@link #finished} collected it): its partitions should not be polled now.
     */
    boolean full(int index) {
        return writers.get(index).pending.size() >= maxPending;
    }

    /**
     * Queues {@code batch} on writer {@code index}, first waiting for that writer's oldest batch
     * when it has {@code maxPending} already. Answers what finished meanwhile.
     */
    List<Map<TopicPartition, Long>> submit(int index, Callable<Map<TopicPartition, Long>> batch)
            throws InterruptedException, ExecutionException {
        Writer w = writers.get(index);
        List<Map<TopicPartition, Long>> done = new ArrayList<>();
        while (w.pending.size() >= maxPending) {
            done.add(w.pending.poll().get());
        }
        w.pending.add(w.executor.submit(() -> w.run(batch)));
        return done;
    }

    /**
     * The committed positions of the batches that have finished, in order; throws the failure of
     * the first that failed.
     */
    List<Map<TopicPartition, Long>> finished() throws InterruptedException, ExecutionException {
        List<Map<TopicPartition, Long>> done = new ArrayList<>();
        for (Writer w : writers) {
            while (!w.pending.isEmpty() && w.pending.peek().isDone()) {
                done.add(w.pending.poll().get());
            }
        }
        return done;
    }

    /** Throws when a writer has failed, even if the failure was already reported. */
    void checkHealthy() {
        for (Writer w : writers) {
            if (w.failed) {
                throw new IllegalStateException("a writer failed; restarting from stored offsets");
            }
        }
    }

    /**
     * Waits until every queued batch of every writer has finished (committed, or failed or refused
     * after a failure); then throws the first failure, if any. Never returns while a batch is still
     * running: the partitions must not go to another consumer before that.
     */
    List<Map<TopicPartition, Long>> drain() throws InterruptedException, ExecutionException {
        List<Map<TopicPartition, Long>> done = new ArrayList<>();
        ExecutionException first = null;
        for (Writer w : writers) {
            while (!w.pending.isEmpty()) {
                try {
                    done.add(w.pending.poll().get());
                } catch (ExecutionException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return done;
    }

    /** Lets running batches finish (commit or fail) and stops the threads. */
    @Override
    public void close() {
        for (Writer w : writers) {
            w.failed = true; // queued batches not yet started are dropped: they are re-read
            w.executor.shutdown();
        }
        for (Writer w : writers) {
            try {
                w.executor.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Writer {
        final ExecutorService executor;
        final Deque<Future<Map<TopicPartition, Long>>> pending = new ArrayDeque<>();
        volatile boolean failed;

        Writer(String name) {
            executor =
                    Executors.newSingleThreadExecutor(
                            r -> {
                                Thread t = new Thread(r, name);
                                t.setDaemon(true);
                                return t;
                            });
        }

        Map<TopicPartition, Long> run(Callable<Map<TopicPartition, Long>> batch) throws Exception {
            if (failed) {
                throw new IllegalStateException("an earlier batch of this writer failed");
            }
            try {
                return batch.call();
            } catch (Exception | Error e) {
                failed = true;
                throw e;
            }
        }
    }
}
