package dev.fairshare.usage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {
    @Test
    void aConfiguredIdIsTheMemberIdAndTheSessionTimeoutIsSetInMilliseconds() {
        StaticMembership m =
                StaticMembership.of(
                        Optional.of("usage-service-7d9f-x2"),
                        "usage-service",
                        8082,
                        Duration.ofSeconds(60));
        Properties p = new Properties();
        m.configure(p);
        assertThat(p)
                .containsEntry("group.instance.id", "usage-service-7d9f-x2")
                .containsEntry("session.timeout.ms", "60000")
                .hasSize(2);
    }

    @Test
    void withoutAnIdTheHostAndPortMakeOneThatDiffersPerLocalInstanceAndSurvivesARestart() {
        Optional<String> none = Optional.empty();
        String first = StaticMembership.of(none, "usage-service", 8082, Duration.ZERO).instanceId();
        String again = StaticMembership.of(none, "usage-service", 8082, Duration.ZERO).instanceId();
        String other = StaticMembership.of(none, "usage-service", 8182, Duration.ZERO).instanceId();
        assertThat(first)
                .isEqualTo("usage-service-" + StaticMembership.hostName() + "-8082")
                .isEqualTo(again)
                .isNotEqualTo(other);
        // a blank setting (an empty environment variable) counts as none
        assertThat(StaticMembership.of(Optional.of(" "), "usage-service", 8082, Duration.ZERO))
                .extracting(StaticMembership::instanceId)
                .isEqualTo(first);
    }
}
