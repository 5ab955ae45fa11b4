package io.simanchor.mud.domain;

/** A device model as MUD files are kept: per manufacturer and hardware model (RFC 8520 §1.2: per model). */
public record ModelKey(String manufacturer, String hwModel) {

    /** Most characters a manufacturer or model name may have. */
    public static final int MAX_NAME_LENGTH = 128;

    /** Whether {@code name} can be a manufacturer or model: 1..128 characters, no control character, not a dot segment. */
    public static boolean validName(String name) {
        // "." and ".." would be path segments a client normalises away (RFC 3986 §5.2.4).
        return name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH
                && name.chars().noneMatch(Character::isISOControl) && !name.equals(".") && !name.equals("..");
    }
}
