package io.simanchor.mud.domain;

/** A device model as MUD files are kept: per manufacturer and hardware model (RFC 8520 §1.2: per model). */
public record ModelKey(String manufacturer, String hwModel) {

    /** Most characters a manufacturer or model name may have. */
    public static final int MAX_NAME_LENGTH = 128;

    /** Whether {@code name} can be a manufacturer or model: 1..128 characters, none of them a control character. */
    public static boolean validName(String name) {
        return name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH
                && name.chars().noneMatch(Character::isISOControl);
    }
}
