package io.simanchor.support.http;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.Problem;
import io.simanchor.support.problem.ProblemType;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses oversized request bodies before anything reads them. The HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}) is set high enough for bulk uploads; this filter holds
 * every other path to {@link HttpLimitsConfig#maxBodySize()} and answers with problem+json, not a bare
 * status. A body without a declared length is refused on those paths (411), because counting a chunked
 * body would mean reading it; a body with both a length and a transfer coding is refused (400) everywhere.
 * gRPC requests are bounded by the gRPC server's own message limit instead.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String TRANSFER_ENCODING = "Transfer-Encoding";

    private final long maxBodySize;
    private final long largeBodyMaxSize;
    private final List<String> largeBodyPaths;
    private final List<String> oauthPaths;

    BodySizeLimit(HttpLimitsConfig config) {
        this.maxBodySize = config.maxBodySize().asLongValue();
        this.largeBodyMaxSize = config.largeBodyMaxSize().asLongValue();
        this.largeBodyPaths = config.largeBodyPaths().orElse(List.of());
        this.oauthPaths = config.oauthPaths().orElse(List.of());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpMethod method = context.request().method();
        String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        if (!hasBody || (contentType != null && contentType.startsWith("application/grpc"))) {
            context.next();
            return;
        }
        long limit = largeBodyPaths.contains(context.normalizedPath()) ? largeBodyMaxSize : maxBodySize;
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && context.request().headers().contains(TRANSFER_ENCODING)) {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and the pair "ought to be handled as
            // an error" (request smuggling). Netty drops the length only for HTTP/1.1, so an HTTP/1.0 request
            // could otherwise declare one byte and stream an unbounded chunked body past this check.
            refuse(context, CommonProblems.MALFORMED_REQUEST, "Send Content-Length or Transfer-Encoding, not both");
            return;
        }
        if (declared == null) {
            if (limit == maxBodySize) {
                refuse(context, CommonProblems.LENGTH_REQUIRED, "Send the body with a Content-Length header");
                return;
            }
            context.next();
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            refuse(context, CommonProblems.MALFORMED_REQUEST, "Content-Length is not a number");
            return;
        }
        if (length > limit) {
            refuse(context, CommonProblems.BODY_TOO_LARGE, "This endpoint accepts at most " + limit + " bytes");
            return;
        }
        context.next();
    }

    private void refuse(RoutingContext context, ProblemType type, String detail) {
        if (oauthPaths.contains(context.normalizedPath())) {
            // RFC 6749 §5.2: the error a token endpoint's clients understand, never cached.
            context.response()
                    .setStatusCode(type.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader("Connection", "close")
                    .end(Json.encode(Map.of("error", "invalid_request", "error_description", detail)));
            return;
        }
        context.response()
                .setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(Problem.of(type, detail)));
    }
}
