package io.simanchor.attestation.config;

import java.security.SecureRandom;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.simanchor.attestation.domain.AppraisalLedger;
import io.simanchor.attestation.domain.AppraisalPolicies;
import io.simanchor.attestation.domain.AttestationNonces;
import io.simanchor.attestation.domain.AttestationService;
import io.simanchor.attestation.domain.DeviceViews;
import io.simanchor.attestation.domain.PolicyAdministration;
import io.simanchor.attestation.domain.ReferenceValueStore;
import io.simanchor.attestation.domain.ResultSigner;
import io.simanchor.attestation.domain.SecurityEvents;
import io.simanchor.attestation.infra.crypto.EarSigner;
import io.simanchor.support.crypto.KeystoreLocation;
import io.simanchor.support.crypto.MacKey;
import io.simanchor.support.crypto.StoredSigningKey;
import io.simanchor.support.ratelimit.RequestRateLimits;

/**
 * Builds the framework-free domain services from their ports; the only place they meet CDI. The clock
 * and the random source come from platform-support's {@code PlatformBeans}.
 */
@ApplicationScoped
public class DomainWiring {

    @Produces
    @Singleton
    AttestationNonces nonces(AttestationConfig config, SecureRandom random, Clock clock) {
        MacKey key = MacKey.fromBase64(config.nonce().macKey(), "simanchor.attestation.nonce.mac-key");
        return new AttestationNonces(key, random, clock, config.nonce().ttl());
    }

    @Produces
    @Singleton
    StoredSigningKey verifierKey(AttestationConfig config, SecureRandom random, Clock clock) {
        KeystoreLocation keystore = KeystoreLocation.of("simanchor.attestation.result", config.result().keystorePath(),
                config.result().keystorePassword());
        return StoredSigningKey.loadOrCreate(EarSigner.PURPOSE, keystore.path(), keystore.password(), random, clock);
    }

    @Produces
    @Singleton
    ResultSigner resultSigner(StoredSigningKey key, AttestationConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new EarSigner(key, config.result().developer(), "attestation-service " + version);
    }

    @Produces
    @Singleton
    AttestationService attestationService(AttestationNonces nonces, DeviceViews devices, AppraisalPolicies policies,
            ReferenceValueStore referenceValues, AppraisalLedger ledger, ResultSigner signer,
            SecurityEvents securityEvents, Clock clock, AttestationConfig config, RequestRateLimits limits) {
        return new AttestationService(nonces, devices, policies, referenceValues, ledger, signer, securityEvents,
                clock, new AttestationService.Settings(config.maxClockSkew(), config.nonce().ttl(),
                        config.result().lifetime()),
                limits);
    }

    @Produces
    @Singleton
    PolicyAdministration policyAdministration(ReferenceValueStore referenceValues, AppraisalPolicies policies,
            Clock clock) {
        return new PolicyAdministration(referenceValues, policies, clock);
    }
}
