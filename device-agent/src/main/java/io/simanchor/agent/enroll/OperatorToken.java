package io.simanchor.agent.enroll;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.simanchor.agent.http.JsonHttp;

/** Obtains an operator access token from Keycloak with the client-credentials grant (RFC 6749 §4.4). */
public final class OperatorToken {

    private OperatorToken() {
    }

    /** The access token for {@code clientId}; the secret comes from the environment, never the command line. */
    public static CompletionStage<String> fetch(JsonHttp http, URI tokenUrl, String clientId, String clientSecret) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return http.form(JsonHttp.Call.of("POST", tokenUrl, Optional.empty()), form, 200)
                .thenApply(body -> body.get("access_token").asText());
    }
}
