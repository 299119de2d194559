package dev.fairshare.usage.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The service's OpenAPI document: info, licence, the local server, tag descriptions and the {@code
 * bearer} scheme that every protected operation names with {@code @SecurityRequirement(name =
 * "bearer")}. The committed copy is docs/openapi/usage.yaml (OpenApiDocumentTest).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Fairshare usage-service",
                        version = "0.1.0",
                        description =
                                "The ingestion edge: platforms report usage events over HTTP (or straight to their Kafka topic usage.in.<platformId>); roll-ups, unattributed usage and the stored events for audit.",
                        license =
                                @License(
                                        name = "Apache-2.0",
                                        url = "https://www.apache.org/licenses/LICENSE-2.0")),
        servers = @Server(url = "http://localhost:8082", description = "the local stack"),
        tags = {
            @Tag(name = "ingestion", description = "Report usage events (a PLATFORM token)"),
            @Tag(name = "usage", description = "Roll-ups, unattributed usage and stored events")
        },
        components =
                @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "An access token from registry-service's POST /auth/token")
public class ApiDocument extends Application {}
