package io.simanchor.support.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Rate limits of the unauthenticated device endpoints ({@link RequestRateLimits}). The per-address default
 * suits devices with their own addresses (a private APN); devices behind a carrier-grade NAT share one, and
 * then the limit must be raised, or the services put behind a proxy that forwards the device's address
 * ({@code quarkus.http.proxy.*}), since nothing else from the request can be trusted to name the sender.
 */
@ConfigMapping(prefix = "simanchor.rate-limits")
public interface RateLimitConfig {

    /**
     * Path prefixes limited per source address, before the body is read: the service's unauthenticated device
     * endpoints. None: no per-address limit.
     */
    Optional<List<String>> sourcePaths();

    /** Sustained requests a second from one address to those paths. */
    @WithDefault("100")
    double perSourcePerSecond();

    /** Requests one address may send at once. */
    @WithDefault("200")
    int perSourceBurst();

    /**
     * Sustained requests a second naming one SIM (enrollment) or device (key rotation, attestation). A device
     * needs two per enrollment, rotation or appraisal; the default allows one every 5 s.
     */
    @WithDefault("0.2")
    double perSubjectPerSecond();

    /** Requests naming one SIM or device at once (retries after a lost answer included). */
    @WithDefault("10")
    int perSubjectBurst();

    /** Addresses, and subjects, tracked at most; beyond, new ones share one bucket (memory stays bounded). */
    @WithDefault("100000")
    int maxTracked();

    /** How often refusals are summarised in one {@code RATE_LIMITED} security event, and idle keys forgotten. */
    @WithDefault("60s")
    Duration reportInterval();
}
