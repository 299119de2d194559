package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A platform alias a maker proposed for its own model; an alias once the platform accepts it. */
@Entity
@Table(name = "alias_proposal")
public class AliasProposal extends PanacheEntityBase {
    public static final String PROPOSED = "PROPOSED";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String modelId;
    public String makerId;
    public String platformId;
    public String ref;
    public Instant validFrom;
    public String status;
    public String proposedBy;
    public Instant proposedAt;
    public String decidedBy;
    public Instant decidedAt;
    public String reason;
}
