package dev.fairshare.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's cookies are Secure unless a deployment turns it off: the packaged default is
 * true, and no profile of the packaged configuration turns it off (the local stack and the tests
 * set it to false themselves, deploy/local-stack Infrastructure).
 */
class CookieDefaultsTest {
    @Test
    void theCookieIsSecureByDefault() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        assertThat(p.getProperty("fairshare.dashboard.secure-cookie")).isEqualTo("true");
        assertThat(p.stringPropertyNames())
                .filteredOn(k -> k.endsWith("fairshare.dashboard.secure-cookie"))
                .containsExactly("fairshare.dashboard.secure-cookie");
    }
}
