package io.simanchor.api.mud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MudUrlsTest {

    private final MudUrls urls = new MudUrls("https://mud.example.com/");

    @Test
    void file_and_signature_urls_share_the_model_path() {
        assertThat(urls.fileUrl("acme", "tracker-x1")).isEqualTo("https://mud.example.com/mud/acme/tracker-x1.json");
        assertThat(urls.signatureUrl("acme", "tracker-x1"))
                .isEqualTo("https://mud.example.com/mud/acme/tracker-x1.p7s");
    }

    @Test
    void names_are_percent_encoded_path_segments() {
        assertThat(urls.fileUrl("SIM Anchor Devices", "a/b?c"))
                .isEqualTo("https://mud.example.com/mud/SIM%20Anchor%20Devices/a%2Fb%3Fc.json");
        assertThat(MudUrls.pathSegment("Zürich~1.0_x-y")).isEqualTo("Z%C3%BCrich~1.0_x-y");
    }

    @Test
    void the_base_must_be_https() {
        // RFC 8520 §3.3: MUD URLs use the https scheme.
        assertThatThrownBy(() -> new MudUrls("http://mud.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MudUrls("https://")).isInstanceOf(IllegalArgumentException.class);
    }
}
