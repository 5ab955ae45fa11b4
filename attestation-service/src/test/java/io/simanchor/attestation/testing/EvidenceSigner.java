package io.simanchor.attestation.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.attestation.domain.SignedEvidence;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.jose.JwsHeader;

/** A device's P-256 key that signs evidence in compact JWS form, the way the agent does. */
public final class EvidenceSigner {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keyPair;

    private EvidenceSigner(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    public static EvidenceSigner p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new EvidenceSigner(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public EcPublicKey publicKey() {
        return EcPublicKey.of(keyPair.getPublic());
    }

    /** The standard header: {@code alg ES256, typ eat+jwt}. */
    public static Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "eat+jwt");
        return header;
    }

    public SignedEvidence sign(EatEvidenceV1 claims) {
        return sign(header(), claims);
    }

    /** Signs {@code claims} under {@code header}; the header is taken as given, hostile or not. */
    public SignedEvidence sign(Map<String, Object> header, EatEvidenceV1 claims) {
        try {
            String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
            return new SignedEvidence(new JwsHeader((String) header.get("alg"), (String) header.get("typ"),
                    (String) header.get("kid"), header.keySet()), claims, input, rawSignature(input));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} as compact JWS under the standard header, as the agent sends them. */
    public String compact(EatEvidenceV1 claims) {
        return compact(header(), claims);
    }

    /** {@code claims} as compact JWS under {@code header}, hostile or not. */
    public String compact(Map<String, Object> header, EatEvidenceV1 claims) {
        try {
            return compactRaw(JSON.writeValueAsString(header), JSON.writeValueAsString(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A compact JWS of exactly these header and payload texts, for malformed-JSON cases. */
    public String compactRaw(String headerJson, String payload) {
        String signingInput = B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(rawSignature(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** ES256 signature (R || S, RFC 7518 §3.4) over {@code input}. */
    public byte[] rawSignature(byte[] input) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(keyPair.getPrivate());
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
