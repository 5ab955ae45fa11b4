package io.simanchor.api.attestation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The claims of a device's attestation Evidence: an EAT (RFC 9711) in JWT form, header {@code alg: ES256},
 * {@code typ: eat+jwt}, signed by the device's enrolled SIM key. The device agent builds it and the
 * verifier reads it through this one record (docs/attestation.md).
 *
 * @param eatNonce the verifier's nonce, as issued (RFC 9711 §4.1)
 * @param ueid the device's UEID, base64url: type byte 0x01 (RAND) and the 16 bytes of the device id
 *        (RFC 9711 §4.2.1); see {@link Ueid}
 * @param iat when the evidence was made, seconds since the epoch (RFC 7519 §4.1.6)
 * @param hwmodel hardware model (RFC 9711 §4.2.5), the key of the reference values
 * @param swname software name (RFC 9711 §4.2.6)
 * @param swversion software version (RFC 9711 §4.2.7), the second key of the reference values
 * @param measurements the measured components (RFC 9711 §4.2.16)
 * @param dbgstat debug status, 0 enabled .. 4 disabled fully and permanently (RFC 9711 §4.2.9)
 * @param oemboot whether the device booted OEM-authorised software only (RFC 9711 §4.2.8)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EatEvidenceV1(
        @JsonProperty("eat_nonce") String eatNonce,
        @JsonProperty("ueid") String ueid,
        @JsonProperty("iat") Long iat,
        @JsonProperty("hwmodel") String hwmodel,
        @JsonProperty("swname") String swname,
        @JsonProperty("swversion") String swversion,
        @JsonProperty("measurements") List<MeasurementV1> measurements,
        @JsonProperty("dbgstat") Integer dbgstat,
        @JsonProperty("oemboot") Boolean oemboot) {

    /** JWS {@code typ} header of evidence (RFC 9711 §7.3.1 media type {@code application/eat+jwt}). */
    public static final String JWT_TYPE = "eat+jwt";
    /** The media type evidence is posted with. */
    public static final String MEDIA_TYPE = "application/eat+jwt";
}
