package dev.fairshare.usage.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an event pays to which model: one part for a plain event, one part per component of a
 * pipeline, units and revenue split by weight so that the parts sum exactly to the whole.
 */
public final class Attribution {
    /** Storage scale of quantities and amounts ({@code numeric(38, 18)}). */
    public static final int SCALE = 18;

    /** One model's part of an event. */
    public record Part(
            String modelId, BigDecimal weight, Map<String, BigDecimal> units, BigDecimal revenue) {}

    private Attribution() {}

    /**
     * The parts of {@code event}, or empty when any model it names does not resolve (the event is
     * then stored as unattributed, whole).
     */
    public static Optional<List<Part>> attribute(UsageEvent event, AliasIndex index) {
        if (event.components().isEmpty()) {
            return index.resolve(event.platformId(), event.modelRef(), event.occurredAt())
                    .map(m -> List.of(new Part(m, BigDecimal.ONE, event.units(), event.revenue())));
        }
        List<String> models = new ArrayList<>();
        for (UsageEvent.Component c : event.components()) {
            Optional<String> m =
                    index.resolve(event.platformId(), c.modelRef(), event.occurredAt());
            if (m.isEmpty()) {
                return Optional.empty();
            }
            models.add(m.get());
        }
        return Optional.of(split(event, models));
    }

    /** The parts of a pipeline {@code event} whose components are paid to {@code models}. */
    public static List<Part> split(UsageEvent event, List<String> models) {
        List<UsageEvent.Component> cs = event.components();
        int largest = 0;
        for (int i = 1; i < cs.size(); i++) {
            if (cs.get(i).weight().compareTo(cs.get(largest).weight()) > 0) {
                largest = i;
            }
        }
        List<BigDecimal> revenue = splitValue(event.revenue(), cs, largest);
        List<Map<String, BigDecimal>> units = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            units.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, BigDecimal> u : event.units().entrySet()) {
            List<BigDecimal> parts = splitValue(u.getValue(), cs, largest);
            for (int i = 0; i < cs.size(); i++) {
                units.get(i).put(u.getKey(), parts.get(i));
            }
        }
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            out.add(new Part(models.get(i), cs.get(i).weight(), units.get(i), revenue.get(i)));
        }
        return out;
    }

    /** Value × weight at storage scale; the rounding remainder goes to the largest component. */
    static List<BigDecimal> splitValue(
            BigDecimal value, List<UsageEvent.Component> cs, int largest) {
        List<BigDecimal> parts = new ArrayList<>();
        BigDecimal rest = value;
        for (int i = 0; i < cs.size(); i++) {
            BigDecimal p =
                    i == largest
                            ? BigDecimal.ZERO
                            : value.multiply(cs.get(i).weight())
                                    .setScale(SCALE, RoundingMode.HALF_EVEN);
            parts.add(p);
            rest = rest.subtract(p);
        }
        parts.set(largest, rest);
        return parts;
    }
}
