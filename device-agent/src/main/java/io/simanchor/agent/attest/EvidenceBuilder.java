package io.simanchor.agent.attest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

import io.simanchor.agent.jose.DerSigner;
import io.simanchor.agent.jose.Es256;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;

/**
 * Builds the device's evidence: an EAT (RFC 9711) in JWT form with the claims of the SIM Anchor profile
 * (docs/attestation.md), from the same {@link EatEvidenceV1} record the verifier reads, signed ES256 by the
 * device key.
 */
public final class EvidenceBuilder {

    private static final Map<String, String> HEADER = header();

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

    private static Map<String, String> header() {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", EatEvidenceV1.JWT_TYPE);
        return header;
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
        return Es256.compact(HEADER, claims, derSigner);
    }

    /** The compact JWS of {@code claims}, signed by the SIM. */
    public static CompletionStage<String> sign(EatEvidenceV1 claims, DerSigner derSigner) {
        return Es256.compactAsync(HEADER, claims, derSigner);
    }
}
