package io.simanchor.token.infra.crypto;

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

import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.token.domain.VerifierKeys;

/**
 * The attestation verifier's EAR keys, from its published key set ({@code keys} of a JWKS, RFC 7517 §5)
 * and/or an inline JWKS. Read at start-up and refreshed in the background; a request never waits for
 * the verifier. Only P-256 keys meant for ES256 signatures are kept; a failed refresh keeps the keys
 * already known (they are public and were valid), so a verifier outage does not stop token issuance.
 */
public final class VerifierJwks implements VerifierKeys {

    private static final Logger LOG = Logger.getLogger(VerifierJwks.class);

    private final ObjectMapper json;
    private final Optional<URI> url;
    private final Map<String, EcPublicKey> inline;
    private final Duration refreshInterval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Map<String, EcPublicKey> keys;
    private long lastFetchNanos;
    private boolean fetched;

    /**
     * @param refreshInterval how often the URL is read again once it has answered; until it first does
     *        (the verifier may start after this service), every call of {@link #refreshIfDue()} tries
     */
    public VerifierJwks(ObjectMapper json, Optional<URI> url, Optional<String> inlineJwks, Duration refreshInterval) {
        this.json = json;
        this.url = url;
        this.refreshInterval = refreshInterval;
        try {
            this.inline = inlineJwks.isPresent() ? parse(json.readTree(inlineJwks.get())) : Map.of();
        } catch (IOException e) {
            throw new IllegalStateException("simanchor.token.ear.verifier-jwks is not JSON");
        }
        this.keys = inline;
    }

    @Override
    public Optional<EcPublicKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** How many verifier keys are known. */
    public int size() {
        return keys.size();
    }

    /** Reads the URL's key set if it has never answered or the refresh interval has passed. */
    public synchronized void refreshIfDue() {
        if (url.isEmpty() || (fetched && System.nanoTime() - lastFetchNanos < refreshInterval.toNanos())) {
            return;
        }
        if (refresh()) {
            fetched = true;
            lastFetchNanos = System.nanoTime();
        }
    }

    /** Reads the URL's key set again; keeps the known keys if that fails. Returns whether it answered. */
    private boolean refresh() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.get())
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("Verifier keys not refreshed [url: %s, status: %d]", url.get(), response.statusCode());
                return false;
            }
            Map<String, EcPublicKey> known = new HashMap<>(inline);
            known.putAll(parse(json.readTree(response.body())));
            if (!known.keySet().equals(keys.keySet())) {
                LOG.infof("Verifier keys now %s", known.keySet());
            }
            keys = Map.copyOf(known);
            return true;
        } catch (IOException e) {
            LOG.warnf("Verifier keys not refreshed [url: %s, cause: %s]", url.get(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static Map<String, EcPublicKey> parse(JsonNode jwks) {
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
                LOG.warnf("Verifier key skipped [kid: %s, cause: %s]", kid, e.getMessage());
            }
        }
        return Map.copyOf(parsed);
    }
}
