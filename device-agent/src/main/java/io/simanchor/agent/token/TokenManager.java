package io.simanchor.agent.token;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SecureElementException;
import io.simanchor.agent.sim.SigningMetrics;

/**
 * Hands the device's application an access token without making it wait for the SIM: the heart of the
 * agent (../shared/reference/iot-safe-latency.md, "What the study recommends").
 * <ul>
 * <li>{@link #token} answers from the cache whenever a token with at least
 * {@link Settings#minimumValidity} left exists; the SIM is not touched.</li>
 * <li>A new token is fetched in the background before the old one runs out: early enough, given the
 * <em>measured</em> P99 of the SIM's signatures (and its queue) and of the network round trips, that it
 * arrives in time even after one retry; earlier still by a random share of the lifetime, so that a fleet
 * started together does not refresh in lockstep.</li>
 * <li>The EAR the token request needs is refreshed the same way, on its own schedule.</li>
 * <li>One refresh of each at a time (single flight): callers that find no valid token wait for the one
 * running, or fail at once if they asked not to wait. An expired token is never handed out.</li>
 * <li>A failed refresh is retried after an exponential back-off with jitter, never sooner than the
 * server's {@code Retry-After}; a refusal of the EAR brings a new attestation first. Failures waiting
 * cannot fix (a wrong PIN, a misconfigured scope) stop the manager and are reported to every caller.</li>
 * <li>{@link #start} gets the first EAR and token at once (pre-authentication).</li>
 * </ul>
 * Time is measured on {@link Delays}' monotonic clock and validity counted from when a credential was
 * asked for, so neither a wrong device clock nor a slow answer makes an expired token look valid.
 */
public final class TokenManager implements AutoCloseable {

    /** Whether a caller that finds no valid token waits for one. */
    public enum Wait {
        /** Wait for the refresh (and so for the SIM). */
        WAIT,
        /** Fail at once with {@link TokenUnavailableException}. */
        FAIL_FAST
    }

    /**
     * How the manager behaves.
     *
     * @param minimumValidity a token handed out has at least this much validity left
     * @param jitterShare the refresh starts earlier by up to this share of the lifetime, at random
     * @param backoffBase first back-off after a failure; doubles with every further failure
     * @param backoffCap longest back-off
     * @param simP99Prior the SIM's signing P99 assumed until enough signatures were measured (the study's
     *        1.74 s)
     * @param networkP99Prior the round trip P99 assumed until enough calls were measured
     * @param measuredFrom how many measurements make a P99 trustworthy
     */
    public record Settings(Duration minimumValidity, double jitterShare, Duration backoffBase, Duration backoffCap,
            Duration simP99Prior, Duration networkP99Prior, int measuredFrom) {

        /** Defaults for a device. */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(5), 0.1, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofMillis(1740), Duration.ofSeconds(1), 20);

        public Settings {
            if (jitterShare < 0 || jitterShare >= 0.5 || backoffBase.isNegative() || backoffBase.isZero()
                    || backoffCap.compareTo(backoffBase) < 0 || measuredFrom < 1) {
                throw new IllegalArgumentException("inconsistent token manager settings");
            }
        }
    }

    /** RFC 6749 §5.2 errors that no amount of waiting fixes: the request itself is wrong. */
    private static final Set<String> HOPELESS_OAUTH_ERRORS = Set.of("invalid_request", "unsupported_grant_type",
            "invalid_scope", "unauthorized_client");
    /** The longest {@code Retry-After} honoured. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final CredentialIssuer issuer;
    private final Delays delays;
    private final RandomGenerator random;
    private final Settings settings;
    private final SigningMetrics sim;
    private final TokenMetrics metrics;

    private final Refresh tokens = new Refresh();
    private final Refresh ears = new Refresh();
    private Throwable hopeless;
    private boolean closed;

    /** One credential, cached, with its single-flight refresh. Guarded by the manager. */
    private static final class Refresh {

        Credential current;
        long askedAt;
        long expiresAt;
        long generation;
        CompletableFuture<Credential> inFlight;
        int failures;

        boolean validFor(long now, long margin) {
            return current != null && now + margin < expiresAt;
        }
    }

    /**
     * @param sim the SIM's signing figures (for the refresh lead)
     * @param metrics where the manager's figures go; it also reads the network time recorded there
     * @param random draws the jitter; give each device its own
     */
    public TokenManager(CredentialIssuer issuer, Delays delays, RandomGenerator random, Settings settings,
            SigningMetrics sim,
            TokenMetrics metrics) {
        this.issuer = issuer;
        this.delays = delays;
        this.random = random;
        this.settings = settings;
        this.sim = sim;
        this.metrics = metrics;
    }

    /** Gets the first EAR and token now, so that the application's first call finds a token. */
    public CompletionStage<Void> start() {
        return refresh(tokens).thenApply(token -> null);
    }

    /** The manager's figures. */
    public TokenMetrics metrics() {
        return metrics;
    }

    /** A valid access token: at once from the cache, else as {@code wait} says. */
    public CompletionStage<String> token(Wait wait) {
        long start = delays.nanoTime();
        synchronized (this) {
            if (tokens.validFor(start, settings.minimumValidity().toNanos())) {
                String value = tokens.current.value();
                metrics.hit(delays.nanoTime() - start);
                return CompletableFuture.completedFuture(value);
            }
            if (hopeless != null || closed || wait == Wait.FAIL_FAST) {
                metrics.refusal();
                return CompletableFuture.failedFuture(unavailable());
            }
        }
        return refresh(tokens).handle((token, failure) -> {
            if (failure != null) {
                metrics.refusal();
                throw new CompletionException(unavailable(failure));
            }
            synchronized (this) {
                if (!tokens.validFor(delays.nanoTime(), settings.minimumValidity().toNanos())) {
                    // It took longer to get than it lives: never hand out a token that has (nearly) expired.
                    metrics.refusal();
                    throw new CompletionException(new TokenUnavailableException(
                            "the new access token arrived with less than " + settings.minimumValidity().toSeconds()
                                    + " s of validity left",
                            null));
                }
            }
            metrics.waited(delays.nanoTime() - start);
            return token.value();
        });
    }

    private TokenUnavailableException unavailable() {
        if (hopeless != null) {
            return unavailable(hopeless);
        }
        return new TokenUnavailableException(closed
                ? "the token manager is closed"
                : "no valid access token yet; one is being fetched", null);
    }

    private static TokenUnavailableException unavailable(Throwable failure) {
        Throwable cause = causeOf(failure);
        return cause instanceof TokenUnavailableException known
                ? known
                : new TokenUnavailableException("cannot get an access token: " + cause.getMessage(), cause);
    }

    /**
     * Starts a refresh of {@code refresh} unless one runs; the future completes with success or for good.
     * The issuer is called outside the manager's lock: it may complete at once, on this thread.
     */
    private CompletableFuture<Credential> refresh(Refresh refresh) {
        CompletableFuture<Credential> flight;
        boolean start = false;
        synchronized (this) {
            if (refresh.inFlight == null) {
                refresh.inFlight = new CompletableFuture<>();
                start = true;
            }
            flight = refresh.inFlight;
        }
        if (start) {
            attempt(refresh);
        }
        return flight;
    }

    /** A credential and when it was asked for: its validity counts from then. */
    private record Fetched(Credential credential, long askedAt) {
    }

    private void attempt(Refresh refresh) {
        CompletionStage<Fetched> fetched;
        try {
            fetched = refresh == tokens
                    ? earForToken().thenCompose(ear -> timed(() -> issuer.token(ear)))
                    : timed(issuer::attest);
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((result, failure) -> {
            // Whatever happens here, the refresh must end: a refresh stuck in flight would leave every
            // later caller waiting and no refresh ever starting again.
            try {
                if (failure == null) {
                    succeeded(refresh, result);
                } else {
                    failed(refresh, causeOf(failure));
                }
            } catch (RuntimeException e) {
                abandon(refresh, e);
            }
        });
    }

    /** The issuer's answer with the time the request left (after the EAR, for a token). */
    private CompletionStage<Fetched> timed(Supplier<CompletionStage<Credential>> request) {
        long askedAt = delays.nanoTime();
        return request.get().thenApply(credential -> new Fetched(credential, askedAt));
    }

    /** The EAR, fetched first if it would not outlive the token request. */
    private CompletionStage<Credential> earForToken() {
        synchronized (this) {
            long margin = settings.minimumValidity().toNanos() + lead(1, 1);
            if (ears.validFor(delays.nanoTime(), margin)) {
                return CompletableFuture.completedFuture(ears.current);
            }
        }
        return refresh(ears);
    }

    private void succeeded(Refresh refresh, Fetched fetched) {
        CompletableFuture<Credential> waiting;
        long delay;
        long generation;
        synchronized (this) {
            long now = delays.nanoTime();
            if (refresh == tokens && refresh.current == null) {
                metrics.tokenObtained();
            } else if (refresh == tokens) {
                metrics.tokenRenewed(refresh.expiresAt - now);
            } else {
                metrics.earRefreshed();
            }
            refresh.current = fetched.credential();
            refresh.askedAt = fetched.askedAt();
            refresh.expiresAt = fetched.askedAt() + fetched.credential().lifetime().toNanos();
            refresh.failures = 0;
            refresh.generation++;
            waiting = refresh.inFlight;
            refresh.inFlight = null;
            delay = nextRefreshDelay(refresh, now);
            generation = refresh.generation;
        }
        scheduleNext(refresh, delay, generation);
        waiting.complete(fetched.credential());
    }

    private void failed(Refresh refresh, Throwable failure) {
        metrics.refreshFailed(reasonOf(failure));
        CompletableFuture<Credential> waiting = null;
        Duration backoff = null;
        synchronized (this) {
            if (closed || isHopeless(failure)) {
                hopeless = closed ? hopeless : failure;
                waiting = refresh.inFlight;
                refresh.inFlight = null;
            } else {
                if (refresh == tokens && refusedEar(failure)) {
                    // token-service refused the EAR (expired, superseded): attest again before retrying.
                    ears.current = null;
                }
                backoff = backoff(refresh.failures++, failure);
            }
        }
        if (waiting != null) {
            waiting.completeExceptionally(failure);
            return;
        }
        delays.after(backoff).thenRun(() -> {
            boolean stopped;
            synchronized (this) {
                stopped = closed;
            }
            if (stopped) {
                abandon(refresh, unavailable());
            } else {
                attempt(refresh);
            }
        });
    }

    /** Ends the refresh in flight with {@code failure}, so that no caller waits for it any longer. */
    private void abandon(Refresh refresh, Throwable failure) {
        CompletableFuture<Credential> waiting;
        synchronized (this) {
            waiting = refresh.inFlight;
            refresh.inFlight = null;
        }
        if (waiting != null) {
            waiting.completeExceptionally(failure);
        }
    }

    /**
     * When the next refresh starts: before expiry by the minimum validity, by twice the time a refresh
     * takes at P99 (room for one retry), and by a random share of the lifetime; but not before half the
     * lifetime.
     */
    private long nextRefreshDelay(Refresh refresh, long now) {
        long lifetime = refresh.expiresAt - refresh.askedAt;
        long lead = refresh == tokens ? lead(1, 1) : lead(1, 2);
        long jitter = (long) (random.nextDouble() * settings.jitterShare() * lifetime);
        // Never before half the lifetime: a SIM or network slower than the lifetime must not turn the manager
        // into a loop that signs without pause.
        long at = Math.max(refresh.askedAt + lifetime / 2,
                refresh.expiresAt - settings.minimumValidity().toNanos() - 2 * lead - jitter);
        return Math.max(0, at - now);
    }

    /** Schedules the refresh, outside the manager's lock: a timer already due may run it on this thread. */
    private void scheduleNext(Refresh refresh, long delay, long generation) {
        delays.after(Duration.ofNanos(delay)).thenRun(() -> {
            synchronized (this) {
                if (closed || hopeless != null || refresh.generation != generation) {
                    return;
                }
            }
            refresh(refresh);
        });
    }

    /** Time a refresh needs at P99: {@code simOperations} signatures (with their queue) and round trips. */
    private long lead(int simOperations, int roundTrips) {
        long simP99 = sim.signatures() >= settings.measuredFrom()
                ? Math.round(sim.signingTime().percentileMillis(99) * 1e6)
                        + Math.round(sim.queueWait().percentileMillis(99) * 1e6)
                : settings.simP99Prior().toNanos();
        long networkP99 = metrics.network().count() >= settings.measuredFrom()
                ? Math.round(metrics.network().percentileMillis(99) * 1e6)
                : settings.networkP99Prior().toNanos();
        return simOperations * simP99 + roundTrips * networkP99;
    }

    /** Exponential back-off with jitter (half fixed, half random), at least the server's Retry-After. */
    private Duration backoff(int previousFailures, Throwable failure) {
        long base = settings.backoffBase().toNanos();
        long cap = settings.backoffCap().toNanos();
        // base · 2^failures, without overflowing
        long exponential = previousFailures < 62 && base <= (cap >> previousFailures) ? base << previousFailures : cap;
        long delay = exponential / 2 + (long) (random.nextDouble() * (exponential / 2));
        if (failure instanceof HttpCallException http && http.retryAfter().isPresent()) {
            // The server's wish, up to an hour: a Retry-After of years is a broken server, not a plan.
            Duration retryAfter = http.retryAfter().get();
            delay = Math.max(delay, retryAfter.compareTo(MAX_RETRY_AFTER) > 0
                    ? MAX_RETRY_AFTER.toNanos()
                    : retryAfter.toNanos());
        }
        return Duration.ofNanos(delay);
    }

    private static boolean isHopeless(Throwable failure) {
        if (failure instanceof SecureElementException sim) {
            return !sim.reason().retryable();
        }
        return failure instanceof HttpCallException http && http.status() == 400
                && http.oauthError().filter(HOPELESS_OAUTH_ERRORS::contains).isPresent();
    }

    private static boolean refusedEar(Throwable failure) {
        return failure instanceof HttpCallException http && http.status() == 400
                && http.oauthError().filter("invalid_grant"::equals).isPresent();
    }

    /** A short reason for the metrics: the SIM's, the RFC 6749 error, the problem code, or the status. */
    private static String reasonOf(Throwable failure) {
        if (failure instanceof SecureElementException sim) {
            return "SIM " + sim.reason();
        }
        if (failure instanceof HttpCallException http) {
            if (http.status() == 0) {
                return "no answer";
            }
            return http.status() + http.oauthError().or(http::problemCode).map(code -> " " + code).orElse("");
        }
        return failure.getClass().getSimpleName();
    }

    private static Throwable causeOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Stops refreshing; callers waiting for a refresh are told at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        abandon(tokens, new TokenUnavailableException("the token manager is closed", null));
        abandon(ears, new TokenUnavailableException("the token manager is closed", null));
    }
}
