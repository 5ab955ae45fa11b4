package io.simanchor.support.crypto;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jboss.logging.Logger;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * The one place that chooses the JCA provider (DESIGN.md §6), like Keycloak's {@code CryptoProvider}.
 * ECDSA P-256 is every service's hot path, and the JDK's default provider is 20-30x slower than the
 * AWS-LC-backed Amazon Corretto Crypto Provider (reference/performance-anchors.md). So P-256 runs on
 * that provider where its native library loads (Linux x86_64 / aarch64) and on Bouncy Castle elsewhere;
 * brainpool curves, which AWS-LC lacks, always run on Bouncy Castle. Providers are passed explicitly and
 * never installed globally, so nothing else in the JVM changes behaviour.
 */
public final class CryptoProviders {

    private static final Logger LOG = Logger.getLogger(CryptoProviders.class);

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final Provider P256 = choose();

    private CryptoProviders() {
    }

    /** The provider for ECDSA and key generation on P-256. */
    public static Provider p256() {
        return P256;
    }

    /** Bouncy Castle: brainpool curves, and the fallback for everything. */
    public static Provider bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    /** The provider for ECDSA on {@code curve}. */
    public static Provider forCurve(EcCurve curve) {
        return curve == EcCurve.SECP256R1 ? P256 : BOUNCY_CASTLE;
    }

    /** Whether the AWS-LC-backed provider loaded on this machine. */
    public static boolean correttoAvailable() {
        return P256 != BOUNCY_CASTLE;
    }

    private static Provider choose() {
        if (Boolean.getBoolean("simanchor.crypto.force-bouncy-castle")) {
            LOG.info("JCA provider for P-256: Bouncy Castle (forced by simanchor.crypto.force-bouncy-castle)");
            return BOUNCY_CASTLE;
        }
        try {
            AmazonCorrettoCryptoProvider corretto = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = corretto.getLoadingError();
            if (loadingError == null) {
                corretto.assertHealthy();
                LOG.infof("JCA provider for P-256: %s %s (AWS-LC)", corretto.getName(), corretto.getVersionStr());
                return corretto;
            }
            LOG.infof("JCA provider for P-256: Bouncy Castle (Corretto provider unavailable: %s)",
                    loadingError.getMessage());
        } catch (LinkageError | RuntimeException e) {
            LOG.infof("JCA provider for P-256: Bouncy Castle (Corretto provider unavailable: %s)", e.toString());
        }
        return BOUNCY_CASTLE;
    }
}
