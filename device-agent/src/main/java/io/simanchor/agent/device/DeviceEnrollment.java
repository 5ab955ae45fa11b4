package io.simanchor.agent.device;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.simanchor.agent.enroll.CsrBuilder;
import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.http.MalformedAnswerException;
import io.simanchor.agent.http.RateLimitRetry;
import io.simanchor.agent.sim.SimSigner;

/**
 * Enrollment through the SIM (docs/enrollment.md): a challenge for the SIM's ICCID, a PKCS#10 CSR with the
 * nonce as challengePassword signed by the SIM, the certificate chain stored in the SIM's certificate slot.
 */
public final class DeviceEnrollment {

    /** An enrolled device: its id, its chain (device certificate first) and its MUD URL. */
    public record Enrolled(String deviceId, List<X509Certificate> chain, String mudUrl) {
    }

    private DeviceEnrollment() {
    }

    /** Attempts of an enrollment that the service refuses with 429, in all. */
    static final int ATTEMPTS = 4;

    /**
     * Enrolls the SIM behind {@code sim}, whose ICCID is {@code iccid}. A 429 (the service's rate limits) starts
     * over with a new challenge after the server's {@code Retry-After}.
     */
    public static CompletionStage<Enrolled> enroll(IdentityClient identity, String iccid, SimSigner sim) {
        return RateLimitRetry.onTooManyRequests(() -> identity.createChallenge(iccid)
                .thenCompose(challenge -> CsrBuilder.build(sim.element().publicKey(), challenge.nonce(), sim::sign)
                        .thenCompose(csr -> identity.enroll(challenge.challengeId(), CsrBuilder.pem(csr)))),
                ATTEMPTS)
                .thenCompose(enrollment -> {
                    List<X509Certificate> chain = parseChain(enrollment.certificateChain());
                    return sim.element()
                            .storeCertificateChain(chain)
                            .thenApply(stored -> new Enrolled(enrollment.deviceId(), chain, enrollment.mudUrl()));
                });
    }

    /** The certificates of a PEM chain, in order. */
    public static List<X509Certificate> parseChain(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (CertificateException e) {
            throw new MalformedAnswerException("the certificate chain is not PEM X.509: " + e.getMessage());
        }
    }
}
