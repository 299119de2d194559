package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Account;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Accounts, by username. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, String> {}
