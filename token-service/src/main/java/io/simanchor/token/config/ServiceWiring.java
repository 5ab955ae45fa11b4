package io.simanchor.token.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.NewTopic;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.SignedRecordsConfig;
import io.simanchor.support.outbox.BatchedOutbox;
import io.simanchor.support.outbox.DirectPublisher;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.outbox.SecurityEventOutbox;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.token.domain.ClientAssertion;
import io.simanchor.token.domain.EarCheck;
import io.simanchor.token.domain.RateLimiter;
import io.simanchor.token.domain.TokenPolicy;
import io.simanchor.token.domain.TokenService;
import io.simanchor.token.infra.crypto.KeyEncryption;
import io.simanchor.token.infra.crypto.TokenSigningKeys;
import io.simanchor.token.infra.messaging.KafkaDeviceViews;
import io.simanchor.token.infra.messaging.PublishedTokenEvents;
import io.simanchor.token.infra.persistence.PgAssertionLedger;
import io.simanchor.token.infra.persistence.PgSigningKeys;

/**
 * Builds the domain service and the infrastructure it runs on; the only place they meet CDI.
 * {@link ServiceLifecycle} starts and stops them. The clock and the random source come from
 * platform-support's {@code PlatformBeans}.
 */
@ApplicationScoped
public class ServiceWiring {

    /** Where the token endpoint lives below the issuer (RFC 8414 {@code token_endpoint}). */
    public static final String TOKEN_PATH = "/oauth2/token";
    static final String REFUSALS = "refusals";
    static final String ISSUED = "issued";
    private static final String SERVICE = "token-service";
    /** The least time between two reads of the verifier's key set for an EAR naming an unknown key. */
    private static final Duration VERIFIER_KEYS_MIN_REFRESH = Duration.ofSeconds(10);

    @Produces
    @Singleton
    TokenPolicy policy(TokenConfig config) {
        Map<String, TokenPolicy.Scope> scopes = config.policy()
                .scopes()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, scope -> new TokenPolicy.Scope(scope.getKey(),
                        scope.getValue().audience(), scope.getValue().lifetime(), scope.getValue().allowWarning())));
        return new TokenPolicy(scopes, config.policy().defaultScope(), config.policy().maxLifetime());
    }

    @Produces
    @Singleton
    PublishedKeys verifierKeys(ObjectMapper json, TokenConfig config) {
        return new PublishedKeys(json, "verifier keys", config.ear().verifierJwksUrl().map(URI::create),
                config.ear().verifierJwks(), config.ear().verifierJwksRefresh(), VERIFIER_KEYS_MIN_REFRESH,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Produces
    @Singleton
    KafkaDeviceViews deviceViews(ObjectMapper json, TokenConfig config, SignedRecordsConfig records,
            PublishedKeys verifierKeys, @Named(REFUSALS) BatchedOutbox refusals, Clock clock,
            KafkaConnection kafka) {
        // Only records identity-service signed, and verdicts from EARs the verifier signed, change the view
        // (docs/security.md); every refused record is a security event.
        Consumer<SecurityEventV1> securityEvents = event -> refusals.offer(List.of(SecurityEventOutbox.entry(event)));
        return new KafkaDeviceViews(records.lifecycleReader(SERVICE, json, securityEvents, clock),
                records.attestationReader(verifierKeys, SERVICE, json, securityEvents, clock), kafka,
                config.ear().maxAge(), clock);
    }

    @Produces
    @Singleton
    TokenSigningKeys signingKeys(Jdbc jdbc, AuditWriter audit, TokenConfig config, SecureRandom random, Clock clock) {
        return new TokenSigningKeys(new PgSigningKeys(jdbc, KeyEncryption.fromBase64(config.keys().encryptionKey(),
                random), audit), random, clock, config.keys().rotationPeriod(),
                config.policy().maxLifetime().plus(config.maxClockSkew()));
    }

    @Produces
    @Singleton
    PgAssertionLedger assertionLedger(Jdbc jdbc, TokenConfig config) {
        return new PgAssertionLedger(jdbc, config.ledger().maxBatch());
    }

    /** Refusals: a flood of them fills this queue, never the one issued tokens wait on. */
    @Produces
    @Singleton
    @Named(REFUSALS)
    BatchedOutbox refusalOutbox(Jdbc jdbc, OutboxWriter outbox) {
        return new BatchedOutbox("token-refusals", jdbc, outbox, 100_000, 500);
    }

    /** Issued tokens' events while Kafka does not answer; as many as the ledger lets wait. */
    @Produces
    @Singleton
    @Named(ISSUED)
    BatchedOutbox issuedOutbox(Jdbc jdbc, OutboxWriter outbox) {
        return new BatchedOutbox("token-issued", jdbc, outbox, 10_000, 500);
    }

    @Produces
    @Singleton
    DirectPublisher issuedEventPublisher(OutboxWriter outbox, @Named(ISSUED) BatchedOutbox issuedOutbox,
            TokenConfig config, KafkaConnection kafka) {
        TokenConfig.IssuedEvents issued = config.issuedEvents();
        return new DirectPublisher(outbox, issuedOutbox, new DirectPublisher.Settings("token-service",
                kafka, eventTopics(config), issued.linger(), issued.acknowledgedWithin(),
                issued.storedWithin()));
    }

    /** The topics the service publishes to, created by it with its settings. */
    static List<NewTopic> eventTopics(TokenConfig config) {
        return List.of(config.events().topic(Topics.TOKEN_EVENTS), config.events().topic(Topics.SECURITY_EVENTS));
    }

    @Produces
    @Singleton
    RateLimiter rateLimiter(TokenConfig config) {
        TokenConfig.RateLimits limits = config.rateLimit();
        return new RateLimiter(new RateLimiter.Limits(limits.perDevicePerSecond(), limits.perDeviceBurst(),
                limits.globalPerSecond(), limits.globalBurst()), System::nanoTime);
    }

    @Produces
    @Singleton
    TokenService tokenService(KafkaDeviceViews devices, PublishedKeys verifierKeys, TokenPolicy policy,
            PgAssertionLedger ledger, TokenSigningKeys signer, DirectPublisher issuedEvents,
            @Named(REFUSALS) BatchedOutbox refusals, RateLimiter rateLimiter, SecureRandom random, Clock clock,
            TokenConfig config) {
        String issuer = config.issuer();
        return new TokenService(devices, new EarCheck(verifierKeys::find, config.ear().maxAge(), config.maxClockSkew(),
                config.ear().rememberedEars()),
                policy, ledger, signer, new PublishedTokenEvents(issuedEvents, refusals), rateLimiter, random, clock,
                new TokenService.Settings(issuer, new ClientAssertion.Rules(List.of(issuer, issuer + TOKEN_PATH),
                        config.maxAssertionLifetime(), config.maxClockSkew())));
    }
}
