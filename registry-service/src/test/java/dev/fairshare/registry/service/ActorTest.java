package dev.fairshare.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fairshare.registry.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** A caller's tenant is never missing: a filter by tenant cannot fall away for want of one. */
class ActorTest {
    @Test
    void aMakerOrPlatformWithoutItsTenantIsRefused() {
        ProblemException maker =
                catchThrowableOfType(
                        ProblemException.class, () -> new Actor("ann", "MAKER", null, null));
        assertThat(maker.status()).isEqualTo(403);
        assertThat(maker.code()).isEqualTo("FORBIDDEN");
        assertThat(maker.getMessage()).isEqualTo("a MAKER token must name the tenant it acts for");

        ProblemException platform =
                catchThrowableOfType(
                        ProblemException.class,
                        () -> new Actor("platform:p1:key:k1", "PLATFORM", "coqui", null));
        assertThat(platform.status()).isEqualTo(403);
        assertThat(platform.code()).isEqualTo("FORBIDDEN");
        assertThat(platform.getMessage())
                .isEqualTo("a PLATFORM token must name the tenant it acts for");
    }

    @Test
    void eachRoleWithWhatItNeedsIsAnActor() {
        assertThat(new Actor("ann", "MAKER", "coqui", null).isMaker()).isTrue();
        assertThat(new Actor("platform:p1:key:k1", "PLATFORM", null, "p1").isPlatform()).isTrue();
        Actor admin = new Actor("admin", "ADMIN", null, null);
        assertThat(admin.isAdmin()).isTrue();
        assertThat(admin.isMaker()).isFalse();
        assertThat(new Actor("fin", "FINANCE", null, null).isPlatform()).isFalse();
    }
}
