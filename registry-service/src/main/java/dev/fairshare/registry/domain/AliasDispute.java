package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A dispute correction: from {@code fromDay} on, the ref's usage in its scope is {@code
 * toModelId}'s.
 */
@Entity
@Table(name = "alias_dispute")
public class AliasDispute extends PanacheEntityBase {
    @Id public UUID id;
    public String ref;
    public String platformId;
    public String toModelId;

    @Column(name = "from_day")
    public Instant fromDay;

    public String reason;
    public String replacedModelId;
    public String actor;
    public Instant createdAt;
}
