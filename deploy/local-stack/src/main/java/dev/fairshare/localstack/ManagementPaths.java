package dev.fairshare.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the operational endpoints live: on a service's management interface (its own port), and
 * nowhere on the public one. Every service's tests check it with {@link #misplaced}.
 */
public final class ManagementPaths {
    /** Health, metrics, the OpenAPI document and Swagger UI. */
    public static final List<String> PATHS =
            List.of("/q/health/live", "/q/metrics", "/q/openapi", "/q/swagger-ui/");

    private ManagementPaths() {}

    /**
     * Fails, naming each misplaced path, unless the operational endpoints are on the management
     * interface ({@code managementUrl}, as a Quarkus test injects it) and not on the public port.
     */
    public static void assertInPlace(int publicPort, java.net.URL managementUrl) {
        List<String> problems = misplaced("http://localhost:" + publicPort, origin(managementUrl));
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** {@code scheme://host:port} of a URL (a test's injected URL ends in a path, e.g. /q/). */
    public static String origin(java.net.URL url) {
        return url.getProtocol() + "://" + url.getHost() + ":" + url.getPort();
    }

    /**
     * What is wrong: each path that the public port answers with anything but 404, or that the
     * management port does not answer with 200. Empty when everything is in its place.
     */
    public static List<String> misplaced(String publicUrl, String managementUrl) {
        List<String> problems = new ArrayList<>();
        for (String path : PATHS) {
            int open = Http.get(publicUrl + path).status();
            if (open != 404) {
                problems.add(path + " answers " + open + " on the public port " + publicUrl);
            }
            int management = Http.get(managementUrl + path).status();
            if (management != 200) {
                problems.add(
                        path
                                + " answers "
                                + management
                                + " on the management port "
                                + managementUrl);
            }
        }
        return problems;
    }
}
