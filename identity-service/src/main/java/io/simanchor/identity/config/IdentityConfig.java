package io.simanchor.identity.config;

import java.time.Duration;
import java.util.Optional;

import io.simanchor.support.outbox.OutboxRelayConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** identity-service settings; the README's configuration table lists the same keys and defaults. */
@ConfigMapping(prefix = "simanchor.identity")
public interface IdentityConfig {

    /** How long an enrollment or key-rotation challenge stays valid; well above the SIM's 1.7 s P99. */
    @WithDefault("60s")
    Duration challengeTtl();

    /**
     * Base64 of the HMAC-SHA256 key (at least 32 bytes) that makes and checks challenges; every
     * instance of the service needs the same key. From a Kubernetes Secret or an environment variable.
     */
    String challengeMacKey();

    /**
     * The public https base URL of mud-service: each model's MUD URL (RFC 8520) is
     * {@code <base>/mud/<manufacturer>/<model>.json}. Defaults to mud-service's own setting
     * {@code simanchor.mud.public-base-url} (application.properties), so one setting configures both.
     */
    @WithDefault("https://mud.simanchor.local")
    String mudBaseUrl();

    /** The device CA. */
    Ca ca();

    /** Event publication. */
    OutboxRelayConfig events();

    /** The key that signs lifecycle records (docs/security.md). */
    Records records();

    /** Removal of rows that have served their purpose. */
    Housekeeping housekeeping();

    /** Lifecycle record signing settings. */
    interface Records {

        /**
         * PKCS#12 keystore with the P-256 key that signs every {@code simanchor.device-lifecycle} record,
         * shared by every instance. Loaded if it exists, else generated on first start and written there.
         * Without a path, a new key is generated in memory at every start (tests only: consumers then refuse
         * the records the previous key signed once they read its key set again).
         */
        Optional<String> keystorePath();

        /** Keystore password; from an environment variable or a Kubernetes Secret, never a file in git. */
        Optional<String> keystorePassword();
    }

    /** Housekeeping settings. */
    interface Housekeeping {

        /** How often records of expired challenges and published outbox rows are removed. */
        @WithDefault("10m")
        Duration interval();

        /**
         * How long the record of a used challenge is kept after the challenge expired. Once expired, a
         * challenge is refused by its own (MAC-protected) expiry; the margin covers instances whose clocks
         * differ.
         */
        @WithDefault("PT10M")
        Duration challengeRetention();

        /**
         * How long a published outbox row is kept (for investigating what was sent when). Zero: the relay
         * deletes a row as soon as the broker has it.
         */
        @WithDefault("P7D")
        Duration outboxRetention();
    }

    /** Device CA settings. */
    interface Ca {

        /**
         * PKCS#12 keystore with the root and issuing CA. Loaded if it exists, else generated on first
         * start and written there. Without a path, a new CA is generated in memory at every start
         * (tests only: certificates then do not survive a restart).
         */
        Optional<String> keystorePath();

        /** Keystore password; from an environment variable or a Kubernetes Secret, never a file in git. */
        Optional<String> keystorePassword();

        /** Validity of device certificates. */
        @WithDefault("P365D")
        Duration deviceCertificateValidity();

        /** Subject organisation of generated CA certificates. */
        @WithDefault("SIM Anchor")
        String organization();
    }
}
