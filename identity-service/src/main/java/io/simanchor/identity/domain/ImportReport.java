package io.simanchor.identity.domain;

import java.util.List;

/**
 * The outcome of a manifest import: good records import, bad ones are reported by line.
 *
 * @param received records read
 * @param imported new registrations
 * @param unchanged records identical to a registration already stored (a re-upload)
 * @param rejected records refused
 * @param errors the first {@link #MAX_ERRORS} refusals, by line
 */
public record ImportReport(int received, int imported, int unchanged, int rejected, List<LineError> errors) {

    /** How many refusals the report lists; the count covers all of them. */
    public static final int MAX_ERRORS = 1000;

    /**
     * A refused record.
     *
     * @param line 1-based line number in the manifest
     * @param code problem code, e.g. {@code ENDORSEMENT_INVALID}
     * @param detail what is wrong
     */
    public record LineError(int line, String code, String detail) {
    }
}
