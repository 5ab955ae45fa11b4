package io.simanchor.agent.sim;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/** Checks on a chain before it goes into a certificate slot. */
final class CertificateChains {

    private CertificateChains() {
    }

    /** Refuses an empty chain, or one whose first certificate is for another key. */
    static void requireCertifies(List<X509Certificate> chain, PublicKey key) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), key.getEncoded())) {
            throw new IllegalArgumentException("the certificate is not for this element's key");
        }
    }
}
