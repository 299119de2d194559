package dev.fairshare.usage.store;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** Sums for one roll-up key, added to as events are counted. */
public final class RollupDelta {
    private long events;
    private BigDecimal revenue = BigDecimal.ZERO;
    private final Map<String, BigDecimal> units = new TreeMap<>();

    public void add(BigDecimal revenue, Map<String, BigDecimal> units) {
        events++;
        this.revenue = this.revenue.add(revenue);
        units.forEach((k, v) -> this.units.merge(k, v, BigDecimal::add));
    }

    /** Adds sums of {@code events} events. */
    public void addSums(long events, BigDecimal revenue, Map<String, BigDecimal> units) {
        this.events += events;
        this.revenue = this.revenue.add(revenue);
        units.forEach((k, v) -> this.units.merge(k, v, BigDecimal::add));
    }

    public long events() {
        return events;
    }

    public BigDecimal revenue() {
        return revenue;
    }

    public Map<String, BigDecimal> units() {
        return units;
    }
}
