package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys created on first start, once (issue 28): instances that start together end up signing with one key,
 * and a keystore, once written, is never replaced.
 */
class StoredSigningKeyTest {

    private static final StoredSigningKey.Purpose PURPOSE = new StoredSigningKey.Purpose("test-signing",
            "SIM Anchor test signer", "test.keystore-path");
    private static final char[] PASSWORD = "secret".toCharArray();

    @TempDir
    Path directory;

    @Test
    void instances_starting_together_sign_with_one_key() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                Path keystore = directory.resolve("round-" + round + ".p12");
                CyclicBarrier start = new CyclicBarrier(4);
                Callable<String> instance = () -> {
                    start.await();
                    return StoredSigningKey.loadOrCreate(PURPOSE, Optional.of(keystore), PASSWORD, new SecureRandom(),
                            Clock.systemUTC()).keyId();
                };
                List<Future<String>> started = pool.invokeAll(List.of(instance, instance, instance, instance));

                assertThat(started.stream().map(this::keyId).distinct()).hasSize(1);
                assertThat(StoredSigningKey.loadExisting(PURPOSE, keystore, PASSWORD).keyId())
                        .isEqualTo(keyId(started.get(0)));
                try (var leftovers = Files.list(directory)) {
                    assertThat(leftovers.filter(file -> file.toString().endsWith(".tmp"))).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_keystore_once_written_is_never_replaced() throws Exception {
        Path keystore = directory.resolve("keys.p12");
        String first = StoredSigningKey.loadOrCreate(PURPOSE, Optional.of(keystore), PASSWORD, new SecureRandom(),
                Clock.systemUTC()).keyId();

        assertThatThrownBy(() -> Pkcs12Files.saveNew(Pkcs12Files.empty(), keystore, PASSWORD))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(StoredSigningKey.loadExisting(PURPOSE, keystore, PASSWORD).keyId()).isEqualTo(first);
    }

    private String keyId(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
