package dev.fairshare.usage.runtime;

/**
 * The thread of one of the service's background loops (registry replica, attributed relay, roll-up
 * folder): started once, its loop runs while {@link #running()}, and {@link #stop()} ends it.
 */
public final class Daemon {
    private final String name;
    private final Runnable loop;
    private final boolean interruptOnStop;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param interruptOnStop whether stopping interrupts the loop (only for loops that wait in
     *     sleeps, not in Kafka or JDBC calls, which an interrupt can leave half done)
     */
    public Daemon(String name, Runnable loop, boolean interruptOnStop) {
        this.name = name;
        this.loop = loop;
        this.interruptOnStop = interruptOnStop;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the loop should go on. */
    public boolean running() {
        return running;
    }

    /** Asks the loop to end and waits for it, ten seconds at the most. */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            if (interruptOnStop) {
                t.interrupt();
            }
            t.join(10_000);
        }
    }
}
