package io.simanchor.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonHttpTest {

    private final JsonHttp http = JsonHttp.open(1);

    @AfterEach
    void close() {
        http.close();
    }

    @Test
    void aCallVertxRefusesToStartFailsInsteadOfHanging() {
        // URI accepts the port; Vert.x throws when the request is started on its event loop.
        JsonHttp.Call call = new JsonHttp.Call("POST", URI.create("http://127.0.0.1:6647156/oauth2/token"),
                Optional.empty(), Duration.ofSeconds(30));

        assertThatThrownBy(() -> http.form(call, "grant_type=client_credentials", 200)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(HttpCallException.class)
                .hasMessageContaining("/oauth2/token");
    }

    @Test
    void aCallAfterCloseFailsInsteadOfHanging() throws Exception {
        JsonHttp closed = JsonHttp.open(1);
        closed.close();

        assertThatThrownBy(
                () -> closed.get(JsonHttp.Call.of("GET", URI.create("http://127.0.0.1:1/"), Optional.empty()),
                        200).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(HttpCallException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void noAnswerKeepsItsCause() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        JsonHttp.Call call = JsonHttp.Call.of("GET", URI.create("http://127.0.0.1:1/"), Optional.empty());

        assertThatThrownBy(() -> http.get(call, 200).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(HttpCallException.class, failure -> {
                    assertThat(failure.status()).isZero();
                    assertThat(failure.getCause()).isNotNull();
                    assertThat(failure.body()).isEqualTo(failure.getCause().toString());
                });
    }

    @Test
    void retryAfterReadsSecondsAndDatesAndIgnoresNonsense() {
        assertThat(JsonHttp.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(JsonHttp.retryAfter("-3")).contains(Duration.ZERO);
        assertThat(JsonHttp.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(JsonHttp.retryAfter("soon")).isEmpty();
        assertThat(JsonHttp.retryAfter(null)).isEmpty();
    }
}
