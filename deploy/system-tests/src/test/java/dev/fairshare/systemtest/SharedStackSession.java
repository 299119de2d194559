package dev.fairshare.systemtest;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Closes {@link SystemStack#shared()} when the test run ends, after every test engine (JUnit
 * Jupiter's ITs and jqwik's properties alike) has run. Registered in {@code
 * META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class SharedStackSession implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SystemStack.closeShared();
    }
}
