package io.simanchor.token.infra.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.jose.Es256Signer;
import io.simanchor.token.domain.AccessTokenSigner;
import io.simanchor.token.domain.SigningKey;
import io.simanchor.token.domain.SigningKeyRing;

/**
 * The access-token signing keys of this instance: the ring read from the database, refreshed
 * periodically (a rotation made by another instance reaches this one within the refresh interval; tokens
 * it signs meanwhile still validate, because the previous key stays published), rotated on schedule and
 * on demand. Tokens are JWS with {@code typ: at+jwt} (RFC 9068 §2.1) and the key's thumbprint as
 * {@code kid}, signed on the platform's P-256 provider. Keys are never logged; key ids are.
 */
public final class TokenSigningKeys implements AccessTokenSigner {

    private static final Logger LOG = Logger.getLogger(TokenSigningKeys.class);
    /** RFC 9068 §2.1. */
    private static final String ACCESS_TOKEN_TYPE = "at+jwt";

    /** What signs now. */
    private record Signing(SigningKeyRing ring, String keyId, Es256Signer signer) {
    }

    private final SigningKeyStore store;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration rotationPeriod;
    private final Duration keepRetiredFor;
    private final AtomicReference<Signing> signing = new AtomicReference<>();

    /**
     * @param keepRetiredFor the longest access-token lifetime plus relying parties' clock skew
     */
    public TokenSigningKeys(SigningKeyStore store, SecureRandom random, Clock clock, Duration rotationPeriod,
            Duration keepRetiredFor) {
        this.store = store;
        this.random = random;
        this.clock = clock;
        this.rotationPeriod = rotationPeriod;
        this.keepRetiredFor = keepRetiredFor;
    }

    /** Loads the ring, creating the first keys if there are none and rotating if a rotation is due. */
    public void start() {
        Instant now = clock.instant();
        use(store.change(ring -> {
            if (ring.keys().isEmpty()) {
                SigningKeyRing initial = SigningKeyRing.initial(this::newKey, now);
                LOG.infof("Token signing keys created [current: %s]", initial.current().orElseThrow().keyId());
                return initial;
            }
            return ring.rotationDue(now, rotationPeriod) ? rotate(ring, now, "scheduled") : ring;
        }, Optional.empty(), now));
    }

    /** Re-reads the ring and rotates if the schedule says so (run periodically). */
    public void refresh() {
        Instant now = clock.instant();
        SigningKeyRing ring = store.load();
        if (ring.rotationDue(now, rotationPeriod)) {
            ring = store.change(stored -> stored.rotationDue(now, rotationPeriod)
                    ? rotate(stored, now, "scheduled")
                    : stored, Optional.empty(), now);
        }
        use(ring);
    }

    /** Rotates now at an operator's request (audited); returns the new current key id. */
    public String rotateNow(String operator) {
        Instant now = clock.instant();
        SigningKeyRing ring = store.change(stored -> rotate(stored, now, "on demand"), Optional.of(operator), now);
        use(ring);
        return ring.current().orElseThrow().keyId();
    }

    /** The keys the JWKS publishes now. */
    public List<SigningKey> published() {
        return current().ring().published(clock.instant());
    }

    /** The key id that signs now. */
    public String currentKeyId() {
        return current().keyId();
    }

    @Override
    public String sign(Map<String, Object> claims) {
        return current().signer().sign(claims);
    }

    private Signing current() {
        Signing now = signing.get();
        if (now == null) {
            throw new IllegalStateException("the token signing keys are not loaded");
        }
        return now;
    }

    private SigningKeyRing rotate(SigningKeyRing ring, Instant now, String why) {
        SigningKeyRing rotated = ring.rotated(now, keepRetiredFor, this::newKey);
        LOG.infof("Token signing keys rotated (%s) [current: %s, previous: %s]", why,
                rotated.current().orElseThrow().keyId(), ring.current().map(SigningKey::keyId).orElse("none"));
        return rotated;
    }

    private void use(SigningKeyRing ring) {
        SigningKey current = ring.current()
                .orElseThrow(() -> new IllegalStateException("the key ring has no current signing key"));
        Es256Signer signer = new Es256Signer(current.keyPair().getPrivate(), ACCESS_TOKEN_TYPE,
                current.keyId(), random);
        signing.set(new Signing(ring, current.keyId(), signer));
    }

    private SigningKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProviders.p256());
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            var keyPair = generator.generateKeyPair();
            return new SigningKey(EcPublicKey.of(keyPair.getPublic()).thumbprint(), SigningKey.State.NEXT, keyPair,
                    clock.instant(), Optional.empty(), Optional.empty());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation unavailable", e);
        }
    }
}
