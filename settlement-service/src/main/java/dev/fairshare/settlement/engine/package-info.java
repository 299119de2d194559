/**
 * The pure money engine of Fairshare: rating, lineage cascade, minimum guarantees, late adjustments
 * and rounding, exactly as DESIGN.md ("Agreements and money") prescribes.
 *
 * <p>Everything here is a pure function of its arguments (no clock, no I/O, no framework): the same
 * usage, agreements and models always give the same statement lines, in the same order. Money is
 * {@link java.math.BigDecimal} throughout; amounts stay exact until {@link
 * dev.fairshare.settlement.engine.Rounding} rounds a whole invoice at once, and the only divisions
 * (per-unit blocks, proportional allocation, pro-rated guarantees) use {@code scale 18, HALF_EVEN},
 * with any residual assigned so that parts still sum exactly to their whole.
 */
package dev.fairshare.settlement.engine;
