package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class MakerAndPlatformResourceTest {
    @Inject AgroalDataSource dataSource;

    @Test
    void createsGetsAndListsMakers() {
        String id = uid("maker");
        post("/makers", "{\"id\":\"" + id + "\",\"name\":\"Coqui\"}")
                .statusCode(201)
                .header("Location", endsWith("/makers/" + id))
                .body("id", equalTo(id))
                .body("name", equalTo("Coqui"));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/makers/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Coqui"));
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("size", 1000)
                .get("/makers")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id))
                .body("page", equalTo(0))
                .body("size", equalTo(1000))
                .body("total", greaterThanOrEqualTo(1));
    }

    @Test
    void duplicateMakerIs409() {
        String id = uid("maker");
        post("/makers", "{\"id\":\"" + id + "\",\"name\":\"A\"}").statusCode(201);
        post("/makers", "{\"id\":\"" + id + "\",\"name\":\"B\"}")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("DUPLICATE_ID"));
    }

    /**
     * A request that passes the duplicate check while another transaction inserts the same id: the
     * primary key refuses its row, and the answer is the duplicate's 409.
     */
    @Test
    void aMakerCreatedConcurrentlyFirstIs409() throws Exception {
        String id = uid("maker");
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement ps =
                    first.prepareStatement(
                            "insert into maker (id, name, created_at) values (?, 'First', now())")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            CompletableFuture<ValidatableResponse> second =
                    CompletableFuture.supplyAsync(
                            () -> post("/makers", "{\"id\":\"" + id + "\",\"name\":\"Second\"}"));
            // the second request's insert waits for the first transaction's row
            await().atMost(Duration.ofSeconds(20)).until(this::anInsertOfAMakerWaits);
            first.commit();
            second.get(20, TimeUnit.SECONDS)
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("code", equalTo("DUPLICATE_ID"))
                    .body("detail", equalTo("a concurrent request created the same resource first"))
                    .body("$", not(hasKey("errors")));
        }
        given().auth()
                .oauth2(Tokens.admin())
                .get("/makers/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("First"));
    }

    private boolean anInsertOfAMakerWaits() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) from pg_stat_activity where wait_event_type ="
                                        + " 'Lock' and query ilike 'insert into maker %'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }

    @Test
    void invalidAndMissingFieldsAre422WithTheField() {
        post("/makers", "{\"id\":\"Not Valid!\",\"name\":\"A\"}")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("INVALID_ID"))
                .body("errors[0].field", equalTo("id"));
        post("/platforms", "{\"id\":\"" + uid("pf") + "\"}")
                .statusCode(422)
                .body("code", equalTo("MISSING_FIELD"))
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void malformedJsonIs400ProblemJson() {
        post("/makers", "{\"id\": ")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void anEmptyBodyIs400() {
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(Tokens.admin())
                .contentType(io.restassured.http.ContentType.JSON)
                .post("/makers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void unknownIs404() {
        given().auth()
                .oauth2(Tokens.admin())
                .get("/makers/nobody")
                .then()
                .statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/platforms/nowhere")
                .then()
                .statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void createsAndListsPlatforms() {
        String id = uid("platform");
        post("/platforms", "{\"id\":\"" + id + "\",\"name\":\"Acme\"}")
                .statusCode(201)
                .body("id", equalTo(id));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/platforms/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Acme"));
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("size", 0)
                .get("/platforms")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_PAGE"));
    }
}
