package io.simanchor.attestation.domain;

/** Names in evidence and in policy data: model names, versions, component names. */
final class Text {

    /** Longest name accepted. */
    static final int MAX_LENGTH = 128;

    private Text() {
    }

    /** Present, not blank, at most {@value #MAX_LENGTH} characters, no control characters. */
    static boolean isValid(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_LENGTH
                && value.chars().noneMatch(Character::isISOControl);
    }
}
