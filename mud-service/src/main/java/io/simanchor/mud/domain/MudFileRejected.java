package io.simanchor.mud.domain;

import java.util.List;

/** A MUD file that is not stored, with every problem found in it. */
public final class MudFileRejected extends RuntimeException {

    private final List<Violation> violations;

    public MudFileRejected(List<Violation> violations) {
        super(violations.size() + " problem(s) in the MUD file", null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
