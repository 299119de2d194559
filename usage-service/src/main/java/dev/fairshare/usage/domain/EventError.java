package dev.fairshare.usage.domain;

/** One violation of the ingestion contract, with its stable code and the field. */
public record EventError(String code, String field, String message) {}
