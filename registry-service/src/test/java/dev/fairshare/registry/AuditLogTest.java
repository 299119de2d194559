package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.maker;
import static dev.fairshare.registry.RegistryTestSupport.model;
import static dev.fairshare.registry.RegistryTestSupport.namespace;
import static dev.fairshare.registry.RegistryTestSupport.platform;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every registry write leaves exactly one audit entry, which nobody can change or delete. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class AuditLogTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject AgroalDataSource dataSource;

    record Row(
            String actor,
            String role,
            String entityType,
            String entityId,
            String action,
            JsonNode before,
            JsonNode after,
            String reason) {}

    long lastId() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(max(id), 0) from audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<Row> since(long id) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select actor, role, entity_type, entity_id, action, before::text,"
                                        + " after::text, reason from audit_log where id > ? order by id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(
                            new Row(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6) == null ? null : JSON.readTree(rs.getString(6)),
                                    rs.getString(7) == null ? null : JSON.readTree(rs.getString(7)),
                                    rs.getString(8)));
                }
            }
        }
        return rows;
    }

    /** Runs the call, which must succeed, and answers the one entry it left. */
    Row one(Supplier<ValidatableResponse> call, int status) throws Exception {
        long before = lastId();
        call.get().statusCode(status);
        List<Row> rows = since(before);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    void is(Row r, String actor, String role, String type, String id, String action) {
        assertThat(r.actor()).isEqualTo(actor);
        assertThat(r.role()).isEqualTo(role);
        assertThat(r.entityType()).isEqualTo(type);
        assertThat(r.entityId()).isEqualTo(id);
        assertThat(r.action()).isEqualTo(action);
    }

    @Test
    void everyWriteEndpointLeavesExactlyOneEntryWithItsActor() throws Exception {
        String mk = makerCreatedWithItsState();
        String pf = platformCreated();
        String md = modelCreatedByItsMaker(mk);
        String prefix = namespaceGranted(mk);
        aliasAddedByTheMaker(mk, md, prefix);
        List<Long> proposals = aliasesProposedByTheMaker(mk, md, pf);
        proposalsAcceptedAndRejectedByThePlatform(pf, proposals);
        agreementCreatedAndEnded(mk, pf);
        accountCreatedWithoutItsPassword(mk);
        apiKeyCreatedAndRevokedWithoutItsSecret(pf);
        aliasReattributedWithTheDisputesReason(md, pf);
        refusedChangesLeaveNothing(mk, md);
    }

    /** ADMIN creates a maker: no state before, the maker after. */
    String makerCreatedWithItsState() throws Exception {
        String mk = uid("mk");
        Row r = one(() -> post("/makers", "{\"id\":\"" + mk + "\",\"name\":\"Maker\"}"), 201);
        is(r, "test-admin", "ADMIN", "maker", mk, "CREATE");
        assertThat(r.before()).isNull();
        assertThat(r.after().get("name").asText()).isEqualTo("Maker");
        return mk;
    }

    String platformCreated() throws Exception {
        String pf = uid("pf");
        is(
                one(() -> post("/platforms", "{\"id\":\"" + pf + "\",\"name\":\"P\"}"), 201),
                "test-admin",
                "ADMIN",
                "platform",
                pf,
                "CREATE");
        return pf;
    }

    /** The maker registers a model of its own: the entry names the maker as actor and owner. */
    String modelCreatedByItsMaker(String mk) throws Exception {
        String md = uid("md");
        Row r = one(() -> post(Tokens.maker(mk), "/models", AuthMatrixTest.modelJson(md, mk)), 201);
        is(r, "maker-" + mk, "MAKER", "model", md, "CREATE");
        assertThat(r.after().get("makerId").asText()).isEqualTo(mk);
        return md;
    }

    /** ADMIN grants the maker a namespace: a GRANT entry for the prefix. */
    String namespaceGranted(String mk) throws Exception {
        String prefix = uid("ns") + "/";
        is(
                one(
                        () ->
                                post(
                                        "/makers/" + mk + "/namespaces",
                                        "{\"prefix\":\"" + prefix + "\"}"),
                        201),
                "test-admin",
                "ADMIN",
                "namespace",
                prefix,
                "GRANT");
        return prefix;
    }

    /** The maker adds an alias in its namespace: valid since the beginning of time. */
    void aliasAddedByTheMaker(String mk, String md, String prefix) throws Exception {
        Row r =
                one(
                        () ->
                                post(
                                        Tokens.maker(mk),
                                        "/models/" + md + "/aliases",
                                        "{\"ref\":\"" + prefix + "v1\"}"),
                        201);
        is(r, "maker-" + mk, "MAKER", "alias", prefix + "v1", "ADD");
        assertThat(r.after().get("modelId").asText()).isEqualTo(md);
        assertThat(r.after().get("validFrom").asText()).isEqualTo("1970-01-01T00:00:00Z");
    }

    /**
     * The maker proposes two platform aliases (the first to be accepted, the second rejected): a
     * PROPOSE entry each, named by the proposal's id. Answers the two ids in that order.
     */
    List<Long> aliasesProposedByTheMaker(String mk, String md, String pf) throws Exception {
        List<Long> proposals = new ArrayList<>();
        for (String ref : List.of("accepted-" + md, "rejected-" + md)) {
            Row r =
                    one(
                            () -> {
                                ValidatableResponse v =
                                        post(
                                                Tokens.maker(mk),
                                                "/models/" + md + "/aliases",
                                                "{\"ref\":\""
                                                        + ref
                                                        + "\",\"platformId\":\""
                                                        + pf
                                                        + "\"}");
                                proposals.add(v.extract().jsonPath().getLong("proposalId"));
                                return v;
                            },
                            202);
            is(
                    r,
                    "maker-" + mk,
                    "MAKER",
                    "alias-proposal",
                    "" + proposals.get(proposals.size() - 1),
                    "PROPOSE");
        }
        return proposals;
    }

    /** The platform accepts the first proposal (with its reason) and rejects the second. */
    void proposalsAcceptedAndRejectedByThePlatform(String pf, List<Long> proposals)
            throws Exception {
        Row r =
                one(
                        () ->
                                post(
                                        Tokens.platform(pf),
                                        "/alias-proposals/" + proposals.get(0) + "/accept",
                                        "{\"reason\":\"listed\"}"),
                        200);
        is(r, "platform-" + pf, "PLATFORM", "alias-proposal", "" + proposals.get(0), "ACCEPT");
        assertThat(r.before().get("status").asText()).isEqualTo("PROPOSED");
        assertThat(r.after().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(r.reason()).isEqualTo("listed");
        is(
                one(
                        () ->
                                post(
                                        Tokens.platform(pf),
                                        "/alias-proposals/" + proposals.get(1) + "/reject",
                                        "{}"),
                        200),
                "platform-" + pf,
                "PLATFORM",
                "alias-proposal",
                "" + proposals.get(1),
                "REJECT");
    }

    /** ADMIN creates an agreement and ends it: the END entry shows the end before and after. */
    void agreementCreatedAndEnded(String mk, String pf) throws Exception {
        String ag = uid("ag");
        is(
                one(() -> post("/agreements", AuthMatrixTest.agreementJson(ag, mk, pf)), 201),
                "test-admin",
                "ADMIN",
                "agreement",
                ag,
                "CREATE");
        String endOfYear =
                (java.time.LocalDate.now(java.time.ZoneOffset.UTC).getYear() + 1)
                        + "-01-01T00:00:00Z";
        Row r =
                one(
                        () ->
                                post(
                                        "/agreements/" + ag + "/end",
                                        "{\"validTo\":\"" + endOfYear + "\"}"),
                        200);
        is(r, "test-admin", "ADMIN", "agreement", ag, "END");
        assertThat(r.before().get("validTo").isNull()).isTrue();
        assertThat(r.after().get("validTo").asText()).isEqualTo(endOfYear);
    }

    /** ADMIN creates an account: neither the password nor its hash is in the entry. */
    void accountCreatedWithoutItsPassword(String mk) throws Exception {
        String user = uid("acct");
        Row r =
                one(
                        () ->
                                post(
                                        "/accounts",
                                        AuthMatrixTest.accountJson(
                                                user, AuthMatrixTest.PASSWORD, "MAKER", mk)),
                        201);
        is(r, "test-admin", "ADMIN", "account", user, "CREATE");
        assertThat(r.after().toString())
                .doesNotContain(AuthMatrixTest.PASSWORD)
                .doesNotContain("$2");
    }

    /** ADMIN creates a platform's API key (the secret is not in the entry) and revokes it. */
    void apiKeyCreatedAndRevokedWithoutItsSecret(String pf) throws Exception {
        String admin = Tokens.admin();
        List<String> key = new ArrayList<>();
        Row r =
                one(
                        () -> {
                            ValidatableResponse v = post("/platforms/" + pf + "/api-keys", "");
                            key.add(v.extract().jsonPath().getString("keyId"));
                            key.add(v.extract().jsonPath().getString("apiKey"));
                            return v;
                        },
                        201);
        is(r, "test-admin", "ADMIN", "api-key", key.get(0), "CREATE");
        assertThat(r.after().toString()).doesNotContain(key.get(1));
        r =
                one(
                        () ->
                                given().auth()
                                        .oauth2(admin)
                                        .delete("/platforms/" + pf + "/api-keys/" + key.get(0))
                                        .then(),
                        204);
        is(r, "test-admin", "ADMIN", "api-key", key.get(0), "REVOKE");
        assertThat(r.after().get("revokedAt").isNull()).isFalse();
    }

    /** A dispute correction (ADMIN, with its reason): one entry, the dispute's id. */
    void aliasReattributedWithTheDisputesReason(String md, String pf) throws Exception {
        Row r =
                one(
                        () ->
                                post(
                                        "/aliases/reattribute",
                                        "{\"ref\":\"disputed/"
                                                + md
                                                + "\",\"platformId\":\""
                                                + pf
                                                + "\",\"toModelId\":\""
                                                + md
                                                + "\",\"from\":\"2024-01-01T00:00:00Z\","
                                                + "\"reason\":\"ticket 17\"}"),
                        202);
        is(
                r,
                "test-admin",
                "ADMIN",
                "alias-dispute",
                r.after().get("disputeId").asText(),
                "REATTRIBUTE");
        assertThat(r.reason()).isEqualTo("ticket 17");
        assertThat(r.after().get("toModelId").asText()).isEqualTo(md);
    }

    /** A refused change (a conflict, a forbidden alias) leaves nothing. */
    void refusedChangesLeaveNothing(String mk, String md) throws Exception {
        long before = lastId();
        post("/makers", "{\"id\":\"" + mk + "\",\"name\":\"Again\"}").statusCode(409);
        post(Tokens.maker(uid("mk")), "/models/" + md + "/aliases", "{\"ref\":\"x\"}")
                .statusCode(403);
        assertThat(since(before)).isEmpty();
    }

    @Test
    void theInitialAdminIsAuditedAsCreatedBySystem() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select actor, role, action from audit_log"
                                        + " where entity_type = 'account' and entity_id = 'admin'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("system");
            assertThat(rs.getString(2)).isEqualTo("SYSTEM");
            assertThat(rs.getString(3)).isEqualTo("CREATE");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theTableRefusesUpdateDeleteAndTruncate() throws Exception {
        maker();
        long last = lastId();
        assertThat(last).isPositive();
        for (String sql :
                List.of(
                        "update audit_log set actor = 'someone-else' where id = " + last,
                        "delete from audit_log where id = " + last,
                        "truncate audit_log")) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select actor from audit_log where id = " + last)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("test-admin");
        }
    }

    @Test
    void makersAndPlatformsReadTheEntriesAboutThemselvesOnly() {
        String mine = maker();
        String theirs = maker();
        String pf = platform();
        String md = model(mine, "[]");
        model(theirs, "[]");
        String ns = namespace(mine);
        post(Tokens.maker(mine), "/models/" + md + "/aliases", "{\"ref\":\"" + ns + "a\"}")
                .statusCode(201);
        post(
                        Tokens.platform(pf),
                        "/models/" + md + "/aliases",
                        "{\"ref\":\"p-" + md + "\",\"platformId\":\"" + pf + "\"}")
                .statusCode(201);

        given().auth()
                .oauth2(Tokens.maker(mine))
                .queryParam("size", 1000)
                .get("/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(5))
                .body("items.entityId", hasItem(md))
                .body("items.entityId", hasItem(ns + "a"))
                .body("items.entityId", hasItem("p-" + md))
                .body("items.entityId", not(hasItem(theirs)));
        given().auth()
                .oauth2(Tokens.platform(pf))
                .queryParam("size", 1000)
                .get("/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.entityId", hasItem(pf))
                .body("items.entityId", hasItem("p-" + md));
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("entityType", "model")
                .queryParam("entityId", md)
                .get("/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].actor", equalTo("test-admin"))
                .body("items.action", everyItem(equalTo("CREATE")));
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("entityType", "maker")
                .queryParam("entityId", mine)
                .queryParam("from", "2000-01-01T00:00:00Z")
                .queryParam("to", "2000-01-02T00:00:00Z")
                .get("/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        AuthMatrixTest.expect(
                        given().auth()
                                .oauth2(Tokens.admin())
                                .queryParam("from", "yesterday")
                                .get("/audit")
                                .then(),
                        422,
                        "BAD_TIMESTAMP")
                .body("errors[0].field", equalTo("from"));
        AuthMatrixTest.expect(
                given().auth().oauth2(Tokens.admin()).queryParam("size", 0).get("/audit").then(),
                400,
                "INVALID_PAGE");
    }
}
