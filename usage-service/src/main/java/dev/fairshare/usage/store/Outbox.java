package dev.fairshare.usage.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of messages committed in the transaction of the change they announce ({@code id}, a key,
 * a JSON payload and the id of the batch that wrote it). {@link #relay} hands the oldest to a
 * sender and deletes them once it has returned: at least once, in id order, one relay at a time
 * among the service's instances.
 */
public final class Outbox {
    /** One message as committed. */
    public record Message(long id, String key, String payload, String batchId) {}

    /** Sends messages and returns once the broker has acknowledged each of them. */
    @FunctionalInterface
    public interface Sender {
        void send(List<Message> messages) throws Exception;
    }

    private final Transactions transactions;
    private final String table;
    private final String keyColumn;
    private final String batchColumn;
    private final long lockKey;

    private Outbox(
            Transactions transactions,
            String table,
            String keyColumn,
            String batchColumn,
            long lockKey) {
        this.transactions = transactions;
        this.table = table;
        this.keyColumn = keyColumn;
        this.batchColumn = batchColumn;
        this.lockKey = lockKey;
    }

    /**
     * The {@code usage.attributed} deltas of the roll-up folds and the re-attributions, keyed by
     * model id.
     */
    public static Outbox attributed(Transactions transactions) {
        // a delta's id is its batch's id, '/', its number
        return new Outbox(
                transactions,
                "attributed_outbox",
                "model_id",
                "split_part(delta_id, '/', 1)",
                0x7573616765L);
    }

    /**
     * Hands the oldest {@code limit} messages to {@code sender} and deletes them once it has
     * returned, in one transaction; answers how many it sent (0 when another relay holds the lock
     * or the outbox is empty).
     */
    public int relay(int limit, Sender sender) throws Exception {
        try {
            return transactions.inTransaction(
                    c -> {
                        List<Message> messages =
                                TransactionLock.tryLock(c, lockKey) ? oldest(c, limit) : List.of();
                        if (messages.isEmpty()) {
                            return 0;
                        }
                        send(sender, messages);
                        delete(c, messages);
                        return messages.size();
                    });
        } catch (SendFailed e) {
            Exception failure = (Exception) e.getCause();
            for (Throwable t : e.getSuppressed()) {
                failure.addSuppressed(t);
            }
            throw failure;
        }
    }

    /**
     * Hands {@code messages} to {@code sender}; a checked exception it throws leaves the
     * transaction as a {@link SendFailed}, which rolls it back, and {@link #relay} as itself.
     */
    private static void send(Sender sender, List<Message> messages) {
        try {
            sender.send(messages);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SendFailed(e);
        }
    }

    /** A checked exception of the sender, on its way out of the relay's transaction. */
    private static final class SendFailed extends RuntimeException {
        SendFailed(Exception cause) {
            super(cause);
        }
    }

    private List<Message> oldest(Connection c, int limit) throws SQLException {
        List<Message> messages = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select id, "
                                + keyColumn
                                + ", payload, "
                                + batchColumn
                                + " from "
                                + table
                                + " order by id limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    messages.add(
                            new Message(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4)));
                }
            }
        }
        return messages;
    }

    private void delete(Connection c, List<Message> messages) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("delete from " + table + " where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", messages.stream().map(Message::id).toArray()));
            ps.executeUpdate();
        }
    }
}
