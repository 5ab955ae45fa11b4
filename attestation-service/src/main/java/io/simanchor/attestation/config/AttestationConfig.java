package io.simanchor.attestation.config;

import java.time.Duration;
import java.util.Optional;

import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.persistence.HousekeepingConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** attestation-service settings; attestation-service/README.md lists the same keys and defaults. */
@ConfigMapping(prefix = "simanchor.attestation")
public interface AttestationConfig {

    /** Challenge nonces. */
    Nonce nonce();

    /**
     * How far a device's {@code iat} may be ahead of the verifier's clock, or before its nonce was
     * issued.
     */
    @WithDefault("30s")
    Duration maxClockSkew();

    /** Attestation results (EARs). */
    Result result();

    /**
     * How long an instance uses reference values and appraisal policies it has read before it reads them
     * again, in the background, still using them for one more TTL meanwhile: twice this is the most a
     * change made through another instance takes to apply everywhere (while the database can be read).
     */
    @WithDefault("5s")
    Duration policyCacheTtl();

    /** The consumed-nonce ledger. */
    Ledger ledger();

    /** Event publication. */
    OutboxRelayConfig events();

    /** Removal of rows that have served their purpose. */
    HousekeepingConfig housekeeping();

    /** Nonce settings. */
    interface Nonce {

        /**
         * Base64 of the HMAC-SHA256 key (at least 32 bytes) that makes nonces verifiable without storing
         * them. The same for every instance; from a Kubernetes Secret or an environment variable.
         */
        String macKey();

        /** Nonce lifetime; well above the SIM's 1.7 s signing P99 plus a network round trip. */
        @WithDefault("60s")
        Duration ttl();
    }

    /** EAR settings. */
    interface Result {

        /** EAR lifetime ({@code exp} - {@code iat}). */
        @WithDefault("1h")
        Duration lifetime();

        /** {@code ear.verifier-id.developer}. */
        @WithDefault("https://simanchor.io")
        String developer();

        /**
         * PKCS#12 keystore with the verifier's P-256 signing key. Loaded if it exists, else generated on
         * first start and written there; every instance must use the same one (a Kubernetes Secret).
         * Without a path, a key is generated in memory at every start (tests only).
         */
        Optional<String> keystorePath();

        /** Keystore password; from an environment variable or a Kubernetes Secret. */
        Optional<String> keystorePassword();
    }

    /** Ledger settings. */
    interface Ledger {

        /**
         * Most appraisals recorded in one database transaction. Concurrent appraisals share a transaction
         * (group commit), so the commit cost is paid once per batch instead of once per device.
         */
        @WithDefault("256")
        int maxBatch();
    }

}
