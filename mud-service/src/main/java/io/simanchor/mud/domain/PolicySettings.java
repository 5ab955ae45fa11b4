package io.simanchor.mud.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the MUD manager knows beyond the MUD files (configuration): the platform's own endpoints, which of
 * them a quarantined device keeps, the networks {@code local-networks} stands for, and the controllers
 * {@code controller} and {@code my-controller} name (RFC 8520 §8).
 *
 * @param platformEndpoints endpoints a device with a warning keeps (attestation, tokens, updates, ...)
 * @param quarantineEndpoints names of the endpoints a quarantined device keeps (attestation and updates)
 * @param localNetworks prefixes of the local networks, IPv4 and IPv6
 * @param controllers per controller URI of a MUD file, the DNS names or prefixes it stands for
 * @param myControllers per hardware model, the DNS names or prefixes of its controller
 * @param noMudFileTier what a device whose model has no MUD file gets: {@code deny-all} or {@code platform-only}
 */
public record PolicySettings(List<Endpoint> platformEndpoints, Set<String> quarantineEndpoints,
        List<String> localNetworks, Map<String, List<String>> controllers, Map<String, List<String>> myControllers,
        String noMudFileTier) {

    /**
     * A platform endpoint the device reaches over TCP.
     *
     * @param target a DNS name or an IP prefix
     */
    public record Endpoint(String name, String target, int port) {
    }
}
