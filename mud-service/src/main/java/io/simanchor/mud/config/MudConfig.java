package io.simanchor.mud.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.persistence.HousekeepingConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** mud-service configuration; every key is described in mud-service/README.md. */
@ConfigMapping(prefix = "simanchor.mud")
public interface MudConfig {

    /**
     * The public https base URL the MUD files are served under; MUD URLs are {@code <base>/mud/<manufacturer>/
     * <model>.json}. identity-service puts the same base in device certificates (one setting for both).
     */
    @WithDefault("https://mud.simanchor.local")
    String publicBaseUrl();

    /** The MUD signing key. */
    Signer signer();

    /** What the MUD manager knows beyond the MUD files. */
    Policy policy();

    /** How the MUD manager works. */
    Manager manager();

    /** Name resolution for nftables rulesets. */
    Resolver resolver();

    /** Event publication. */
    OutboxRelayConfig events();

    /** Removal of published outbox rows. */
    HousekeepingConfig housekeeping();

    interface Signer {

        /** PKCS#12 keystore of the MUD signing key; generated there on first start. Empty: in memory (tests). */
        Optional<String> keystorePath();

        /** Password of that keystore. */
        Optional<String> keystorePassword();

        /** Subject organisation of generated certificates. */
        @WithDefault("SIM Anchor")
        String organization();
    }

    interface Policy {

        /** Platform endpoints a device with a warning keeps, by name. */
        Map<String, Endpoint> endpoints();

        /** Names of the endpoints a quarantined device keeps. */
        @WithDefault("attestation,update")
        List<String> quarantineEndpoints();

        /** The prefixes {@code local-networks} stands for (RFC 8520 §8). */
        @WithDefault("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7")
        List<String> localNetworks();

        /** Per controller URI of a MUD file: DNS names or prefixes. */
        Map<String, List<String>> controllers();

        /** Per hardware model: DNS names or prefixes of {@code my-controller}. */
        Map<String, List<String>> myControllers();

        /** What a device whose model has no MUD file gets: {@code deny-all} or {@code platform-only}. */
        @WithDefault("deny-all")
        String noMudFile();
    }

    interface Endpoint {

        /** DNS name or IP prefix. */
        String target();

        /** TCP port. */
        @WithDefault("443")
        int port();
    }

    interface Manager {

        /** How often changed devices are derived again and published. */
        @WithDefault("100ms")
        Duration interval();

        /** Most policies stored in one transaction. */
        @WithDefault("1000")
        int batchSize();

        /** How often MUD files stored by other instances are looked for. */
        @WithDefault("2s")
        Duration catalogRefresh();
    }

    interface Resolver {

        /** Static entries, name → IP address literals, looked up before DNS. */
        Map<String, List<String>> staticHosts();

        /** Whether names without a static entry are looked up in DNS. */
        @WithDefault("true")
        boolean systemResolver();
    }
}
