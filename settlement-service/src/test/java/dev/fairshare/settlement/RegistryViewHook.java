package dev.fairshare.settlement;

import dev.fairshare.settlement.service.SettlementService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

/**
 * A test's hook into a close or an estimate at the moment it has taken its registry view: what a
 * test sets here runs in the computation's thread, before the usage is read and rated.
 */
@Singleton
public class RegistryViewHook {
    private static volatile Consumer<SettlementService.RegistryViewTaken> action;

    static void set(Consumer<SettlementService.RegistryViewTaken> hook) {
        action = hook;
    }

    static void clear() {
        action = null;
    }

    void on(@Observes SettlementService.RegistryViewTaken taken) {
        Consumer<SettlementService.RegistryViewTaken> a = action;
        if (a != null) {
            a.accept(taken);
        }
    }
}
