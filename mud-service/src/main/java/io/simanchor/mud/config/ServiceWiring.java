package io.simanchor.mud.config;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.mud.MudUrls;
import io.simanchor.mud.domain.MudCatalog;
import io.simanchor.mud.domain.MudPublishing;
import io.simanchor.mud.domain.NftablesRuleset;
import io.simanchor.mud.domain.PolicyCalculator;
import io.simanchor.mud.domain.PolicyManager;
import io.simanchor.mud.domain.PolicySettings;
import io.simanchor.mud.infra.crypto.CmsMudSigner;
import io.simanchor.mud.infra.crypto.MudSignerKeys;
import io.simanchor.mud.infra.dns.ConfiguredHostResolver;
import io.simanchor.mud.infra.json.StrictMudDocuments;
import io.simanchor.mud.infra.messaging.KafkaDeviceFacts;
import io.simanchor.mud.infra.persistence.PgMudFileStore;
import io.simanchor.mud.infra.persistence.PgPolicyStore;
import io.simanchor.support.crypto.KeystoreLocation;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.SignedRecordsConfig;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.outbox.SecurityEventOutbox;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;

/**
 * Builds the domain services and the infrastructure they run on; the only place they meet CDI.
 * {@link ServiceLifecycle} starts and stops them.
 */
@ApplicationScoped
public class ServiceWiring {

    @Produces
    @Singleton
    PgMudFileStore mudFileStore(Jdbc jdbc, AuditWriter audit) {
        return new PgMudFileStore(jdbc, audit);
    }

    @Produces
    @Singleton
    StrictMudDocuments documents() {
        return new StrictMudDocuments();
    }

    @Produces
    @Singleton
    PolicyManager policyManager(MudConfig config, PgPolicyStore store) {
        MudConfig.Policy policy = config.policy();
        String noMudFile = policy.noMudFile();
        if (!List.of(MudPolicyV1.TIER_DENY_ALL, MudPolicyV1.TIER_PLATFORM_ONLY).contains(noMudFile)) {
            throw new IllegalArgumentException("simanchor.mud.policy.no-mud-file must be deny-all or platform-only");
        }
        PolicySettings settings = new PolicySettings(policy.endpoints()
                .entrySet()
                .stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new PolicySettings.Endpoint(entry.getKey(), entry.getValue().target(),
                        entry.getValue().port()))
                .toList(), new HashSet<>(policy.quarantineEndpoints()), policy.localNetworks(), policy.controllers(),
                policy.myControllers(), noMudFile);
        return new PolicyManager(new PolicyCalculator(settings), store,
                config.manager().batchSize());
    }

    @Produces
    @Singleton
    MudCatalog catalog(PgMudFileStore store, StrictMudDocuments documents, PolicyManager manager) {
        return new MudCatalog(store, documents, manager);
    }

    @Produces
    @Singleton
    MudPublishing publishing(MudConfig config, StrictMudDocuments documents, PgMudFileStore store, MudCatalog catalog,
            SecureRandom random, Clock clock) {
        KeystoreLocation keystore = KeystoreLocation.of("simanchor.mud.signer", config.signer().keystorePath(),
                config.signer().keystorePassword());
        MudSignerKeys keys = MudSignerKeys.loadOrCreate(keystore.path(), keystore.password(),
                config.signer().organization(), random, clock);
        return new MudPublishing(documents, new CmsMudSigner(keys, random), store, new MudUrls(config.publicBaseUrl()),
                catalog::apply, clock);
    }

    @Produces
    @Singleton
    PgPolicyStore policyStore(Jdbc jdbc, OutboxWriter outbox, ObjectMapper json, Clock clock) {
        return new PgPolicyStore(jdbc, outbox, json, clock);
    }

    @Produces
    @Singleton
    KafkaDeviceFacts deviceFacts(PolicyManager manager, ObjectMapper json, SignedRecordsConfig records, Jdbc jdbc,
            OutboxWriter outbox, Clock clock,
            KafkaConnection kafka) {
        // Only records identity-service signed, and verdicts from EARs the verifier signed, change a device's
        // policy (docs/security.md); every refused record is a security event.
        SecurityEventOutbox securityEvents = new SecurityEventOutbox(jdbc, outbox);
        return new KafkaDeviceFacts(manager,
                records.lifecycleReader("mud-service", json, securityEvents::raise, clock),
                records.attestationReader("mud-service", json, securityEvents::raise, clock), kafka, clock);
    }

    @Produces
    @Singleton
    NftablesRuleset nftables(MudConfig config) {
        return new NftablesRuleset(new ConfiguredHostResolver(config.resolver()
                .staticHosts()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                config.resolver().systemResolver()));
    }
}
