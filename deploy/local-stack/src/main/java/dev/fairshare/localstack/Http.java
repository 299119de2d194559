package dev.fairshare.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON-over-HTTP client for the runner, the demo seed and the system tests. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    /** A response: status and body. */
    public record Response(int status, String body) {}

    public static Response post(String url, String json) {
        return post(url, json, null);
    }

    public static Response get(String url) {
        return get(url, null);
    }

    /** Posts JSON with a bearer token (none when {@code token} is null). */
    public static Response post(String url, String json, String token) {
        return send(
                bearer(HttpRequest.newBuilder(URI.create(url)), token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Puts JSON with a bearer token and fails unless the status is {@code expected}. */
    public static String putExpect(String url, String json, int expected, String token) {
        Response r =
                send(
                        bearer(HttpRequest.newBuilder(URI.create(url)), token)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(json)));
        if (r.status() != expected) {
            throw new IllegalStateException(
                    "PUT " + url + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    /** A GET with a bearer token (none when {@code token} is null). */
    public static Response get(String url, String token) {
        return send(bearer(HttpRequest.newBuilder(URI.create(url)), token).GET());
    }

    /** Posts and fails unless the status is {@code expected}. */
    public static String postExpect(String url, String json, int expected) {
        return postExpect(url, json, expected, null);
    }

    /** Posts with a bearer token and fails unless the status is {@code expected}. */
    public static String postExpect(String url, String json, int expected, String token) {
        Response r = post(url, json, token);
        if (r.status() != expected) {
            throw new IllegalStateException(
                    "POST " + url + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    /** Exchanges credentials (a JSON body for POST /auth/token) for an access token. */
    public static String token(String registryUrl, String credentialsJson) {
        String body = postExpect(registryUrl + "/auth/token", credentialsJson, 200);
        return body.replaceAll("(?s).*\"accessToken\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    /** Any method without a body, with a bearer token (none when {@code token} is null). */
    public static Response send(String method, String url, String token) {
        return send(
                bearer(HttpRequest.newBuilder(URI.create(url)), token)
                        .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r =
                    CLIENT.send(
                            request.timeout(Duration.ofSeconds(60)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
