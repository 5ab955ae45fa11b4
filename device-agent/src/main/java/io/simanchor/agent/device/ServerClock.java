package io.simanchor.agent.device;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The platform's time as well as the device can tell it: the device clock corrected by the offset seen
 * in the {@code iat} of the tokens the platform issues (EARs, access tokens). A device with a clock minutes
 * off would otherwise date its client assertions outside token-service's skew window (RFC 7523 §3) and be
 * refused for ever. The offset is an estimate to about a second, which the windows (30 s) tolerate.
 */
public final class ServerClock {

    /** Below this the device clock is taken as right: {@code iat} has a resolution of one second. */
    private static final Duration NOISE = Duration.ofSeconds(2);

    private final Clock deviceClock;
    private volatile Duration offset = Duration.ZERO;

    public ServerClock(Clock deviceClock) {
        this.deviceClock = deviceClock;
    }

    /** The platform's estimated time now. */
    public Instant now() {
        return deviceClock.instant().plus(offset);
    }

    /** How far the device clock is behind the platform's (negative: ahead). */
    public Duration offset() {
        return offset;
    }

    /**
     * Learns from a token the platform issued at {@code issuedAt} (its {@code iat}) and the device received
     * {@code roundTrip} after asking: the platform's clock read {@code issuedAt} about half a round trip
     * before the answer arrived.
     */
    public void observe(Instant issuedAt, Duration roundTrip) {
        Instant deviceThen = deviceClock.instant().minus(roundTrip.dividedBy(2));
        Duration seen = Duration.between(deviceThen, issuedAt);
        offset = seen.abs().compareTo(NOISE) < 0 ? Duration.ZERO : seen;
    }
}
