package io.simanchor.mud.domain;

/** Reads an uploaded document as JSON. */
public interface MudDocuments {

    /**
     * The JSON document in {@code content} as plain values ({@code Map}, {@code List}, {@code String},
     * {@code Number}, {@code Boolean}, {@code null}).
     *
     * @throws MudFileRejected when it is not one well-formed JSON text in UTF-8 or repeats a member name
     */
    Object parse(byte[] content);
}
