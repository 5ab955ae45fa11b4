package io.simanchor.token.api.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.token.config.ServiceWiring;
import io.simanchor.token.domain.IssuedToken;
import io.simanchor.token.domain.OAuthError;
import io.simanchor.token.domain.TokenDenied;
import io.simanchor.token.domain.TokenService;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The OAuth 2.0 token endpoint (RFC 6749 §3.2) for devices: client credentials with a JWT client
 * assertion (RFC 7523 §2.2) and the device's attestation result. Answers per RFC 6749 §5.1 and §5.2, never
 * cached ({@code Cache-Control: no-store}).
 *
 * <p>
 * It runs on the event loop: every check works on memory (the device view, the verifier's keys, the rate
 * limits), and the one wait, for the {@code jti} to be recorded, does not hold a thread. The answer is
 * written back on the request's own event loop, not on the ledger's writer thread that completes the
 * wait. This saves a worker thread hand-off and its wake-ups per token (docs/performance.md).
 */
@Path(ServiceWiring.TOKEN_PATH)
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class TokenEndpoint {

    private final TokenService tokens;
    private final ObjectMapper json;

    TokenEndpoint(TokenService tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> token(MultivaluedMap<String, String> form) {
        Context requestContext = Vertx.currentContext();
        Executor eventLoop = task -> requestContext.runOnContext(ignored -> task.run());
        return Uni.createFrom()
                .completionStage(() -> tokens.issue(form == null ? Map.of() : form))
                .emitOn(eventLoop)
                .map(this::issued)
                .onFailure(TokenDenied.class)
                .recoverWithItem(denied -> refused((TokenDenied) denied));
    }

    /** RFC 6749 §5.1, rendered here: a ready string is cheaper to write than a map for the writer chain. */
    private Response issued(IssuedToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn().toSeconds());
        body.put("scope", token.scope());
        try {
            return noStore(Response.ok(json.writeValueAsString(body), MediaType.APPLICATION_JSON_TYPE)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and a number always serialise", e);
        }
    }

    private static Response refused(TokenDenied denied) {
        Response.ResponseBuilder response = error(denied.reason().error(), denied.reason().publicDescription());
        denied.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(wait)));
        return response.build();
    }

    /** Anything that is not a form (JSON, say) is an {@code invalid_request}, not a 415 page. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response notAForm() {
        return error(OAuthError.INVALID_REQUEST, "the request must be application/x-www-form-urlencoded").build();
    }

    static Response.ResponseBuilder error(OAuthError error, String description) {
        return noStore(Response.status(error.httpStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error.code(), "error_description", description)));
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        // RFC 6749 §5.1: Cache-Control no-store and Pragma no-cache on every answer carrying tokens.
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
