package io.simanchor.mud.domain;

/**
 * One problem with a MUD file.
 *
 * @param pointer where it is, as an RFC 6901 JSON pointer into the uploaded document ({@code ""} = the whole)
 * @param message what is wrong there, for the manufacturer's engineer
 */
public record Violation(String pointer, String message) {

    /** {@code parent} extended by one member name or array index, escaped per RFC 6901 §3. */
    public static String pointer(String parent, Object token) {
        return parent + "/" + token.toString().replace("~", "~0").replace("/", "~1");
    }
}
