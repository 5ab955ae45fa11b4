package io.simanchor.support.persistence;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * Removal of rows that have served their purpose (expired single-use records, published outbox rows); a
 * configuration group every service with a database nests as {@code <service>.housekeeping}.
 */
public interface HousekeepingConfig {

    /** How often a pass runs. */
    @WithDefault("10m")
    Duration interval();

    /**
     * How long a published outbox row is kept (for investigating what was sent when). Zero: the relay
     * deletes a row as soon as the broker has it (token-service's default: its outbox takes a row per token
     * request).
     */
    @WithDefault("P7D")
    Duration outboxRetention();
}
