package io.simanchor.support.messaging;

/**
 * What the check of one record found, before the record may change a view ({@link TopicView.RecordHandler}):
 * computed on any thread, acted on (applied, reported, logged) on the view's reader thread.
 *
 * @param <T> what an accepted record carries
 */
public sealed interface Checked<T> {

    /** The record is its producer's and readable: {@code value} may change the view. */
    record Accepted<T>(T value) implements Checked<T> {
    }

    /** The record cannot be shown to be its producer's: it changes nothing and is a security event. */
    record Refused<T>(String reasonCode) implements Checked<T> {
    }

    /** The record is its producer's, or carries nothing to verify, but cannot be read: it is logged. */
    record Unreadable<T>(String type, String cause) implements Checked<T> {
    }
}
