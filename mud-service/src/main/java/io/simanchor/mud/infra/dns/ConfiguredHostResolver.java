package io.simanchor.mud.infra.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import io.simanchor.mud.domain.HostResolver;

/**
 * Resolves names from configured static entries first (a gateway's view of the platform endpoints, or a
 * test's namespaces), then through the system resolver when that is allowed.
 */
public final class ConfiguredHostResolver implements HostResolver {

    private static final Logger LOG = Logger.getLogger(ConfiguredHostResolver.class);

    private final Map<String, List<InetAddress>> hosts;
    private final boolean useSystemResolver;

    /** @param hosts static entries: name → address literals */
    public ConfiguredHostResolver(Map<String, List<String>> hosts, boolean useSystemResolver) {
        this.hosts = new HashMap<>();
        hosts.forEach((name, addresses) -> this.hosts.put(name.toLowerCase(Locale.ROOT),
                addresses.stream().map(ConfiguredHostResolver::literal).toList()));
        this.useSystemResolver = useSystemResolver;
    }

    @Override
    public List<InetAddress> resolve(String host) {
        List<InetAddress> configured = hosts.get(host.toLowerCase(Locale.ROOT));
        if (configured != null) {
            return configured;
        }
        if (!useSystemResolver) {
            return List.of();
        }
        try {
            return new ArrayList<>(Arrays.asList(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            LOG.debugf("MUD rule host does not resolve [host: %s]", host);
            return List.of();
        }
    }

    private static InetAddress literal(String address) {
        // Only literals: InetAddress would look a name up in DNS.
        if (!address.matches("[0-9A-Fa-f:.]+") || !(address.contains(":") || address.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("a static host entry must be an IP address literal: " + address);
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }
}
