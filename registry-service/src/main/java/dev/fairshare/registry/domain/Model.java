package dev.fairshare.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "model")
public class Model extends PanacheEntityBase {
    @Id public String id;
    public String makerId;
    public String name;
    public String licenseId;
    public boolean commercialUse;
    public Instant createdAt;

    @OneToMany(mappedBy = "modelId", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("parentId")
    public List<ModelParent> parents = new ArrayList<>();

    @OneToMany(mappedBy = "modelId", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("id")
    public List<ModelAlias> aliases = new ArrayList<>();
}
