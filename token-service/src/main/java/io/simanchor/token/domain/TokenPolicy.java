package io.simanchor.token.domain;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.simanchor.api.attestation.ArStatus;

/**
 * Which tokens may be issued: per scope, the audience, the lifetime and whether a {@code warning}
 * attestation suffices. {@code affirming} always does, {@code contraindicated} and {@code none} never do.
 *
 * @param scopes the scopes a device may ask for, by name
 * @param defaultScope granted when the request names none
 * @param maxLifetime hard maximum of any access token's lifetime, whatever a scope says
 */
public record TokenPolicy(Map<String, Scope> scopes, String defaultScope, Duration maxLifetime) {

    /**
     * A scope's rules.
     *
     * @param audience the access token's {@code aud}
     * @param lifetime the access token's lifetime (capped at the policy's maximum)
     * @param allowWarning whether a {@code warning} EAR suffices
     */
    public record Scope(String name, String audience, Duration lifetime, boolean allowWarning) {
    }

    public TokenPolicy {
        scopes = Map.copyOf(scopes);
        if (!scopes.containsKey(defaultScope)) {
            throw new IllegalArgumentException("the default scope " + defaultScope + " is not configured");
        }
    }

    /** The scope asked for, or the default; throws {@link TokenDenied} for an unknown one. */
    public Scope scope(Optional<String> requested, String deviceId) {
        String name = requested.map(String::strip).orElse(defaultScope);
        Scope scope = scopes.get(name);
        if (scope == null) {
            throw new TokenDenied(DenialReason.SCOPE_INVALID, deviceId, "unknown scope");
        }
        return scope;
    }

    /** Whether an EAR with {@code status} allows a token for {@code scope}. */
    public static boolean allows(Scope scope, ArStatus status) {
        return status == ArStatus.AFFIRMING || (status == ArStatus.WARNING && scope.allowWarning());
    }

    /** The lifetime of a token for {@code scope}. */
    public Duration lifetime(Scope scope) {
        return scope.lifetime().compareTo(maxLifetime) > 0 ? maxLifetime : scope.lifetime();
    }
}
