package dev.fairshare.registry.api;

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
 * "bearer")}. The committed copy is docs/openapi/registry.yaml (OpenApiDocumentTest).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Fairshare registry-service",
                        version = "0.1.0",
                        description =
                                "Makers, platforms, models with licences, lineage and aliases, agreements, accounts, API keys and tokens. Every change is audited and published on the registry.* topics.",
                        license =
                                @License(
                                        name = "Apache-2.0",
                                        url = "https://www.apache.org/licenses/LICENSE-2.0")),
        servers = @Server(url = "http://localhost:8081", description = "the local stack"),
        tags = {
            @Tag(
                    name = "auth",
                    description =
                            "Tokens for a username and password or a platform API key, and accounts (ADMIN)"),
            @Tag(
                    name = "makers",
                    description = "Model makers and the namespaces of refs they may name"),
            @Tag(name = "platforms", description = "Hosting platforms and their API keys"),
            @Tag(
                    name = "models",
                    description = "Models with their licence, parents (lineage) and aliases"),
            @Tag(
                    name = "aliases",
                    description = "Proposals of platform aliases and dispute corrections of a ref"),
            @Tag(
                    name = "agreements",
                    description =
                            "Agreements between a maker and a platform: revenue share, per unit or pool share"),
            @Tag(name = "audit", description = "The append-only log of every registry change")
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
