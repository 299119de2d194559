package dev.fairshare.usage.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.problem.ProblemException;
import dev.fairshare.usage.service.IngestResult;
import dev.fairshare.usage.service.IngestService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/usage-events")
@Tag(name = "ingestion")
@SecurityRequirement(name = "bearer")
public class UsageEventsResource {
    public static final String NDJSON = "application/x-ndjson";

    private final IngestService ingest;
    private final ObjectMapper mapper;
    private final UsageConfig config;

    private final Caller caller;

    public UsageEventsResource(
            IngestService ingest, ObjectMapper mapper, UsageConfig config, Caller caller) {
        this.caller = caller;
        this.ingest = ingest;
        this.mapper = mapper;
        this.config = config;
    }

    @POST
    @RolesAllowed(Caller.PLATFORM)
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<IngestResult> postUsageEvents(
            @jakarta.ws.rs.core.Context HttpHeaders headers, byte[] body) {
        MediaType type = headers.getMediaType();
        // the platform comes from the token: an event naming another is PLATFORM_MISMATCH
        String platformId = caller.platformId();
        java.time.Instant now = ingest.now();
        List<IngestService.Element> events =
                type != null && type.isCompatible(MediaType.valueOf(NDJSON))
                        ? ndjson(body)
                        : array(body, platformId, now);
        IngestResult result = ingest.ingest(events, platformId, now);
        return RestResponse.ResponseBuilder.accepted(result)
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /**
     * The elements of a JSON array: each object's bytes as sent (and its event, read in the same
     * pass when it is well formed), any other value's tree.
     */
    private List<IngestService.Element> array(
            byte[] body, String platformId, java.time.Instant now) {
        List<IngestService.Element> events = new ArrayList<>();
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw malformed("the body must be a JSON array of usage events");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw malformed("the JSON array is not closed");
                }
                if (events.size() == config.maxBatchEvents()) {
                    throw tooMany();
                }
                if (t == JsonToken.START_OBJECT) {
                    events.add(ingest.arrayObject(p, body, platformId, now));
                } else {
                    events.add(new IngestService.Element(mapper.readTree(p)));
                }
            }
            if (p.nextToken() != null) {
                throw malformed("unexpected content after the JSON array");
            }
        } catch (IOException e) {
            throw malformed(
                    "the body is not valid JSON: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                                    ? j.getOriginalMessage()
                                    : e.getMessage()));
        }
        return events;
    }

    private List<IngestService.Element> ndjson(byte[] body) {
        List<IngestService.Element> events = new ArrayList<>();
        int parsed = 0;
        for (String line : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (events.size() == config.maxBatchEvents()) {
                throw tooMany();
            }
            JsonNode node;
            try {
                node =
                        mapper.reader()
                                .with(
                                        com.fasterxml.jackson.databind.DeserializationFeature
                                                .FAIL_ON_TRAILING_TOKENS)
                                .readTree(line);
                parsed++;
            } catch (IOException e) {
                node = null;
            }
            events.add(new IngestService.Element(node));
        }
        if (parsed == 0 && !events.isEmpty()) {
            throw malformed("no line of the body is JSON");
        }
        return events;
    }

    private ProblemException tooMany() {
        return new ProblemException(
                413,
                "TOO_MANY_EVENTS",
                "at most " + config.maxBatchEvents() + " events per request; split the batch");
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(400, "MALFORMED_JSON", detail);
    }
}
