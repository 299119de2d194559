package dev.fairshare.usage.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * A bean whose background loop ({@link #loop()}) runs on a thread of its own ({@link Daemon}) from
 * the application's start, when {@link #enabled()}, to its shutdown. Its subclasses inherit the
 * start and shutdown observers; they take their dependencies as {@code @Inject} fields (the
 * container's client proxy needs their no-argument constructor).
 */
public abstract class BackgroundLoop {
    private final Daemon daemon;

    /**
     * @param threadName the name of the loop's thread
     * @param interruptOnStop as {@link Daemon#Daemon(String, Runnable, boolean)}
     */
    protected BackgroundLoop(String threadName, boolean interruptOnStop) {
        this.daemon = new Daemon(threadName, this::loop, interruptOnStop);
    }

    /** The loop, which goes on while {@link #running()}. */
    protected abstract void loop();

    /** Whether this instance runs the loop at all (by default it does). */
    protected boolean enabled() {
        return true;
    }

    /** Whether the loop should go on. */
    protected boolean running() {
        return daemon.running();
    }

    // public: the container's client proxy of a subclass in another package delegates them
    public void start(@Observes StartupEvent event) {
        if (enabled()) {
            daemon.start();
        }
    }

    public void stop(@Observes ShutdownEvent event) throws InterruptedException {
        daemon.stop();
    }
}
