package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fairshare.settlement.problem.FieldError;
import java.util.List;

/** An RFC 9457 problem document with a stable {@code code} and the offending fields. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        List<FieldError> errors) {}
