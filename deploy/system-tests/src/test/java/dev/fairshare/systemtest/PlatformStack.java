package dev.fairshare.systemtest;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link SystemStack} for the ITs that integrate as a platform would ({@link #USERS}): a stack
 * of their own, not {@link SystemStack#shared()}, because {@code PlatformClientIT} closes the
 * current month, which no IT on the shared stack may do. Both classes carry {@code @Order(2)}, so
 * they run one after the other, after the fault ITs and before the shared stack boots. The first
 * class that asks for it starts it, and it is closed as soon as every one of them is done (or, when
 * a run selects only some of them, by JUnit's root store at the end of the run), so these classes
 * pay for one start and no other IT runs beside an idle stack of theirs. A class takes it as a
 * parameter of its {@code @BeforeAll} method with {@code @ExtendWith(PlatformStack.class)}.
 */
final class PlatformStack implements ParameterResolver, AfterAllCallback {
    static final Set<Class<?>> USERS = Set.of(PlatformClientIT.class, IntegrationGuideIT.class);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PlatformStack.class);
    private static final Set<Class<?>> DONE = new HashSet<>();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(SystemStack.class, key -> start(), SystemStack.class);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        context.getTestClass().ifPresent(DONE::add);
        if (DONE.containsAll(USERS)) {
            SystemStack stack =
                    context.getRoot()
                            .getStore(NAMESPACE)
                            .remove(SystemStack.class, SystemStack.class);
            if (stack != null) {
                stack.close();
            }
        }
    }

    private static SystemStack start() {
        try {
            return SystemStack.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the system stack", e);
        }
    }
}
