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
     * How long a published outbox row is kept (for investigating what was sent when). token-service, whose
     * outbox takes a row per token request, deletes rows at publication when this is zero; the other
     * services remove them at their next pass.
     */
    @WithDefault("P7D")
    Duration outboxRetention();
}
