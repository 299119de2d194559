package dev.fairshare.registry;

import static dev.fairshare.registry.AuthMatrixTest.expect;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.registry.auth.Passwords;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Failed sign-ins are limited per username and per client address (API keys per address only): 10 a
 * minute, then 429 TOO_MANY_ATTEMPTS with Retry-After, counted in the database before any password
 * comparison. The test profile believes X-Forwarded-For from 127.0.0.1 (as the local stack does for
 * the dashboard), so each test signs in from addresses of its own.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class LoginThrottleTest {
    static final String PASSWORD = AuthMatrixTest.PASSWORD;
    static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Inject AgroalDataSource dataSource;

    /** A client address no other test uses. */
    static String address() {
        return "198.51.100." + ADDRESSES.incrementAndGet();
    }

    static String account() {
        return AuthMatrixTest.financeAccount();
    }

    static ValidatableResponse signIn(String from, String username, String password) {
        return given().header("X-Forwarded-For", from)
                .contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/auth/token")
                .then();
    }

    static void tooMany(ValidatableResponse r) {
        expect(r, 429, "TOO_MANY_ATTEMPTS");
        int retryAfter = Integer.parseInt(r.extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 60);
    }

    @Test
    void theEleventhFailureOfAUsernameIs429FromAnyAddressEvenWithTheRightPassword() {
        String user = account();
        String from = address();
        for (int i = 0; i < 10; i++) {
            expect(signIn(from, user, "wrong password " + i), 401, "INVALID_CREDENTIALS");
        }
        tooMany(signIn(from, user, "wrong password 10"));
        tooMany(signIn(from, user, PASSWORD));
        tooMany(signIn(address(), user, PASSWORD));
        // the control: another account from another address is not affected
        signIn(address(), account(), PASSWORD).statusCode(200);
    }

    @Test
    void theEleventhFailureFromAnAddressIs429ForEveryUsername() {
        String from = address();
        for (int i = 0; i < 10; i++) {
            expect(signIn(from, uid("nobody"), PASSWORD), 401, "INVALID_CREDENTIALS");
        }
        String user = account();
        tooMany(signIn(from, user, PASSWORD));
        signIn(address(), user, PASSWORD).statusCode(200);
    }

    @Test
    void aSuccessTakesItsAttemptBackAndTheUsernameStartsAfresh() {
        String user = account();
        String from = address();
        for (int i = 0; i < 9; i++) {
            expect(signIn(from, user, "wrong password " + i), 401, "INVALID_CREDENTIALS");
        }
        signIn(from, user, PASSWORD).statusCode(200);
        // the username counts from zero again; the address holds its 9 failures: one more is
        // allowed
        expect(signIn(address(), user, "wrong again"), 401, "INVALID_CREDENTIALS");
        expect(signIn(from, uid("nobody"), PASSWORD), 401, "INVALID_CREDENTIALS");
        tooMany(signIn(from, uid("nobody"), PASSWORD));
    }

    @Test
    void aWindowThatEndedCountsNoMore() throws Exception {
        String user = account();
        String from = address();
        for (int i = 0; i < 11; i++) {
            signIn(from, user, "wrong password " + i);
        }
        tooMany(signIn(from, user, PASSWORD));
        // the windows of this user and address began two minutes ago
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "update login_attempt set window_start = now() - interval '2 minutes'"
                                        + " where key in (?, ?)")) {
            ps.setString(1, "user:" + user);
            ps.setString(2, "address:" + from);
            assertThat(ps.executeUpdate()).isEqualTo(2);
        }
        signIn(from, user, PASSWORD).statusCode(200);
    }

    @Test
    void badApiKeysAreLimitedPerAddressButNeverLockAKeyOut() {
        String from = address();
        for (int i = 0; i < 10; i++) {
            expect(apiKey(from, "fsk_" + uid("k") + "_guess"), 401, "INVALID_CREDENTIALS");
        }
        tooMany(apiKey(from, "fsk_" + uid("k") + "_guess"));
        // a real key's (public) id guessed 11 times from elsewhere: the key still works
        String platform = RegistryTestSupport.platform();
        var key = AuthMatrixTest.createKey(platform);
        for (int i = 0; i < 11; i++) {
            expect(
                    apiKey(address(), "fsk_" + key.getString("keyId") + "_guess" + i),
                    401,
                    "INVALID_CREDENTIALS");
        }
        apiKey(address(), key.getString("apiKey")).statusCode(200);
    }

    static ValidatableResponse apiKey(String from, String key) {
        return given().header("X-Forwarded-For", from)
                .contentType(ContentType.JSON)
                .body("{\"apiKey\":\"" + key + "\"}")
                .post("/auth/token")
                .then();
    }

    /**
     * A refused attempt costs no bcrypt comparison: 20 refusals take less time than 10 comparisons
     * on this machine (with a comparison each, they would take at least twice as long).
     */
    @Test
    void aRefusalComesBeforeThePasswordComparison() {
        String user = account();
        String from = address();
        for (int i = 0; i < 11; i++) {
            signIn(from, user, "wrong password " + i);
        }
        String hash = Passwords.hash(PASSWORD);
        long comparisons = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            Passwords.matches("wrong password", hash);
        }
        comparisons = System.nanoTime() - comparisons;
        long refusals = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            expect(signIn(from, user, PASSWORD), 429, "TOO_MANY_ATTEMPTS");
        }
        refusals = System.nanoTime() - refusals;
        assertThat(refusals).isLessThan(comparisons);
    }
}
