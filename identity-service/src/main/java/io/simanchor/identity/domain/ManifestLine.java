package io.simanchor.identity.domain;

/**
 * A line of a manifest: the record, or why it could not be read.
 *
 * @param number 1-based line number
 * @param record the parsed record, null if unreadable
 * @param parseError why the line is not a record, null if it is
 */
public record ManifestLine(int number, ManifestRecord record, String parseError) {
}
