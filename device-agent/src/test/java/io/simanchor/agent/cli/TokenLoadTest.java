package io.simanchor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.simanchor.agent.http.HttpCallException;

class TokenLoadTest {

    @Test
    void a_refusal_is_named_by_status_and_oauth_error() {
        assertThat(TokenLoad.refusal(new HttpCallException("/oauth2/token", 429,
                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"slow down\"}", Optional.empty())))
                .isEqualTo("HTTP 429 temporarily_unavailable");
        assertThat(
                TokenLoad.refusal(new HttpCallException("/token", 502, "<html>bad gateway</html>", Optional.empty())))
                .isEqualTo("HTTP 502");
        assertThat(TokenLoad.refusal(new HttpCallException("/token", 500, null, Optional.empty())))
                .isEqualTo("HTTP 500");
    }

    @Test
    void a_request_without_an_answer_is_named_by_its_failure() {
        assertThat(TokenLoad.refusal(new ConnectException("Connection refused")))
                .isEqualTo("no answer ConnectException");
    }
}
