package io.simanchor.identity.domain;

import java.util.List;

import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.PemCodec;

/** The device CA: issues device certificates, and nothing else (GSMA CLP.13 6.5: separate keys). */
public interface CertificateAuthority {

    /**
     * Issues an X.509 v3 certificate for the device key: subject CN = device id, SAN URI
     * {@code urn:simanchor:device:<tenant>:<deviceId>}, the MUD URL in {@code id-pe-mud-url}, clientAuth.
     */
    DeviceCertificate issue(String tenantId, String deviceId, EcPublicKey key, String mudUrl);

    /** The CA chain, issuing CA first, root last, PEM. */
    List<String> chainPem();

    /** A certificate this CA issued followed by the CA chain, PEM: what enrollment hands a device. */
    default String chainPem(byte[] certificateDer) {
        return PemCodec.encode(PemCodec.CERTIFICATE, certificateDer) + String.join("", chainPem());
    }
}
