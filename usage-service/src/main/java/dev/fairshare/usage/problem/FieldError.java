package dev.fairshare.usage.problem;

/** One offending field of a problem. */
public record FieldError(String field, String code, String message) {}
