package io.simanchor.agent.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.simanchor.agent.enroll.CsrBuilder;
import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.api.enrollment.KeyRotationProof;

/**
 * Key rotation through the SIM: a rotation challenge, a new key made in the SIM, its CSR (nonce as
 * challengePassword) signed by the new key, the proof signed by the current key, and once identity-service
 * has issued the new certificate, the new key committed with its chain (the old key is destroyed). Until
 * that last step the current key stays the element's key. identity-service switches to the new key when it
 * issues the certificate, so an answer lost on the way leaves the platform on the new key and the SIM on
 * the old one, with the new key kept (never destroyed) for a later attempt; see device-agent/README.md.
 */
public final class DeviceKeyRotation {

    private DeviceKeyRotation() {
    }

    /** Rotates the key of {@code deviceId} held behind {@code sim}. */
    public static CompletionStage<DeviceEnrollment.Enrolled> rotate(IdentityClient identity, String deviceId,
            SimSigner sim) {
        return identity.createRotationChallenge(deviceId)
                .thenCompose(challenge -> sim.generateNextKey()
                        .thenCompose(next -> CsrBuilder
                                .build(next.publicKey(), challenge.nonce(),
                                        message -> sim.signWithNextKey(next, message))
                                .thenCompose(csr -> sim.sign(KeyRotationProof.message(challenge.nonce(), encoded(csr)))
                                        .thenCompose(proof -> identity.rotateKey(deviceId, challenge.challengeId(),
                                                CsrBuilder.pem(csr), Base64.getEncoder().encodeToString(proof))))
                                .thenCompose(enrollment -> {
                                    List<X509Certificate> chain = DeviceEnrollment
                                            .parseChain(enrollment.certificateChain());
                                    return sim.commit(next, chain)
                                            .thenApply(committed -> new DeviceEnrollment.Enrolled(deviceId, chain,
                                                    enrollment.mudUrl()));
                                })));
    }

    private static byte[] encoded(PKCS10CertificationRequest csr) {
        try {
            return csr.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
