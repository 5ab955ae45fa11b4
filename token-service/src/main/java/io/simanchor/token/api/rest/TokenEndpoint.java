package io.simanchor.token.api.rest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.token.config.ServiceWiring;
import io.simanchor.token.domain.IssuedToken;
import io.simanchor.token.domain.OAuthError;
import io.simanchor.token.domain.TokenDenied;
import io.simanchor.token.domain.TokenService;
import io.smallrye.common.annotation.NonBlocking;
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

    private static final Logger LOG = Logger.getLogger(TokenEndpoint.class);
    /** Far more parameters than a token request has; a form with more is refused, not truncated. */
    private static final int MAX_PARAMETERS = 32;

    private final TokenService tokens;
    private final ObjectMapper json;

    TokenEndpoint(TokenService tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public CompletionStage<Response> token(String body) {
        Map<String, List<String>> form;
        try {
            form = decodeForm(body);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    error(OAuthError.INVALID_REQUEST, "the form is not valid application/x-www-form-urlencoded")
                            .build());
        }
        Context requestContext = Vertx.currentContext();
        Executor eventLoop = task -> requestContext.runOnContext(ignored -> task.run());
        return tokens.issue(form).handleAsync(this::answer, eventLoop);
    }

    private Response answer(IssuedToken token, Throwable failure) {
        if (failure == null) {
            return issued(token);
        }
        Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
        if (cause instanceof TokenDenied denied) {
            return refused(denied);
        }
        if (cause instanceof PersistenceException) {
            return unavailable(cause);
        }
        // Anything else is a bug: the platform's mapper answers it as a 500 problem.
        throw new CompletionException(cause);
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

    /**
     * The {@code jti} could not be recorded, so nothing was issued. RFC 6749 §5.2 has no code for this;
     * {@code temporarily_unavailable} is the one §4.1.2.1 defines for the same situation, with
     * {@code Retry-After} (RFC 9110 §10.2.3) so clients back off instead of hammering.
     */
    private static Response unavailable(Throwable failure) {
        LOG.warnf("Token request not recorded, nothing issued [cause: %s]", failure.getMessage());
        return error(OAuthError.TEMPORARILY_UNAVAILABLE, "the request could not be recorded; retry shortly")
                .status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .build();
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

    /**
     * Decodes the body (RFC 6749 Appendix B: UTF-8, percent-encoded) keeping every value of a parameter, so
     * the service can refuse repeats (§3.2); {@code ;} is an ordinary character, not a separator. A
     * malformed percent-escape or more than {@value #MAX_PARAMETERS} parameters throw
     * {@link IllegalArgumentException}: the client's error, answered as {@code invalid_request}.
     */
    static Map<String, List<String>> decodeForm(String body) {
        // The decoder reads a query string: it would skip a leading '?' and stop at a '#', silently dropping
        // what follows (a repeated parameter, say). In a form both must be percent-encoded.
        if (body != null && (body.startsWith("?") || body.indexOf('#') >= 0)) {
            throw new IllegalArgumentException("a raw '?' or '#' in a form");
        }
        QueryStringDecoder decoder = new QueryStringDecoder(body == null ? "" : body, StandardCharsets.UTF_8, false,
                MAX_PARAMETERS + 1, true);
        Map<String, List<String>> parameters = decoder.parameters();
        if (parameters.values().stream().mapToInt(List::size).sum() > MAX_PARAMETERS) {
            throw new IllegalArgumentException("too many parameters");
        }
        return parameters;
    }

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
