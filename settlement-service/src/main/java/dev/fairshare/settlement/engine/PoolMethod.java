package dev.fairshare.settlement.engine;

/**
 * How a revenue pool is split among models (DESIGN.md "Revenue pools").
 *
 * <ul>
 *   <li>{@code PRO_RATA}: by each model's share of the metric across all the platform's pooled
 *       usage in the period;
 *   <li>{@code USER_CENTRIC}: first among the subscribers with pooled usage (equally, or by their
 *       declared fees), then each subscriber's part among the models that subscriber used, by the
 *       metric.
 * </ul>
 */
public enum PoolMethod {
    PRO_RATA,
    USER_CENTRIC
}
