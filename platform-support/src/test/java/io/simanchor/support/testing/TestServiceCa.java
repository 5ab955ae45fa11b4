package io.simanchor.support.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;

import io.simanchor.support.tls.ServiceCa;

/**
 * The service CA of a test JVM: made once in a temporary directory by the same class as {@code ./platform}'s,
 * so the tests' broker and clients authenticate with certificates like the launcher's.
 */
public final class TestServiceCa {

    private static ServiceCa ca;

    private TestServiceCa() {
    }

    /** The CA, created on first use. */
    public static synchronized ServiceCa ca() {
        if (ca == null) {
            try {
                ca = ServiceCa.openOrCreate(Files.createTempDirectory("simanchor-service-ca-"), Clock.systemUTC(),
                        new SecureRandom());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the test service CA", e);
            }
        }
        return ca;
    }

    /** The key and certificate of {@code component} (issued on first use). */
    public static ServiceCa.ComponentKeys keysOf(String component, ServiceCa.Usage usage) {
        try {
            return ca().keysOf(component, usage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a test certificate for " + component, e);
        }
    }

    /** {@code service-ca.crt}, the PEM file clients trust. */
    public static Path certificateFile() {
        return ca().certificateFile();
    }
}
