package dev.fairshare.settlement.service.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Quarantined;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Unattributed;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The dashboard's calls to the other services: the registry's token endpoint, usage's reports. */
@ApplicationScoped
public class Peers {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ObjectMapper mapper;
    private final String registryUrl;
    private final String usageUrl;

    public Peers(
            ObjectMapper mapper,
            @ConfigProperty(name = "fairshare.registry.url") String registryUrl,
            @ConfigProperty(name = "fairshare.usage.url") String usageUrl) {
        this.mapper = mapper;
        this.registryUrl = registryUrl;
        this.usageUrl = usageUrl;
    }

    /** An issued token. */
    public record Token(String accessToken, long expiresIn) {}

    /**
     * The registry's answer to a username and password: a token (200), a refusal (401), or too many
     * failed attempts (429, with the seconds to wait).
     */
    public record Login(int status, Token token, long retryAfter) {}

    /**
     * Asks the registry for a token; {@code clientAddress} goes along as X-Forwarded-For, which the
     * registry believes only when it trusts this service as a proxy (docs/security.md).
     */
    public Login login(String username, String password, String clientAddress) throws IOException {
        String body =
                mapper.writeValueAsString(
                        mapper.createObjectNode()
                                .put("username", username)
                                .put("password", password));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(registryUrl + "/auth/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (clientAddress != null) {
            request.header("X-Forwarded-For", clientAddress);
        }
        HttpResponse<String> r = send(request);
        if (r.statusCode() == 429) {
            long wait = r.headers().firstValueAsLong("Retry-After").orElse(60);
            return new Login(429, null, wait);
        }
        if (r.statusCode() != 200) {
            return new Login(r.statusCode(), null, 0);
        }
        JsonNode json = mapper.readTree(r.body());
        return new Login(
                200,
                new Token(json.path("accessToken").asText(), json.path("expiresIn").asLong()),
                0);
    }

    /** usage-service's unattributed usage, read with the caller's own token. */
    public List<Unattributed> unattributed(String token) throws IOException {
        return usageItems("/usage/unattributed", token, Unattributed.class);
    }

    /** usage-service's quarantined inbound records, newest first, read with the caller's token. */
    public List<Quarantined> quarantine(String token) throws IOException {
        return usageItems("/quarantine?size=100", token, Quarantined.class);
    }

    /** The {@code items} of a page of usage-service at {@code path}, each read as a {@code row}. */
    private <T> List<T> usageItems(String path, String token, Class<T> row) throws IOException {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(URI.create(usageUrl + path))
                                .header("Authorization", "Bearer " + token)
                                .GET());
        if (r.statusCode() != 200) {
            throw new IOException("usage-service answered " + r.statusCode());
        }
        List<T> items = new ArrayList<>();
        for (JsonNode n : mapper.readTree(r.body()).path("items")) {
            items.add(mapper.treeToValue(n, row));
        }
        return items;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return CLIENT.send(
                    request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
