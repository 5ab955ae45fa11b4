package io.simanchor.api.registry;

import java.nio.charset.StandardCharsets;

/**
 * What a SIM vendor signs to endorse one manifest record (docs/registrations.md): the binding of a SIM
 * (ICCID, and the public key of its IoT SAFE applet when the vendor knows it) to the device it ships in.
 * <p>
 * The signed bytes are a context string followed by the fields, each on its own line, UTF-8, with an
 * empty last line when there is no SIM key. The context is domain separation: a vendor signature over a
 * record can never be replayed as a signature over anything else the vendor key signs. The signature is
 * ECDSA P-256 with SHA-256, DER-encoded, base64 in the manifest's {@code endorsement} field.
 */
public final class SimEndorsement {

    /** First line of the signed bytes. */
    public static final String CONTEXT = "simanchor-sim-endorsement-v1";

    private SimEndorsement() {
    }

    /**
     * The bytes the vendor signs.
     *
     * @param iccid the SIM's ICCID as in the manifest
     * @param imei the device's IMEI as in the manifest
     * @param hwModel the hardware model as in the manifest
     * @param manufacturer the device manufacturer as in the manifest
     * @param simPublicKey the SIM key as in the manifest (base64 DER SubjectPublicKeyInfo), or null
     */
    public static byte[] signedBytes(String iccid, String imei, String hwModel, String manufacturer,
            String simPublicKey) {
        for (String field : new String[]{iccid, imei, hwModel, manufacturer, simPublicKey}) {
            if (field != null && field.indexOf('\n') >= 0) {
                // A newline inside a field would let two different records sign the same bytes.
                throw new IllegalArgumentException("manifest fields cannot contain a line break");
            }
        }
        return String.join("\n", CONTEXT, iccid, imei, hwModel, manufacturer, simPublicKey == null ? "" : simPublicKey)
                .getBytes(StandardCharsets.UTF_8);
    }
}
