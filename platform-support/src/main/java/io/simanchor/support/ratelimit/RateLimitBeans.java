package io.simanchor.support.ratelimit;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's {@link RequestRateLimits}, from {@link RateLimitConfig}. */
public class RateLimitBeans {

    @Produces
    @Singleton
    RequestRateLimits requestRateLimits(RateLimitConfig config) {
        return new RequestRateLimits(new KeyedRateLimit.Limit(config.perSourcePerSecond(), config.perSourceBurst()),
                new KeyedRateLimit.Limit(config.perSubjectPerSecond(), config.perSubjectBurst()), config.maxTracked(),
                System::nanoTime);
    }
}
