package dev.fairshare.systemtest;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link SystemStack} for the ITs that integrate as a platform would (PlatformClientIT,
 * IntegrationGuideIT): the first class that asks for it starts it, and JUnit's root store closes it
 * after the last test of the run, so these classes pay for one start. A class takes it as a
 * parameter of its {@code @BeforeAll} method with {@code @ExtendWith(PlatformStack.class)}.
 */
final class PlatformStack implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PlatformStack.class);

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

    private static SystemStack start() {
        try {
            return SystemStack.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the system stack", e);
        }
    }
}
