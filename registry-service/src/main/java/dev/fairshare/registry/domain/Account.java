package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user of the services: a role, and the maker or platform the role acts for. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {
    @Id public String username;
    public String passwordHash;
    public String role;
    public String makerId;
    public String platformId;
    public Instant createdAt;
    public Instant disabledAt;
}
