package io.simanchor.identity.config;

import java.security.SecureRandom;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.simanchor.api.mud.MudUrls;
import io.simanchor.identity.domain.AuditLog;
import io.simanchor.identity.domain.CertificateAuthority;
import io.simanchor.identity.domain.ChallengeStore;
import io.simanchor.identity.domain.Challenges;
import io.simanchor.identity.domain.DeviceLifecycleService;
import io.simanchor.identity.domain.DeviceStore;
import io.simanchor.identity.domain.EnrollmentService;
import io.simanchor.identity.domain.KeyRotationService;
import io.simanchor.identity.domain.RegistrationService;
import io.simanchor.identity.domain.RegistrationStore;
import io.simanchor.identity.domain.SecurityAlerts;
import io.simanchor.identity.domain.SecurityEvents;
import io.simanchor.identity.domain.TenantService;
import io.simanchor.identity.domain.TenantStore;
import io.simanchor.identity.domain.VendorKeyStore;
import io.simanchor.support.crypto.MacKey;
import io.simanchor.support.ratelimit.RequestRateLimits;

/**
 * Builds the framework-free domain services from their ports; the only place they meet CDI. The clock
 * and the random source come from platform-support's {@code PlatformBeans}.
 */
@ApplicationScoped
public class DomainWiring {

    @Produces
    @Singleton
    SecurityAlerts securityAlerts(SecurityEvents events, Clock clock) {
        return new SecurityAlerts(events, clock);
    }

    @Produces
    @Singleton
    Challenges challenges(IdentityConfig config, SecureRandom random, Clock clock) {
        return new Challenges(MacKey.fromBase64(config.challengeMacKey(), "simanchor.identity.challenge-mac-key"),
                random, clock, config.challengeTtl());
    }

    @Produces
    @Singleton
    EnrollmentService enrollmentService(RegistrationStore registrations, TenantStore tenants, Challenges challenges,
            ChallengeStore usedChallenges, DeviceStore devices, CertificateAuthority ca, SecurityAlerts alerts,
            Clock clock, IdentityConfig config, RequestRateLimits limits) {
        return new EnrollmentService(registrations, tenants, challenges, usedChallenges, devices, ca, alerts, clock,
                new MudUrls(config.mudBaseUrl()), limits);
    }

    @Produces
    @Singleton
    KeyRotationService keyRotationService(DeviceStore devices, Challenges challenges, ChallengeStore usedChallenges,
            CertificateAuthority ca, SecurityAlerts alerts, Clock clock, EnrollmentService enrollment,
            RequestRateLimits limits) {
        return new KeyRotationService(devices, challenges, usedChallenges, ca, alerts, clock, enrollment, limits);
    }

    @Produces
    @Singleton
    RegistrationService registrationService(RegistrationStore registrations, VendorKeyStore vendorKeys,
            TenantStore tenants, AuditLog auditLog, SecurityAlerts alerts, Clock clock) {
        return new RegistrationService(registrations, vendorKeys, tenants, auditLog, alerts, clock);
    }

    @Produces
    @Singleton
    DeviceLifecycleService deviceLifecycleService(DeviceStore devices, Clock clock) {
        return new DeviceLifecycleService(devices, clock);
    }

    @Produces
    @Singleton
    TenantService tenantService(TenantStore tenants, VendorKeyStore vendorKeys, AuditLog auditLog, Clock clock) {
        return new TenantService(tenants, vendorKeys, auditLog, clock);
    }
}
