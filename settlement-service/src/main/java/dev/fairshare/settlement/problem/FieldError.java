package dev.fairshare.settlement.problem;

/** One offending field of a problem: its name, a stable code and a message. */
public record FieldError(String field, String code, String message) {}
