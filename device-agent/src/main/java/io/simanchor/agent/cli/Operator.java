package io.simanchor.agent.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.enroll.OperatorToken;

/**
 * The operator the fleet simulator acts as: where identity-service and Keycloak are, and the operator
 * client's credentials.
 *
 * @param identityUrl identity-service base URL
 * @param tokenUrl Keycloak token endpoint
 * @param clientId operator client id
 * @param clientSecret operator client secret
 */
record Operator(URI identityUrl, URI tokenUrl, String clientId, String clientSecret) {

    /** An identity-service client and a fresh operator token. */
    record Session(IdentityClient identity, String token) {
    }

    /**
     * Obtains an operator token and a client for identity-service. HTTP/1.1 on purpose: the JDK client's
     * default h2c upgrade attempt costs the server more CPU than HTTP/2 saves (docs/performance.md).
     */
    Session signIn() {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return new Session(new IdentityClient(http, identityUrl), OperatorToken.fetch(http, tokenUrl, clientId,
                clientSecret));
    }
}
