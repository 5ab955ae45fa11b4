package io.simanchor.token.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.jose.NumericDate;
import io.simanchor.support.jose.StrictJws;

/**
 * A JWT client assertion (RFC 7523 §3), parsed and checked for everything that needs no key: header rules
 * (RFC 8725), required claims, {@code iss} = {@code sub}, audience, and time window. The signature is
 * checked afterwards against the enrolled key of the device it names.
 *
 * @param jws the parsed token, for the signature check
 * @param deviceId {@code iss} = {@code sub}
 * @param jti the assertion's id, single use
 * @param expiresAt {@code exp}
 */
public record ClientAssertion(StrictJws jws, String deviceId, String jti, Instant expiresAt) {

    /** Assertions longer than this are refused before decoding (a P-256 assertion is under 1 KiB). */
    public static final int MAX_LENGTH = 4 * 1024;
    /** The longest {@code jti} kept: enough for any UUID or random id. */
    public static final int MAX_JTI_LENGTH = 128;

    /**
     * The time rules.
     *
     * @param acceptedAudiences this issuer and its token endpoint URL (RFC 7523 §3 item 3)
     * @param maxLifetime longest {@code exp - iat} accepted (5 min)
     * @param clockSkew tolerance for the device's clock
     */
    public record Rules(List<String> acceptedAudiences, Duration maxLifetime, Duration clockSkew) {
    }

    /** Parses and checks {@code compact} at {@code now}; throws {@link TokenDenied}. */
    public static ClientAssertion check(String compact, Rules rules, Instant now) {
        StrictJws jws;
        Map<String, Object> claims;
        try {
            jws = StrictJws.parse(compact, MAX_LENGTH);
            claims = jws.payloadObject();
        } catch (MalformedJwsException e) {
            throw new TokenDenied(DenialReason.ASSERTION_MALFORMED, null, "client assertion: " + e.getMessage());
        }
        Es256Jws.headerViolation(jws.header()).ifPresent(violation -> {
            throw new TokenDenied(switch (violation) {
                case ALG_NOT_ALLOWED -> DenialReason.ASSERTION_ALG_NOT_ALLOWED;
                case EMBEDDED_KEY -> DenialReason.ASSERTION_EMBEDDED_KEY;
                case CRIT_UNSUPPORTED -> DenialReason.ASSERTION_CRIT_UNSUPPORTED;
            }, null, "client assertion header refused: " + violation);
        });
        String issuer = text(claims, "iss");
        String subject = text(claims, "sub");
        String jti = text(claims, "jti");
        Optional<Instant> issuedAt = NumericDate.of(claims.get("iat"));
        Optional<Instant> expires = NumericDate.of(claims.get("exp"));
        Optional<Instant> notBefore = NumericDate.of(claims.get("nbf"));
        Object audience = claims.get("aud");
        // RFC 7523 §3 requires iss, sub, aud and exp; SIM Anchor also requires jti (single use). iat is
        // optional there, and real clients omit it (the Nimbus OAuth 2.0 SDK does): without it, the 5-minute
        // bound is measured from now instead.
        // A date that is present but not a NumericDate in range counts as missing, never as absent.
        if (issuer == null || subject == null || jti == null || expires.isEmpty() || audience == null
                || (claims.containsKey("iat") && issuedAt.isEmpty())
                || (claims.containsKey("nbf") && notBefore.isEmpty())) {
            throw new TokenDenied(DenialReason.ASSERTION_CLAIM_MISSING, issuer, "client assertion lacks a claim");
        }
        if (!issuer.equals(subject)) {
            // RFC 7523 §3 item 2: for client authentication, sub is the client id, and so is iss.
            throw new TokenDenied(DenialReason.ASSERTION_SUBJECT_MISMATCH, null, "iss differs from sub");
        }
        String deviceId = subject;
        if (jti.length() > MAX_JTI_LENGTH) {
            throw new TokenDenied(DenialReason.ASSERTION_CLAIM_MISSING, deviceId, "jti longer than 128");
        }
        if (!audienceAccepted(audience, rules.acceptedAudiences())) {
            throw new TokenDenied(DenialReason.ASSERTION_AUDIENCE_INVALID, deviceId, "aud not this server");
        }
        Instant iat = issuedAt.orElse(now);
        Instant exp = expires.get();
        if (!exp.isAfter(now.minus(rules.clockSkew()))) {
            throw new TokenDenied(DenialReason.ASSERTION_EXPIRED, deviceId, "assertion expired at " + exp);
        }
        if (iat.isAfter(now.plus(rules.clockSkew()))) {
            throw new TokenDenied(DenialReason.ASSERTION_NOT_YET_VALID, deviceId, "assertion iat " + iat);
        }
        if (notBefore.isPresent() && notBefore.get().isAfter(now.plus(rules.clockSkew()))) {
            throw new TokenDenied(DenialReason.ASSERTION_NOT_YET_VALID, deviceId, "assertion nbf in the future");
        }
        Duration allowed = issuedAt.isEmpty() ? rules.maxLifetime().plus(rules.clockSkew()) : rules.maxLifetime();
        if (exp.isAfter(iat.plus(allowed)) || exp.isBefore(iat)) {
            throw new TokenDenied(DenialReason.ASSERTION_LIFETIME_TOO_LONG, deviceId, "exp - iat out of bounds");
        }
        return new ClientAssertion(jws, deviceId, jti, exp);
    }

    /** RFC 7523 §3 item 3: {@code aud} is a string or an array of strings, one of which identifies us. */
    private static boolean audienceAccepted(Object audience, List<String> accepted) {
        if (audience instanceof String single) {
            return accepted.contains(single);
        }
        if (audience instanceof List<?> values) {
            return values.stream().allMatch(String.class::isInstance) && values.stream().anyMatch(accepted::contains);
        }
        return false;
    }

    private static String text(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value && !value.isEmpty() ? value : null;
    }
}
