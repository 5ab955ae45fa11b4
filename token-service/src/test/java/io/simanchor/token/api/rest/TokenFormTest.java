package io.simanchor.token.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token endpoint's form decoding (RFC 6749 Appendix B): what it keeps, and what it refuses as the
 * client's error. TokenApiTest covers the answers the running service gives for both.
 */
class TokenFormTest {

    @Test
    void parameters_are_split_at_ampersands_and_the_first_equals_sign() {
        assertThat(TokenRoute.decodeForm("grant_type=client_credentials&client_assertion=eyJ.eyJ.c2ln&x=a=b"))
                .isEqualTo(Map.of("grant_type", List.of("client_credentials"), "client_assertion",
                        List.of("eyJ.eyJ.c2ln"), "x", List.of("a=b")));
    }

    @Test
    void escapes_and_plus_signs_are_decoded_as_utf_8() {
        assertThat(TokenRoute.decodeForm("client_assertion_type=urn%3Aietf%3aparams&scope=a+b%20c&n%C3%A4me=%E2%82%AC"))
                .isEqualTo(Map.of("client_assertion_type", List.of("urn:ietf:params"), "scope", List.of("a b c"),
                        "näme", List.of("€")));
    }

    @Test
    void every_value_of_a_repeated_parameter_is_kept_so_the_repeat_can_be_refused() {
        assertThat(TokenRoute.decodeForm("scope=device&scope=firmware").get("scope"))
                .containsExactly("device", "firmware");
    }

    @Test
    void empty_sequences_are_skipped_and_a_name_alone_has_an_empty_value() {
        assertThat(TokenRoute.decodeForm("&&scope&grant_type=&")).isEqualTo(Map.of("scope", List.of(""),
                "grant_type", List.of("")));
        assertThat(TokenRoute.decodeForm("")).isEmpty();
    }

    @Test
    void question_marks_hashes_and_semicolons_are_ordinary_characters() {
        // A query-string decoder would skip the '?', stop at the '#' and split at the ';', hiding a repeat.
        assertThat(TokenRoute.decodeForm("?a=1;b=2#&a=3")).isEqualTo(Map.of("?a", List.of("1;b=2#"), "a",
                List.of("3")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_assertion=%zz", "a=%4", "a=%", "a=b%", "%G1=x", "a=%+1", "a=%-1",
            "a=%\u0663\u0663"})
    void a_malformed_percent_escape_is_refused(String form) {
        assertThatThrownBy(() -> TokenRoute.decodeForm(form)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void at_most_32_parameters_are_decoded_and_more_are_refused_not_truncated() {
        assertThat(TokenRoute.decodeForm("x=1" + "&x=1".repeat(31)).get("x")).hasSize(32);
        assertThatThrownBy(() -> TokenRoute.decodeForm("x=1" + "&x=1".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
