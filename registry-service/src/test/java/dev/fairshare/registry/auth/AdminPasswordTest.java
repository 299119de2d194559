package dev.fairshare.registry.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The initial admin's password follows the rules of every password, or the service stops. */
class AdminPasswordTest {
    @Test
    void theDeployPlaceholdersAndShortPasswordsStopTheStart() {
        for (String refused : new String[] {"CHANGE-ME", "change-me-admin", "eleven char"}) {
            assertThatThrownBy(
                            () -> AuthService.requireAcceptableAdminPassword(Optional.of(refused)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FAIRSHARE_ADMIN_PASSWORD")
                    .hasMessageContaining("refused");
        }
    }

    @Test
    void aRealPasswordOrNoneStarts() {
        assertThatCode(
                        () ->
                                AuthService.requireAcceptableAdminPassword(
                                        Optional.of("twelve chars")))
                .doesNotThrowAnyException();
        assertThatCode(() -> AuthService.requireAcceptableAdminPassword(Optional.empty()))
                .doesNotThrowAnyException();
    }
}
