package io.simanchor.support.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * PKCS#12 keystore files holding a service's own keys. Written atomically with mode 600, so a reader
 * (another instance, a restart) sees either no file or a complete one, and no other user can read it.
 */
public final class Pkcs12Files {

    private Pkcs12Files() {
    }

    /** Loads the keystore at {@code path}. */
    public static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            keyStore.load(in, password);
        }
        return keyStore;
    }

    /** An empty keystore to fill and {@link #saveNew}. */
    public static KeyStore empty() throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        return keyStore;
    }

    /**
     * Writes {@code keyStore} to {@code path} only if no file is there, atomically: a temporary file in the
     * same directory, then a hard link to {@code path}, which fails with {@link FileAlreadyExistsException} if
     * another process created it first (a rename would silently replace that one's keys).
     */
    public static void saveNew(KeyStore keyStore, Path path, char[] password)
            throws IOException, GeneralSecurityException {
        Path temporary = written(keyStore, path, password);
        try {
            Files.createLink(path, temporary);
        } catch (UnsupportedOperationException e) {
            throw new IOException("the keystore's file system has no hard links, which creating it once needs: "
                    + "create " + path + " before the first start", e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes {@code keyStore} over {@code path} atomically (a temporary file, then a rename). */
    public static void replace(KeyStore keyStore, Path path, char[] password)
            throws IOException, GeneralSecurityException {
        Path temporary = written(keyStore, path, password);
        try {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path written(KeyStore keyStore, Path path, char[] password)
            throws IOException, GeneralSecurityException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            keyStore.store(out, password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Never leave a half-written copy of a private key behind.
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }
}
