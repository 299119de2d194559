package dev.fairshare.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.settlement.problem.ProblemException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The transaction helper commits what its work wrote when the work returns, rolls all of it back
 * when the work throws (the work's own exception leaves unchanged), and keeps an SQL failure's
 * state. Written to {@code consumer_offset} under a group of each test's own.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class TransactionsTest {
    private static final String TOPIC = "transactions-test";

    @Inject Transactions tx;
    @Inject ConsumerStore offsets;

    private static String group() {
        return "transactions-test-" + UUID.randomUUID();
    }

    private Map<Integer, Long> stored(String group) {
        return tx.read(c -> offsets.offsets(c, group, TOPIC));
    }

    @Test
    void whatTheWorkWroteIsCommittedWhenItReturns() {
        String group = group();
        String result =
                tx.inTransaction(
                        c -> {
                            offsets.saveOffsets(c, group, TOPIC, Map.of(0, 7L, 1, 9L));
                            return "done";
                        });
        assertThat(result).isEqualTo("done");
        assertThat(stored(group)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 7L, 1, 9L));
    }

    @Test
    void everythingIsRolledBackWhenTheWorkThrowsAndItsExceptionLeavesAsItIs() {
        String group = group();
        ProblemException refused = new ProblemException(409, "REFUSED", "refused after a write");
        assertThatThrownBy(
                        () ->
                                tx.inTransaction(
                                        c -> {
                                            offsets.saveOffsets(c, group, TOPIC, Map.of(0, 7L));
                                            throw refused;
                                        }))
                .isSameAs(refused);
        assertThat(stored(group)).isEmpty();
    }

    @Test
    void theWorkRunsInOneTransactionAtTheIsolationAskedFor() {
        int[] seen =
                tx.inTransaction(
                        Connection.TRANSACTION_REPEATABLE_READ,
                        c -> new int[] {c.getAutoCommit() ? 1 : 0, c.getTransactionIsolation()});
        assertThat(seen).containsExactly(0, Connection.TRANSACTION_REPEATABLE_READ);
        int[] plain =
                tx.inTransaction(
                        c -> new int[] {c.getAutoCommit() ? 1 : 0, c.getTransactionIsolation()});
        assertThat(plain).containsExactly(0, Connection.TRANSACTION_READ_COMMITTED);
    }

    @Test
    void anSqlFailureLeavesWithItsStateAndRollsBackTheRest() {
        String group = group();
        assertThatThrownBy(
                        () ->
                                tx.inTransaction(
                                        c -> {
                                            offsets.saveOffsets(c, group, TOPIC, Map.of(0, 7L));
                                            try (var s = c.createStatement()) {
                                                s.execute(
                                                        "insert into consumer_offset (consumer_group, topic, partition_no, next_offset)"
                                                                + " values ('"
                                                                + group
                                                                + "', '"
                                                                + TOPIC
                                                                + "', 0, 8)");
                                            }
                                            return null;
                                        }))
                .isInstanceOfSatisfying(
                        Transactions.DataAccessException.class,
                        e -> assertThat(e.sqlState()).isEqualTo("23505"));
        assertThat(stored(group)).isEmpty();
    }
}
