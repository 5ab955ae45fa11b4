package io.simanchor.agent.cli;

import java.net.URI;

import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.enroll.OperatorToken;
import io.simanchor.agent.http.JsonHttp;

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

    /** An identity-service client and a fresh operator token over one HTTP transport; close when done. */
    record Session(JsonHttp http, IdentityClient identity, String token) implements AutoCloseable {

        @Override
        public void close() {
            http.close();
        }
    }

    /** Obtains an operator token; the session keeps up to {@code connections} connections to each server. */
    Session signIn(int connections) {
        JsonHttp http = JsonHttp.open(connections);
        try {
            String token = Await.result(OperatorToken.fetch(http, tokenUrl, clientId, clientSecret));
            return new Session(http, new IdentityClient(http, identityUrl), token);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }
}
