package io.simanchor.support.crypto;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Another service's published ES256 verification keys, by {@code kid}: its key set ({@code keys} of a
 * JWKS, RFC 7517 §5) read from a URL and/or given inline. Read at start-up and refreshed in the
 * background; a request never waits for the publisher ({@link #find}). Only P-256 keys meant for ES256
 * signatures are kept; a failed refresh keeps the keys already known (they are public and were valid), so
 * an outage of the publisher does not stop the service that relies on them.
 *
 * <p>
 * A Kafka view's reader thread may wait: {@link #awaitFirstAnswer()} until the URL has answered once (a
 * view must not drop every record as signed by an unknown key because it started before the publisher),
 * and {@link #findOrRefresh} reads the URL again for a {@code kid} it does not know, unless the URL answered
 * such a read less than {@code minRefreshInterval} ago, so a key published since the last refresh is found
 * while a flood of records naming made-up keys costs at most one request per interval. When the URL does
 * not answer that read, the key is not judged unknown at once: {@link Unavailable} is thrown, and the view
 * reads the record again later; but only for {@value #UNAVAILABLE_GRACE_SECONDS} s after the URL stopped
 * answering, so a record naming a made-up key during an outage of the publisher cannot hold a view for the
 * whole outage: after that, unknown keys are unknown until the URL answers again. A view's routine refresh
 * ({@link #refreshInBackgroundIfDue}) never makes its reader wait; a failed one is tried again after
 * {@value #RETRY_AFTER_FAILURE_SECONDS} s.
 */
public final class PublishedKeys {

    private static final Logger LOG = Logger.getLogger(PublishedKeys.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long RETRY_AFTER_FAILURE_SECONDS = 5;
    private static final long UNAVAILABLE_GRACE_SECONDS = 30;

    /** The publisher did not answer when a key it may have published since was looked for. */
    public static final class Unavailable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final ObjectMapper json;
    private final String what;
    private final Optional<URI> url;
    private final Map<String, EcPublicKey> inline;
    private final Duration refreshInterval;
    private final Duration minRefreshInterval;
    private final HttpClient http;
    private volatile Map<String, EcPublicKey> keys;
    private long lastFetchNanos;
    private long lastAttemptNanos;
    private boolean attempted;
    private long lastForcedAnswerNanos;
    private boolean forcedAnswered;
    private long unansweredSinceNanos;
    private boolean unanswered;
    private boolean refreshingInBackground;
    private volatile boolean fetched;

    /**
     * @param what names the key set in logs and errors, e.g. {@code verifier keys}
     * @param inlineJwks a JWKS given in configuration, instead of or in addition to the URL
     * @param refreshInterval how often the URL is read again once it has answered; until it first does
     *        (the publisher may start after this service), every call of {@link #refreshIfDue()} tries
     * @param minRefreshInterval the least time between two reads of the URL for unknown keys
     * @param http the client for the URL
     */
    public PublishedKeys(ObjectMapper json, String what, Optional<URI> url, Optional<String> inlineJwks,
            Duration refreshInterval, Duration minRefreshInterval, HttpClient http) {
        this.json = json;
        this.what = what;
        this.url = url;
        this.refreshInterval = refreshInterval;
        this.minRefreshInterval = minRefreshInterval;
        this.http = http;
        try {
            this.inline = inlineJwks.isPresent() ? parse(json.readTree(inlineJwks.get())) : Map.of();
        } catch (IOException e) {
            throw new IllegalStateException("The inline " + what + " are not JSON");
        }
        if (url.isEmpty() && inline.isEmpty()) {
            throw new IllegalStateException("No " + what + ": neither a JWKS URL nor an inline JWKS is set");
        }
        this.keys = inline;
    }

    /** The key {@code keyId} if known now; never waits. */
    public Optional<EcPublicKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** How many keys are known. */
    public int size() {
        return keys.size();
    }

    /**
     * Reads the URL's key set if it has never answered or the refresh interval has passed (and no attempt
     * failed in the last {@value #RETRY_AFTER_FAILURE_SECONDS} s); waits for the answer: for a thread of its own.
     */
    public synchronized void refreshIfDue() {
        if (due()) {
            refresh();
        }
    }

    /**
     * {@link #refreshIfDue()} on another thread, returning at once: for a view's reader, which must not wait
     * for a slow or unreachable publisher while records wait to be applied.
     */
    public void refreshInBackgroundIfDue() {
        synchronized (this) {
            if (refreshingInBackground || !due()) {
                return;
            }
            refreshingInBackground = true;
        }
        Thread refresher = new Thread(() -> {
            try {
                refreshIfDue();
            } finally {
                synchronized (this) {
                    refreshingInBackground = false;
                }
            }
        }, "key-refresh");
        refresher.setDaemon(true);
        refresher.start();
    }

    private boolean due() {
        long now = System.nanoTime();
        return url.isPresent() && !(fetched && now - lastFetchNanos < refreshInterval.toNanos())
                && !(attempted && now - lastAttemptNanos < Duration.ofSeconds(RETRY_AFTER_FAILURE_SECONDS).toNanos());
    }

    /**
     * Returns once the URL has answered (at once without a URL), retrying with back-off: for a reader thread
     * that must not judge records before it knows the keys.
     */
    public void awaitFirstAnswer() throws InterruptedException {
        long backoff = 100;
        while (url.isPresent() && !fetched) {
            synchronized (this) {
                refresh();
            }
            if (!fetched) {
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /**
     * The key {@code keyId}; if it is not known, the URL is read again first unless it was read less than
     * the minimum refresh interval ago. May wait for the publisher: for reader threads, not requests.
     */
    public Optional<EcPublicKey> findOrRefresh(String keyId) {
        Optional<EcPublicKey> known = find(keyId);
        if (known.isPresent() || url.isEmpty()) {
            return known;
        }
        synchronized (this) {
            known = find(keyId);
            if (known.isPresent()
                    || (forcedAnswered && System.nanoTime() - lastForcedAnswerNanos < minRefreshInterval.toNanos())) {
                return known;
            }
            if (!refresh()) {
                if (unanswered && System.nanoTime() - unansweredSinceNanos >= Duration
                        .ofSeconds(UNAVAILABLE_GRACE_SECONDS)
                        .toNanos()) {
                    return Optional.empty();
                }
                throw new Unavailable("The " + what + " could not be read to look for key " + keyId);
            }
            forcedAnswered = true;
            lastForcedAnswerNanos = System.nanoTime();
        }
        return find(keyId);
    }

    /** Reads the URL's key set again; keeps the known keys if that fails. Returns whether it answered. */
    private boolean refresh() {
        boolean answered = fetchKeys();
        if (answered) {
            unanswered = false;
        } else if (!unanswered) {
            unanswered = true;
            unansweredSinceNanos = System.nanoTime();
        }
        return answered;
    }

    private boolean fetchKeys() {
        attempted = true;
        lastAttemptNanos = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.get())
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("The %s were not refreshed [url: %s, status: %d]", what, url.get(), response.statusCode());
                return false;
            }
            Map<String, EcPublicKey> known = new HashMap<>(inline);
            known.putAll(parse(json.readTree(response.body())));
            if (!known.keySet().equals(keys.keySet()) || !fetched) {
                LOG.infof("The %s are now %s", what, known.keySet());
            }
            keys = Map.copyOf(known);
            lastFetchNanos = System.nanoTime();
            fetched = true;
            return true;
        } catch (IOException e) {
            LOG.warnf("The %s were not refreshed [url: %s, cause: %s]", what, url.get(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private Map<String, EcPublicKey> parse(JsonNode jwks) {
        Map<String, EcPublicKey> parsed = new HashMap<>();
        for (JsonNode jwk : jwks.path("keys")) {
            String kid = jwk.path("kid").asText(null);
            boolean forSignatures = !jwk.has("use") || "sig".equals(jwk.path("use").asText());
            boolean es256 = !jwk.has("alg") || "ES256".equals(jwk.path("alg").asText());
            if (kid == null || !forSignatures || !es256) {
                continue;
            }
            try {
                parsed.put(kid, EcPublicKey.fromJwk(new EcPublicKey.Jwk(jwk.path("kty").asText(),
                        jwk.path("crv").asText(), jwk.path("x").asText(), jwk.path("y").asText())));
            } catch (CryptoInputException e) {
                LOG.warnf("A key of the %s was skipped [kid: %s, cause: %s]", what, kid, e.getMessage());
            }
        }
        return Map.copyOf(parsed);
    }
}
