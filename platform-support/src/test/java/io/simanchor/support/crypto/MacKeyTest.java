package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** The tag is HMAC-SHA256 over an unambiguous input, whichever thread computes it and whatever came before. */
class MacKeyTest {

    private static final byte[] KEY = "a-test-only-mac-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = HexFormat.of().parseHex("00112233445566778899");

    private final MacKey key = new MacKey(KEY);

    @Test
    void the_tag_is_hmac_sha256_over_label_zero_context_zero_data() throws Exception {
        Mac reference = Mac.getInstance("HmacSHA256");
        reference.init(new SecretKeySpec(KEY, "HmacSHA256"));
        reference.update("label\0device-1\0".getBytes(StandardCharsets.UTF_8));
        reference.update(DATA, 0, 6);

        assertThat(key.tag("label", "device-1", DATA, 6)).isEqualTo(reference.doFinal());
    }

    @Test
    void a_tag_that_failed_leaves_nothing_behind_for_the_next() {
        byte[] expected = key.tag("label", "device-1", DATA, DATA.length);

        assertThatThrownBy(() -> key.tag("label", "device-1", DATA, DATA.length + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(key.tag("label", "device-1", DATA, DATA.length)).isEqualTo(expected);
    }

    @Test
    void threads_computing_tags_at_once_get_the_same_tags() throws Exception {
        byte[] expected = key.tag("label", "device-1", DATA, DATA.length);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] running = new Future<?>[8];
            for (int i = 0; i < running.length; i++) {
                running[i] = threads.submit(() -> {
                    for (int n = 0; n < 2_000; n++) {
                        assertThat(key.tag("label", "device-1", DATA, DATA.length)).isEqualTo(expected);
                    }
                });
            }
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void a_different_label_or_context_gives_a_different_tag() {
        byte[] tag = key.tag("label", "device-1", DATA, DATA.length);

        assertThat(key.tag("other", "device-1", DATA, DATA.length)).isNotEqualTo(tag);
        assertThat(key.tag("label", "device-2", DATA, DATA.length)).isNotEqualTo(tag);
    }

    @Test
    void a_key_shorter_than_256_bits_is_refused() {
        assertThatThrownBy(() -> new MacKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
