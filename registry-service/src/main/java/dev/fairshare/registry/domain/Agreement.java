package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "agreement")
public class Agreement extends PanacheEntityBase {
    @Id public String id;
    public String makerId;
    public String platformId;
    public String modelId;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 3)
    public String currency;

    public Instant validFrom;
    public Instant validTo;
    public String termsType;
    public BigDecimal rate;
    public String metric;
    public BigDecimal unitSize;
    public BigDecimal minimumGuarantee;
    public Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "agreement_tier", joinColumns = @JoinColumn(name = "agreement_id"))
    @OrderColumn(name = "idx")
    public List<Tier> tiers = new ArrayList<>();

    /** One graduated tier: {@code upTo} null is the open-ended last tier. */
    @Embeddable
    public static class Tier {
        @Column(name = "up_to")
        public BigDecimal upTo;

        public BigDecimal price;
    }
}
