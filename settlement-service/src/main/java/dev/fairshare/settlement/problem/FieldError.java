package dev.fairshare.settlement.problem;

/** One offending field of a request: its name, a stable code and a message for people. */
public record FieldError(String field, String code, String message) {}
