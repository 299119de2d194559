package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Account;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Accounts, by username. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, String> {

    /** Every account, by username. */
    public List<Account> allByUsername() {
        return findAll(Sort.by("username")).list();
    }
}
