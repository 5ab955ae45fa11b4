package io.simanchor.token.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.persistence.HousekeepingConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** token-service settings; token-service/README.md lists the same keys and defaults. */
@ConfigMapping(prefix = "simanchor.token")
public interface TokenConfig {

    /**
     * This authorization server's issuer identifier (RFC 8414 §2): the access tokens' {@code iss}, and
     * with {@code /oauth2/token} the audiences a client assertion may name. The public URL devices use.
     */
    @WithDefault("http://127.0.0.1:8084")
    String issuer();

    /** How far a device's clock may be off: applies to assertion {@code iat}/{@code exp} and EAR {@code iat}. */
    @WithDefault("30s")
    Duration maxClockSkew();

    /** Longest {@code exp - iat} of a client assertion (issue 4: at most 5 minutes). */
    @WithDefault("5m")
    Duration maxAssertionLifetime();

    /** Scopes and their token rules. */
    Policy policy();

    /** Attestation results. */
    Ear ear();

    /** Access-token signing keys. */
    Keys keys();

    /** Rate limits. */
    RateLimits rateLimit();

    /** The used-assertion ledger. */
    Ledger ledger();

    /** Event publication through the outbox: refusals, and issued tokens when Kafka does not answer. */
    OutboxRelayConfig events();

    /** Publication of issued-token events straight to Kafka. */
    IssuedEvents issuedEvents();

    /** Removal of rows that have served their purpose. */
    HousekeepingConfig housekeeping();

    /** Token policy. */
    interface Policy {

        /** Scope granted when a request names none. */
        @WithDefault("device")
        String defaultScope();

        /** Hard maximum lifetime of any access token, whatever a scope says. */
        @WithDefault("1h")
        Duration maxLifetime();

        /** The scopes, by name ({@code simanchor.token.policy.scopes.<name>.*}); application.properties has two. */
        Map<String, Scope> scopes();
    }

    /** One scope. */
    interface Scope {

        /** The access token's {@code aud}. */
        @WithDefault("simanchor-devices")
        String audience();

        /** Access-token lifetime for this scope (capped by {@code policy.max-lifetime}). */
        @WithDefault("10m")
        Duration lifetime();

        /** Whether a {@code warning} attestation suffices (affirming always does, contraindicated never). */
        @WithDefault("false")
        boolean allowWarning();
    }

    /** EAR settings. */
    interface Ear {

        /** An EAR issued longer ago than this is refused even if it has not expired. */
        @WithDefault("1h")
        Duration maxAge();

        /**
         * attestation-service's verification key set URL ({@code /.well-known/simanchor/verification}),
         * read at start-up and refreshed in the background, never on a request.
         */
        Optional<String> verifierJwksUrl();

        /** The verifier's JWKS given inline (JSON), instead of or in addition to the URL; for tests. */
        Optional<String> verifierJwks();

        /** How often the verifier's keys are read again. */
        @WithDefault("5m")
        Duration verifierJwksRefresh();

        /**
         * How many EARs whose signature verified are remembered, so a device presenting the same EAR again
         * costs no second verification (about 500 bytes each; 0 turns this off).
         */
        @WithDefault("100000")
        long rememberedEars();
    }

    /** Signing-key settings. */
    interface Keys {

        /**
         * Base64 of the 32-byte AES key that encrypts the signing keys at rest; the same for every instance,
         * from a Kubernetes Secret or an environment variable.
         */
        String encryptionKey();

        /** Scheduled rotation: how long a key signs before the next one takes over. */
        @WithDefault("P1D")
        Duration rotationPeriod();

        /** How often an instance re-reads the key ring (a rotation elsewhere reaches it within this). */
        @WithDefault("5s")
        Duration refresh();

        /** {@code Cache-Control: max-age} of the JWKS; well below the rotation period. */
        @WithDefault("5m")
        Duration jwksMaxAge();
    }

    /** Rate limits. */
    interface RateLimits {

        /** Sustained token requests per device per second. */
        @WithDefault("1")
        double perDevicePerSecond();

        /** Requests a device may send at once. */
        @WithDefault("5")
        int perDeviceBurst();

        /** Sustained token requests per instance per second. */
        @WithDefault("5000")
        double globalPerSecond();

        /** Requests an instance takes at once. */
        @WithDefault("10000")
        int globalBurst();
    }

    /**
     * How an issued token's event reaches Kafka before the token is handed out; when Kafka does not
     * acknowledge in time, it goes to the outbox instead.
     */
    interface IssuedEvents {

        /** How long the producer gathers events before a send: larger batches at this much latency. */
        @WithDefault("2ms")
        Duration linger();

        /** How long a token waits for the broker's acknowledgement before its event goes to the outbox. */
        @WithDefault("1500ms")
        Duration acknowledgedWithin();

        /**
         * How long it then waits for the outbox's commit before it is refused (503) as not durable, like a
         * {@code jti} the ledger could not record.
         */
        @WithDefault("5s")
        Duration storedWithin();
    }

    /** Ledger settings. */
    interface Ledger {

        /** Most issued tokens recorded in one database transaction (group commit). */
        @WithDefault("256")
        int maxBatch();
    }

}
