package io.simanchor.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceAddressLimitTest {

    @Test
    void an_ipv4_address_is_its_own_key() {
        assertThat(SourceAddressLimit.sourceOf("192.0.2.7")).isEqualTo("192.0.2.7");
    }

    @Test
    void every_address_of_an_ipv6_64_shares_one_key() {
        String network = SourceAddressLimit.sourceOf("2001:db8:aa:bb::1");
        assertThat(SourceAddressLimit.sourceOf("2001:db8:aa:bb:ffff:1:2:3")).isEqualTo(network);
        assertThat(SourceAddressLimit.sourceOf("2001:0db8:00aa:00bb:0:0:0:9")).isEqualTo(network);
        assertThat(network).isEqualTo("2001:db8:aa:bb::/64");
        assertThat(SourceAddressLimit.sourceOf("2001:db8:aa:bc::1")).isNotEqualTo(network);
    }
}
