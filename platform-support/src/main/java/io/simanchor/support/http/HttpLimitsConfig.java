package io.simanchor.support.http;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Request body limits enforced by {@link BodySizeLimit}. */
@ConfigMapping(prefix = "simanchor.http")
public interface HttpLimitsConfig {

    /** Largest request body on ordinary endpoints (JSON commands, CSRs). */
    @WithDefault("64K")
    MemorySize maxBodySize();

    /** Largest request body on the paths listed in {@link #largeBodyPaths()}. */
    @WithDefault("64M")
    MemorySize largeBodyMaxSize();

    /** Exact request paths that take bulk uploads, such as a SIM vendor manifest. */
    Optional<List<String>> largeBodyPaths();

    /**
     * Exact request paths of OAuth 2.0 endpoints (a token endpoint): their refusals are RFC 6749 §5.2 error
     * bodies ({@code invalid_request}, {@code Cache-Control: no-store}) instead of problem+json, because
     * OAuth clients parse nothing else.
     */
    Optional<List<String>> oauthPaths();
}
