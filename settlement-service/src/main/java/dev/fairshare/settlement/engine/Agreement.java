package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Currency;

/**
 * A version of an agreement between a maker and a platform, for one model ({@code modelId}) or for
 * all of the maker's models ({@code modelId == null}), in one currency. It is in force on the whole
 * UTC days from {@code validFrom} (inclusive) to {@code validTo} (exclusive; {@code null} =
 * open-ended), and a day belongs wholly to one agreement; a change of terms is a new agreement from
 * a later day.
 *
 * <p>{@code minimumGuarantee} (optional) is per period, pro-rated by the days the agreement is in
 * force in that period.
 */
public record Agreement(
        String id,
        String makerId,
        String platformId,
        String modelId,
        String currency,
        LocalDate validFrom,
        LocalDate validTo,
        Terms terms,
        BigDecimal minimumGuarantee) {

    public Agreement {
        NonNull.check(
                "id makerId platformId currency validFrom terms",
                id,
                makerId,
                platformId,
                currency,
                validFrom,
                terms);
        Currency.getInstance(currency);
        if (validTo != null && !validTo.isAfter(validFrom)) {
            throw new IllegalArgumentException(
                    "agreement " + id + ": validTo must be after validFrom");
        }
        if (minimumGuarantee != null && minimumGuarantee.signum() < 0) {
            throw new IllegalArgumentException(
                    "agreement " + id + ": minimum guarantee must not be negative");
        }
    }

    /** Whether the agreement is in force on the whole UTC day {@code day}. */
    public boolean inForceOn(LocalDate day) {
        return !day.isBefore(validFrom) && (validTo == null || day.isBefore(validTo));
    }

    /** The number of days of {@code period} on which the agreement is in force (0 if none). */
    public long daysInForce(YearMonth period) {
        LocalDate periodEnd = period.atEndOfMonth().plusDays(1);
        LocalDate start = validFrom.isAfter(period.atDay(1)) ? validFrom : period.atDay(1);
        LocalDate end = validTo == null || validTo.isAfter(periodEnd) ? periodEnd : validTo;
        return Math.max(0, ChronoUnit.DAYS.between(start, end));
    }
}
