package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.kafka;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.localstack.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.junit.jupiter.api.Test;

/**
 * Onboarding gives a platform its own Kafka principal with exactly the ACLs of the code's table
 * (Topics.platformGrants), shown once; a new issue replaces the password, a revocation deletes the
 * credential and the ACLs. The system test KafkaAclIT produces with them.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "registry"))
class KafkaCredentialsTest {

    static JsonPath onboard(String id) {
        return post("/platforms", "{\"id\":\"" + id + "\",\"name\":\"P\"}")
                .statusCode(201)
                .body("id", equalTo(id))
                .body("kafka.username", equalTo("platform-" + id))
                .body("kafka.topic", equalTo("usage.in." + id))
                .body("kafka.saslMechanism", equalTo("SCRAM-SHA-512"))
                .body("kafka.securityProtocol", equalTo("SASL_PLAINTEXT"))
                .body(
                        "kafka.bootstrapServers",
                        equalTo(FairshareTestResource.infrastructure().broker().bootstrapServers()))
                .extract()
                .jsonPath();
    }

    static java.util.Set<AclBinding> aclsOf(String principal) throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            return new HashSet<>(
                    admin.describeAcls(
                                    new AclBindingFilter(
                                            ResourcePatternFilter.ANY,
                                            new AccessControlEntryFilter(
                                                    "User:" + principal,
                                                    null,
                                                    AclOperation.ANY,
                                                    AclPermissionType.ANY)))
                            .values()
                            .get());
        }
    }

    /** Connects as the user: true when the broker authenticated it. */
    static boolean authenticates(String user, String password) throws Exception {
        Map<String, Object> props =
                FairshareTestResource.infrastructure().broker().clientProperties(user, password);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void onboardingIssuesAPrincipalThatMayOnlyWriteItsOwnTopic() throws Exception {
        String id = uid("pf");
        JsonPath created = onboard(id);
        String password = created.getString("kafka.password");
        assertThat(password).hasSizeGreaterThanOrEqualTo(43);

        assertThat(aclsOf("platform-" + id))
                .containsExactlyInAnyOrderElementsOf(
                        KafkaSecurity.bindings(
                                Topics.platformPrincipal(id), Topics.platformGrants(id)));
        assertThat(authenticates("platform-" + id, password)).isTrue();
        assertThat(authenticates("platform-" + id, password + "x")).isFalse();

        // the platform's record carries no credential; its creation is its one audit entry
        given().auth()
                .oauth2(Tokens.admin())
                .get("/platforms/" + id)
                .then()
                .statusCode(200)
                .body("kafka", equalTo(null));
        assertThat(JsonPath.from(auditOf("kafka-credential", id)).getList("items")).isEmpty();
        assertThat(auditOf("platform", id)).contains(id).doesNotContain(password);
    }

    /** The audit entries about one entity, as JSON. */
    static String auditOf(String entityType, String id) {
        return given().auth()
                .oauth2(Tokens.admin())
                .queryParam("entityType", entityType)
                .queryParam("entityId", id)
                .get("/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    @Test
    void aNewIssueReplacesThePasswordAndARevocationEndsTheIdentity() throws Exception {
        String id = uid("pf");
        String first = onboard(id).getString("kafka.password");

        String second =
                post("/platforms/" + id + "/kafka-credentials", "")
                        .statusCode(201)
                        .header(
                                "Location",
                                org.hamcrest.Matchers.endsWith(
                                        "/platforms/" + id + "/kafka-credentials"))
                        .body("username", equalTo("platform-" + id))
                        .body("topic", equalTo("usage.in." + id))
                        .extract()
                        .path("password");
        assertThat(second).isNotEqualTo(first);
        assertThat(authenticates("platform-" + id, first)).isFalse();
        assertThat(authenticates("platform-" + id, second)).isTrue();

        given().auth()
                .oauth2(Tokens.admin())
                .delete("/platforms/" + id + "/kafka-credentials")
                .then()
                .statusCode(204);
        assertThat(aclsOf("platform-" + id)).isEmpty();
        assertThat(authenticates("platform-" + id, second)).isFalse();
        // one entry each for the new issue and the revocation, naming the principal, never a
        // password
        String audit = auditOf("kafka-credential", id);
        assertThat(JsonPath.from(audit).getList("items.action", String.class))
                .containsExactlyInAnyOrder("ISSUE", "REVOKE");
        assertThat(audit).contains("platform-" + id).doesNotContain(first).doesNotContain(second);
        // revoking again changes nothing and still answers 204
        given().auth()
                .oauth2(Tokens.admin())
                .delete("/platforms/" + id + "/kafka-credentials")
                .then()
                .statusCode(204);

        // issued again after a revocation: a working identity with its ACLs
        String third =
                post("/platforms/" + id + "/kafka-credentials", "")
                        .statusCode(201)
                        .extract()
                        .path("password");
        assertThat(authenticates("platform-" + id, third)).isTrue();
        assertThat(aclsOf("platform-" + id)).hasSize(3);
    }

    @Test
    void anUnknownPlatformIs404() {
        String id = uid("nope");
        post("/platforms/" + id + "/kafka-credentials", "")
                .statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        given().auth()
                .oauth2(Tokens.admin())
                .delete("/platforms/" + id + "/kafka-credentials")
                .then()
                .statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
    }
}
