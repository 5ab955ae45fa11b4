package io.simanchor.identity.domain;

import java.time.Instant;

/**
 * A certificate issued to a device, with the chain up to the root.
 *
 * @param serialHex serial number, lowercase hex
 * @param notAfter end of validity
 * @param der the certificate, DER
 * @param chainPem the certificate, the issuing CA and the root CA, PEM
 */
public record DeviceCertificate(String serialHex, Instant notAfter, byte[] der, String chainPem) {
}
