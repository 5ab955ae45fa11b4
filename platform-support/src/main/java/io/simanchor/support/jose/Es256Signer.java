package io.simanchor.support.jose;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;

import io.simanchor.support.crypto.CryptoProviders;

/**
 * Signs JWTs with one P-256 key, ES256 (RFC 7518 §3.4), in compact serialisation (RFC 7515 §7.1), for the
 * platform's own tokens: EARs, access tokens. The header is the same for every token of a key, so it is
 * encoded once; the claims are serialised by Jackson; Nimbus computes the signature over the signing
 * input (§5.1) on the platform's P-256 provider and encodes it as R || S. Building a Nimbus
 * {@code JWSObject} instead costs several times more CPU per token than the signature's own non-crypto
 * work, through its JSON writer (docs/performance.md). Thread-safe.
 */
public final class Es256Signer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ECDSASigner signer;
    private final JWSHeader header;
    private final String encodedHeader;

    /**
     * @param type the header's {@code typ} (RFC 7515 §4.1.9), e.g. {@code at+jwt} or {@code eat+jwt}
     * @param keyId the header's {@code kid}
     * @param random for the signature's nonce if the provider takes one
     */
    public Es256Signer(PrivateKey key, String type, String keyId, SecureRandom random) {
        // Nimbus takes the curve on trust; a key of another curve would sign tokens no ES256 verifier accepts.
        if (!(key instanceof ECPrivateKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        try {
            this.signer = new ECDSASigner(key, Curve.P_256);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not a P-256 key", e);
        }
        signer.getJCAContext().setProvider(CryptoProviders.p256());
        // Without one, Nimbus makes and seeds a new SecureRandom for every signature.
        signer.getJCAContext().setSecureRandom(random);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type)).keyID(keyId).build();
        this.encodedHeader = header.toBase64URL().toString();
    }

    /** The compact JWS of {@code claims} (a JSON object of strings, numbers, lists and maps). */
    public String sign(Map<String, Object> claims) {
        try {
            String signingInput = encodedHeader + '.' + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            return signingInput + '.' + signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JsonProcessingException | JOSEException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    /**
     * A JWS with a detached payload (RFC 7515 Appendix F): {@code header..signature}, the signature over
     * {@code payload} as if it stood between the dots. For content that travels beside its signature, such
     * as a Kafka record's value and its signature header.
     */
    public String signDetached(byte[] payload) {
        try {
            String signingInput = encodedHeader + '.' + BASE64URL.encodeToString(payload);
            return encodedHeader + ".." + signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }
}
