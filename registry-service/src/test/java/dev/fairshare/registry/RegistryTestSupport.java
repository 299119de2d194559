package dev.fairshare.registry;

import static io.restassured.RestAssured.given;

import dev.fairshare.localstack.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** Small helpers for the registry's REST tests. */
final class RegistryTestSupport {
    private RegistryTestSupport() {}

    static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse post(String path, String json) {
        return given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post(path)
                .then();
    }

    static String maker() {
        String id = uid("mk");
        post("/makers", "{\"id\":\"" + id + "\",\"name\":\"Maker " + id + "\"}").statusCode(201);
        return id;
    }

    static String platform() {
        String id = uid("pf");
        post("/platforms", "{\"id\":\"" + id + "\",\"name\":\"Platform " + id + "\"}")
                .statusCode(201);
        return id;
    }

    static String model(String maker, String parentsJson) {
        String id = uid("md");
        post(
                        "/models",
                        "{\"id\":\""
                                + id
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"M\","
                                + "\"license\":{\"id\":\"apache-2.0\",\"commercialUse\":true},\"parents\":"
                                + parentsJson
                                + "}")
                .statusCode(201);
        return id;
    }
}
