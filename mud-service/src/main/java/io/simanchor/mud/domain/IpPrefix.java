package io.simanchor.mud.domain;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IP prefix in CIDR notation ({@code inet:ipv4-prefix} / {@code inet:ipv6-prefix}, RFC 6991 §4), checked
 * without DNS: only literal addresses are parsed, and host bits must be zero so that a prefix means what it
 * says.
 */
public record IpPrefix(InetAddress address, int length) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Parses {@code text} as a prefix of {@code family}. */
    public static IpPrefix parse(String text, MudFile.Family family) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix: write address/length");
        }
        String address = text.substring(0, slash);
        String lengthText = text.substring(slash + 1);
        boolean v4 = family == MudFile.Family.IPV4;
        if (!(v4 ? IPV4 : IPV6).matcher(address).matches() || !lengthText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("'" + text + "' is not an " + family.label() + " prefix");
        }
        // Checked before InetAddress sees it: only a valid literal may reach it, never a name to resolve.
        boolean literal = v4
                ? Arrays.stream(address.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255)
                : address.contains(":");
        if (!literal) {
            throw new IllegalArgumentException("'" + text + "' is not an " + family.label() + " prefix");
        }
        int length = Integer.parseInt(lengthText);
        int bits = v4 ? 32 : 128;
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address); // a literal: the pattern above admits no host names
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an " + family.label() + " prefix");
        }
        if (parsed.getAddress().length * 8 != bits || length > bits) {
            throw new IllegalArgumentException("'" + text + "' is not an " + family.label() + " prefix");
        }
        BigInteger value = new BigInteger(1, parsed.getAddress());
        if (length < bits
                && value.and(BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE)).signum() != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set beyond /" + length);
        }
        return new IpPrefix(parsed, length);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
