package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A ref prefix ending in {@code /} that belongs to one maker (granted by ADMIN). */
@Entity
@Table(name = "maker_namespace")
public class MakerNamespace extends PanacheEntityBase {
    @Id public String prefix;
    public String makerId;
    public Instant createdAt;
}
