package io.simanchor.api.attestation;

/**
 * One measured software component, as listed in the evidence's {@code measurements} claim and in the
 * reference values (docs/attestation.md). RFC 9711 §4.2.16 leaves the format of a measurement to its
 * content type; SIM Anchor's JSON profile is this flat object.
 *
 * @param component the component's name, unique within one evidence ({@code bootloader}, {@code firmware})
 * @param alg digest algorithm, named as in the IANA "Named Information Hash Algorithm" registry; only
 *        {@code sha-256} is accepted
 * @param digest base64url (no padding) of the digest
 */
public record MeasurementV1(String component, String alg, String digest) {

    /** The one digest algorithm the verifier accepts. */
    public static final String SHA_256 = "sha-256";
}
