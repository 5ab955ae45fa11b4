package io.simanchor.token.infra.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;

import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
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
    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    /** Claims are serialised by Jackson, several times cheaper per token than Nimbus's JSON writer. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * What signs now.
     *
     * @param encodedHeader the header's base64url, the same for every token the key signs
     */
    private record Signing(SigningKeyRing ring, String keyId, ECDSASigner signer, JWSHeader header,
            String encodedHeader) {
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

    /** JWS compact serialisation (RFC 7515 §7.1); Nimbus signs the signing input (§5.1) and encodes R || S. */
    @Override
    public String sign(Map<String, Object> claims) {
        Signing now = current();
        try {
            String signingInput = now.encodedHeader() + '.' + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Base64URL signature = now.signer().sign(now.header(), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + '.' + signature;
        } catch (JsonProcessingException | JOSEException e) {
            throw new IllegalStateException("access token signing failed", e);
        }
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
        ECDSASigner signer;
        try {
            signer = new ECDSASigner((ECPrivateKey) current.keyPair().getPrivate(), Curve.P_256);
        } catch (JOSEException e) {
            throw new IllegalStateException("the token signing key is not a P-256 key", e);
        }
        signer.getJCAContext().setProvider(CryptoProviders.p256());
        // Without one, Nimbus makes a new SecureRandom (and seeds it) for every signature.
        signer.getJCAContext().setSecureRandom(random);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(ACCESS_TOKEN_TYPE)
                .keyID(current.keyId())
                .build();
        signing.set(new Signing(ring, current.keyId(), signer, header, header.toBase64URL().toString()));
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
