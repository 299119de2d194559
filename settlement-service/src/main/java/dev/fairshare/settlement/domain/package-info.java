/**
 * The settlement's records as stored and shown: payout runs and their lines, payout profiles,
 * exchange rates, declared pools, posted journal entries and the state of periods. The store reads
 * and writes them, the services hand them out, the API renders them. Plain Java records over {@code
 * java..} and the engine's values, nothing else.
 */
package dev.fairshare.settlement.domain;
