package io.simanchor.token.api.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.Problem;
import io.simanchor.support.runtime.CompletionFailures;
import io.simanchor.token.config.ServiceWiring;
import io.simanchor.token.domain.IssuedToken;
import io.simanchor.token.domain.OAuthError;
import io.simanchor.token.domain.TokenDenied;
import io.simanchor.token.domain.TokenService;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The OAuth 2.0 token endpoint (RFC 6749 §3.2) for devices: client credentials with a JWT client
 * assertion (RFC 7523 §2.2) and the device's attestation result. Answers per RFC 6749 §5.1 and §5.2, never
 * cached ({@code Cache-Control: no-store}).
 *
 * <p>
 * A plain Vert.x route, not a JAX-RS resource: this is the one endpoint a fleet calls at scale, and the
 * JAX-RS layer (matching, content negotiation, the response builder and writer chain) cost 8 % of the CPU
 * of a whole token (docs/performance.md). Everything runs on the request's event loop: every check
 * works on memory (the device view, the verifier's keys, the rate limits), and the one wait, for the
 * {@code jti} to be recorded, does not hold a thread; the answer is written back on the same event loop.
 * The document for this path is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class TokenRoute {

    private static final Logger LOG = Logger.getLogger(TokenRoute.class);
    /** Far more parameters than a token request has; a form with more is refused, not truncated. */
    private static final int MAX_PARAMETERS = 32;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";
    private static final String PRAGMA = "Pragma";
    /**
     * Right after platform-support's {@code BodySizeLimit} ({@code MIN_VALUE + 100}) and before Quarkus's
     * authentication and authorization handlers ({@code -200}, {@code -100}) and the OIDC ones. The client
     * authenticates inside the request (RFC 6749 §2.3, RFC 7523 §3), so this path has no caller identity
     * for them to establish, and no HTTP permission applies to it; passing through them cost about 7 % of the
     * endpoint's Java time (docs/performance.md). Request metrics still count it: they hang on the HTTP
     * server, not on a route.
     */
    static final int ORDER = Integer.MIN_VALUE + 200;

    private final TokenService tokens;
    private final ObjectMapper json;

    TokenRoute(TokenService tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route(ServiceWiring.TOKEN_PATH).order(ORDER).handler(this::token);
    }

    private void token(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method() != HttpMethod.POST) {
            // RFC 6749 §3.2: the client MUST use POST.
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            sendError(context, 405, OAuthError.INVALID_REQUEST, "the token endpoint accepts POST only");
            return;
        }
        if (!isForm(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            sendError(context, OAuthError.INVALID_REQUEST, "the request must be application/x-www-form-urlencoded");
            return;
        }
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // RFC 9110 §10.1.1: clients such as curl wait for this before they send a body of over 1 KiB.
            context.response().writeContinue();
        }
        // Reading the whole body is safe: platform-support's BodySizeLimit has already refused a body
        // without a Content-Length, with one above the service's limit, or with a Transfer-Encoding beside
        // it, so HTTP framing holds the body to that length.
        Context eventLoop = context.vertx().getOrCreateContext();
        request.body()
                .onSuccess(body -> decide(context, eventLoop, body))
                .onFailure(failure -> LOG.debugf("Token request body not read [cause: %s]", failure.getMessage()));
        // The HTTP layer hands requests over paused, so that a route decides how to read the body.
        request.resume();
    }

    private void decide(RoutingContext context, Context eventLoop, Buffer body) {
        Map<String, List<String>> form;
        try {
            form = decodeForm(body.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            sendError(context, OAuthError.INVALID_REQUEST, "the form is not valid application/x-www-form-urlencoded");
            return;
        }
        CompletionStage<IssuedToken> decision;
        try {
            decision = tokens.issue(form);
        } catch (RuntimeException bug) {
            // Refusals come as a failed stage; anything thrown is a bug, and the client still gets an answer.
            decision = CompletableFuture.failedFuture(bug);
        }
        decision.whenComplete((token, failure) -> eventLoop.runOnContext(ignored -> answer(context, token, failure)));
    }

    private void answer(RoutingContext context, IssuedToken token, Throwable failure) {
        if (context.response().closed()) {
            return; // the client went away; the decision is published all the same
        }
        try {
            sendDecision(context, token, failure);
        } catch (RuntimeException bug) {
            if (!context.response().ended()) {
                sendInternalError(context, bug);
            }
        }
    }

    private void sendDecision(RoutingContext context, IssuedToken token, Throwable failure) {
        if (failure == null) {
            sendIssued(context, token);
            return;
        }
        Throwable cause = CompletionFailures.cause(failure);
        if (cause instanceof TokenDenied denied) {
            denied.retryAfter()
                    .ifPresent(wait -> context.response()
                            .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(wait))));
            sendError(context, denied.reason().error(), denied.reason().publicDescription());
        } else if (cause instanceof PersistenceException) {
            sendUnavailable(context, cause);
        } else {
            sendInternalError(context, cause);
        }
    }

    private void sendIssued(RoutingContext context, IssuedToken token) {
        send(context, 200, JSON,
                new TokenResponse(token.accessToken(), "Bearer", token.expiresIn().toSeconds(), token.scope()));
    }

    /**
     * The {@code jti} could not be recorded, so nothing was issued. RFC 6749 §5.2 has no code for this;
     * {@code temporarily_unavailable} is the one §4.1.2.1 defines for the same situation, with
     * {@code Retry-After} (RFC 9110 §10.2.3) so clients back off instead of hammering.
     */
    private void sendUnavailable(RoutingContext context, Throwable failure) {
        LOG.warnf("Token request not recorded, nothing issued [cause: %s]", failure.getMessage());
        context.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        sendError(context, 503, OAuthError.TEMPORARILY_UNAVAILABLE, "the request could not be recorded; retry shortly");
    }

    /** A bug: logged with its stack trace, answered like every other service's 500 (problem+json). */
    private void sendInternalError(RoutingContext context, Throwable failure) {
        LOG.errorf(failure, "Request failed [problem: %s]", CommonProblems.INTERNAL_ERROR.code());
        send(context, 500, Problem.MEDIA_TYPE, Problem.of(CommonProblems.INTERNAL_ERROR, null));
    }

    private void sendError(RoutingContext context, OAuthError error, String description) {
        sendError(context, error.httpStatus(), error, description);
    }

    /** RFC 6749 §5.2. */
    private void sendError(RoutingContext context, int status, OAuthError error, String description) {
        send(context, status, JSON, Map.of("error", error.code(), "error_description", description));
    }

    private void send(RoutingContext context, int status, String contentType, Object body) {
        byte[] rendered;
        try {
            rendered = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers always serialise", e);
        }
        HttpServerResponse response = context.response();
        // RFC 6749 §5.1: Cache-Control no-store and Pragma no-cache on every answer carrying tokens.
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(PRAGMA, "no-cache")
                .end(Buffer.buffer(rendered));
    }

    /** {@code application/x-www-form-urlencoded}, with or without parameters, in any letter case. */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = parameters < 0 ? contentType : contentType.substring(0, parameters);
        return mediaType.trim().toLowerCase(Locale.ROOT).equals(FORM);
    }

    /**
     * Decodes the body (RFC 6749 Appendix B: UTF-8, percent-encoded, {@code +} for a space) keeping every value
     * of a parameter, so the service can refuse repeats (§3.2). Only {@code &} separates parameters and only
     * the first {@code =} separates a name from its value, as in the WHATWG URL Standard's
     * {@code application/x-www-form-urlencoded} parser; empty sequences are skipped. Unlike that parser, a
     * malformed percent-escape is refused, as are more than {@value #MAX_PARAMETERS} parameters: both throw
     * {@link IllegalArgumentException}, the client's error, answered as {@code invalid_request}.
     *
     * <p>
     * Hand-rolled over {@link String#indexOf(int, int)} rather than a query-string decoder: the assertion and
     * the EAR are base64url and never escaped, so this finds the separators with the JDK's vectorised search
     * and copies each value once, where Netty's {@code QueryStringDecoder} took 19 % of the token endpoint's
     * Java time walking the body character by character (docs/performance.md). Escaped components go to
     * {@link URLDecoder}.
     */
    static Map<String, List<String>> decodeForm(String body) {
        Map<String, List<String>> parameters = new HashMap<>();
        int count = 0;
        for (int start = 0; start < body.length();) {
            int end = body.indexOf('&', start);
            if (end < 0) {
                end = body.length();
            }
            if (end > start) {
                if (++count > MAX_PARAMETERS) {
                    throw new IllegalArgumentException("too many parameters");
                }
                int equals = body.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    equals = end;
                }
                String name = decodeComponent(body, start, equals);
                String value = equals < end ? decodeComponent(body, equals + 1, end) : "";
                parameters.computeIfAbsent(name, ignored -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return parameters;
    }

    private static String decodeComponent(String body, int start, int end) {
        String component = body.substring(start, end);
        int escape = component.indexOf('%');
        if (escape < 0 && component.indexOf('+') < 0) {
            return component;
        }
        // RFC 3986 §2.1: '%' and two ASCII hex digits. URLDecoder alone would also take "%+1" and non-ASCII
        // digits (it parses with Integer.parseInt).
        for (; escape >= 0; escape = component.indexOf('%', escape + 1)) {
            if (escape + 2 >= component.length() || !HexFormat.isHexDigit(component.charAt(escape + 1))
                    || !HexFormat.isHexDigit(component.charAt(escape + 2))) {
                throw new IllegalArgumentException("malformed percent-escape");
            }
        }
        return URLDecoder.decode(component, StandardCharsets.UTF_8);
    }

    /** RFC 6749 §5.1: the successful answer. */
    record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn, String scope) {
    }

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
