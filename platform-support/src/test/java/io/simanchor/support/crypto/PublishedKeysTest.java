package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A publisher's key set as a reader holds it (issue 28): a key published since the last refresh is found,
 * a publisher that does not answer is not taken to have withdrawn a key, and made-up key ids cost at most one
 * request per interval.
 */
class PublishedKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<String> jwks = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startPublisher() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/keys", exchange -> {
            requests.incrementAndGet();
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopPublisher() {
        server.stop(0);
    }

    @Test
    void a_key_published_since_the_last_refresh_is_found_even_right_after_a_routine_refresh() throws Exception {
        EcPublicKey first = newKey();
        EcPublicKey second = newKey();
        jwks.set(jwks(first));
        PublishedKeys keys = keys(Duration.ofSeconds(10));
        keys.awaitFirstAnswer();
        keys.refreshIfDue();

        jwks.set(jwks(first, second));

        assertThat(keys.findOrRefresh(second.thumbprint())).hasValue(second);
    }

    @Test
    void made_up_key_ids_cost_one_request_per_interval() throws Exception {
        jwks.set(jwks(newKey()));
        PublishedKeys keys = keys(Duration.ofMinutes(1));
        keys.awaitFirstAnswer();
        int before = requests.get();

        for (int i = 0; i < 1_000; i++) {
            assertThat(keys.findOrRefresh("made-up-" + i)).isEmpty();
        }

        assertThat(requests.get() - before).isEqualTo(1);
    }

    @Test
    void a_publisher_that_does_not_answer_is_not_taken_to_have_no_such_key() throws Exception {
        EcPublicKey key = newKey();
        jwks.set(jwks(key));
        PublishedKeys keys = keys(Duration.ofSeconds(10));
        keys.awaitFirstAnswer();
        server.stop(0);

        assertThat(keys.findOrRefresh(key.thumbprint())).hasValue(key);
        assertThatThrownBy(() -> keys.findOrRefresh("published-meanwhile"))
                .isInstanceOf(PublishedKeys.Unavailable.class);
    }

    private PublishedKeys keys(Duration minRefreshInterval) {
        return new PublishedKeys(JSON, "test keys",
                Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys")),
                Optional.empty(), Duration.ofMinutes(5), minRefreshInterval,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    private static EcPublicKey newKey() throws Exception {
        return EcPublicKey.of(Certificates.newP256KeyPair(new SecureRandom()).getPublic());
    }

    private static String jwks(EcPublicKey... keys) throws Exception {
        return JSON.writeValueAsString(Map.of("keys", List.of(keys).stream().map(key -> {
            EcPublicKey.Jwk jwk = key.toJwk();
            return Map.of("kty", jwk.kty(), "crv", jwk.crv(), "x", jwk.x(), "y", jwk.y(), "kid", key.thumbprint());
        }).toList()));
    }
}
