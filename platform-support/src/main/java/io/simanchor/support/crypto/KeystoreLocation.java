package io.simanchor.support.crypto;

import java.nio.file.Path;
import java.util.Optional;

import io.quarkus.runtime.LaunchMode;

/**
 * Where a service keeps one of its signing keys: a PKCS#12 file and its password, from the settings
 * {@code <prefix>.keystore-path} and {@code <prefix>.keystore-password}. Keys fail closed (issue 28): in
 * production both must be set and the password must not be empty, or the service does not start, with a
 * one-line reason; a key that silently lived in memory would sign what no other instance, and no restart,
 * can verify, and an empty password protects nothing. Tests and dev mode may leave the path out (a key in
 * memory) and the password empty.
 *
 * @param path the keystore file, if any
 * @param password its password
 */
public record KeystoreLocation(Optional<Path> path, char[] password) {

    /** The location the settings under {@code prefix} give, checked for the running launch mode. */
    public static KeystoreLocation of(String prefix, Optional<String> path, Optional<String> password) {
        return of(prefix, path, password, LaunchMode.current().isProduction());
    }

    /**
     * The location the settings under {@code prefix} give.
     *
     * @param production whether the service runs in production (the packaged service, not a test or dev mode)
     * @throws IllegalStateException in production, when the path is missing or the password missing or empty
     */
    public static KeystoreLocation of(String prefix, Optional<String> path, Optional<String> password,
            boolean production) {
        Optional<String> file = path.filter(value -> !value.isBlank());
        if (production && file.isEmpty()) {
            throw new IllegalStateException(prefix + ".keystore-path is not set: in production every signing key "
                    + "lives in a keystore shared by the service's instances");
        }
        if (production && password.filter(value -> !value.isEmpty()).isEmpty()) {
            throw new IllegalStateException(prefix + ".keystore-password is not set or empty: in production every "
                    + "keystore is protected by a password from a secret");
        }
        return new KeystoreLocation(file.map(Path::of), password.orElse("").toCharArray());
    }
}
