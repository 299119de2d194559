package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A platform's API key, known here only by the SHA-256 of its secret. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
    @Id public String id;
    public String platformId;
    public String keyHash;
    public Instant createdAt;
    public Instant revokedAt;
}
