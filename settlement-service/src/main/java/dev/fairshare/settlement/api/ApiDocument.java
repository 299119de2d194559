package dev.fairshare.settlement.api;

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
 * "bearer")}. The committed copy is docs/openapi/settlement.yaml (OpenApiDocumentTest).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Fairshare settlement-service",
                        version = "0.1.0",
                        description =
                                "Periods, statements, revenue pools, payouts, invoices, accruals, the ledger and finance reports.",
                        license =
                                @License(
                                        name = "Apache-2.0",
                                        url = "https://www.apache.org/licenses/LICENSE-2.0")),
        servers = @Server(url = "http://localhost:8083", description = "the local stack"),
        tags = {
            @Tag(
                    name = "settlement",
                    description = "Periods, statements, payouts, invoices and accruals"),
            @Tag(
                    name = "payouts",
                    description =
                            "Payout profiles, FX rates, four-eyes payout runs, payment files (pain.001, CSV) and remittance advice"),
            @Tag(
                    name = "pools",
                    description =
                            "Revenue pools of subscription platforms: declarations, their history and their split among models"),
            @Tag(
                    name = "finance",
                    description =
                            "The ledger, the settlement report and compliance: unlicensed usage, findings, currency mismatches")
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
