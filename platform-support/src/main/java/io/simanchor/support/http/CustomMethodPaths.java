package io.simanchor.support.http;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets clients that percent-encode the colon of a custom-method path ({@code /registrations:bulk},
 * AIP-136 style) reach the same endpoint as those that send it literally. RFC 3986 §3.3 allows a bare
 * ':' in a path segment and says {@code %3A} is equivalent, but the JAX-RS matcher compares the raw
 * path, so an encoded colon would otherwise end in a 404.
 */
@ApplicationScoped
public class CustomMethodPaths {

    private static final Pattern ENCODED_COLON = Pattern.compile("%3[aA]");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 50).handler(this::decodeColons);
    }

    private void decodeColons(RoutingContext context) {
        String path = context.request().path();
        // Runs on every request: the cheap test first, the pattern only when a '%' is there at all.
        if (path == null || path.indexOf('%') < 0 || !ENCODED_COLON.matcher(path).find()) {
            context.next();
            return;
        }
        String query = context.request().query();
        String decoded = ENCODED_COLON.matcher(path).replaceAll(":");
        context.reroute(context.request().method(), query == null ? decoded : decoded + "?" + query);
    }
}
