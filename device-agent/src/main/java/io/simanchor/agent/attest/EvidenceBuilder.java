package io.simanchor.agent.attest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;

/**
 * Builds the device's evidence: an EAT (RFC 9711) in JWT form with the claims of the SIM Anchor profile
 * (docs/attestation.md), from the same {@link EatEvidenceV1} record the verifier reads, signed ES256 by the
 * device key.
 */
public final class EvidenceBuilder {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = BASE64URL
            .encodeToString(("{\"alg\":\"ES256\",\"typ\":\"" + EatEvidenceV1.JWT_TYPE + "\"}")
                    .getBytes(StandardCharsets.UTF_8));

    /**
     * What the device reports about itself.
     *
     * @param hwModel hardware model
     * @param swName firmware name
     * @param swVersion firmware version
     * @param measurements digests of the measured components
     * @param debugStatus {@code dbgstat} (RFC 9711 §4.2.9: 0 enabled ... 4 disabled fully and permanently)
     * @param oemBoot whether the boot chain was verified by the OEM's keys
     */
    public record DeviceState(String hwModel, String swName, String swVersion, List<MeasurementV1> measurements,
            int debugStatus, boolean oemBoot) {
    }

    private EvidenceBuilder() {
    }

    /** The claims for {@code deviceId} answering {@code nonce}, issued now. */
    public static EatEvidenceV1 claims(String deviceId, String nonce, DeviceState state, Instant now) {
        return new EatEvidenceV1(nonce, Ueid.of(deviceId), now.getEpochSecond(), state.hwModel(), state.swName(),
                state.swVersion(), state.measurements(), state.debugStatus(), state.oemBoot());
    }

    /**
     * The compact JWS of {@code claims}; {@code derSigner} signs the signing input with the device key and
     * returns the DER ECDSA signature (what JCA and PKCS#11 produce).
     */
    public static String sign(EatEvidenceV1 claims, UnaryOperator<byte[]> derSigner) {
        String payload;
        try {
            payload = BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evidence claims not serialisable", e);
        }
        String signingInput = HEADER + "." + payload;
        byte[] signature = Es256.fromDer(derSigner.apply(signingInput.getBytes(StandardCharsets.US_ASCII)));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }
}
