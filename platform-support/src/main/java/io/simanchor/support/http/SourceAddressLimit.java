package io.simanchor.support.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.Problem;
import io.simanchor.support.ratelimit.RateLimitConfig;
import io.simanchor.support.ratelimit.RateLimitedException;
import io.simanchor.support.ratelimit.RequestRateLimits;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Limits requests per source address on the unauthenticated device paths ({@link RateLimitConfig#sourcePaths()}),
 * before anything reads the body (ahead of {@link BodySizeLimit}) or any other route sees the request: a 429
 * costs a map lookup, writes nothing, and is counted for the period's summary event. gRPC calls on these paths
 * get the HTTP 429, which gRPC clients see as {@code UNAVAILABLE}.
 */
@ApplicationScoped
public class SourceAddressLimit {

    private final List<String> paths;
    private final RequestRateLimits limits;

    SourceAddressLimit(RateLimitConfig config, RequestRateLimits limits) {
        this.paths = config.sourcePaths().orElse(List.of());
        this.limits = limits;
    }

    void install(@Observes Router router) {
        if (!paths.isEmpty()) {
            router.route().order(Integer.MIN_VALUE + 40).handler(this::check);
        }
    }

    /**
     * The key of a client's address: an IPv4 address, or an IPv6 address's /64 network, which one subscriber
     * is given whole (RFC 6177), so that walking through it gains no fresh limit.
     */
    static String sourceOf(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException e) {
            // Not reached for the literal the server reports; the address itself is then the key.
            return address;
        }
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (paths.stream().noneMatch(path::startsWith) || context.request().remoteAddress() == null) {
            context.next();
            return;
        }
        Optional<Duration> wait = limits.admitSource(sourceOf(context.request().remoteAddress().hostAddress()));
        if (wait.isEmpty()) {
            context.next();
            return;
        }
        long seconds = RateLimitedException.retryAfterSeconds(wait.get());
        if (context.request().version() != HttpVersion.HTTP_2) {
            // The body was not read: an HTTP/1.x connection cannot carry the next request after it (HTTP/2
            // resets just the stream).
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response()
                .setStatusCode(CommonProblems.RATE_LIMITED.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .end(Json.encode(Problem.of(CommonProblems.RATE_LIMITED,
                        "Too many requests from this address; retry after " + seconds + " s")));
    }
}
