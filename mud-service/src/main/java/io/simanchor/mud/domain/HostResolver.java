package io.simanchor.mud.domain;

import java.net.InetAddress;
import java.util.List;

/**
 * Resolves the DNS names of MUD rules to addresses, as an enforcement point must (RFC 8520 §8.1: "the
 * MUD controller resolves the name"). Resolution happens when a ruleset is rendered; a ruleset is a
 * snapshot and must be rendered again when the names move.
 */
public interface HostResolver {

    /** The addresses of {@code host}, or none when it does not resolve. */
    List<InetAddress> resolve(String host);
}
