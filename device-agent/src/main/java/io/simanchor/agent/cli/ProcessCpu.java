package io.simanchor.agent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time a process on this machine has used, from {@code /proc/<pid>/stat} (proc(5): utime and
 * stime, fields 14 and 15, in clock ticks of 1/100 s on Linux), summed over all its threads; with its
 * children, also what its children have used.
 *
 * @param withChildren also count the process's children, for a server that works in child processes, such
 *        as PostgreSQL with a backend process per connection: the exited ones through the process's cutime
 *        and cstime (fields 16 and 17: children it has waited for), the live ones with their own children
 *        in turn
 */
record ProcessCpu(long pid, boolean withChildren) {

    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path PROC = Path.of("/proc");
    /** Reads of the tree before giving up on a moment when no child of the root was reaped meanwhile. */
    private static final int TREE_ATTEMPTS = 5;

    /** The process alone, with all its threads. */
    static ProcessCpu of(long pid) {
        return new ProcessCpu(pid, false);
    }

    /** The process and its children, live and exited. */
    static ProcessCpu withChildren(long pid) {
        return new ProcessCpu(pid, true);
    }

    /**
     * User plus system CPU seconds so far.
     *
     * @throws UncheckedIOException if the process is gone or its statistics cannot be read
     */
    double seconds() {
        Stat process = root();
        if (!withChildren) {
            return process.ownTicks() / TICKS_PER_SECOND;
        }
        // A child reaped between reading the root and listing the children would be in neither count (its
        // whole life's time), so the tree is read again until the root's reaped-children time held still.
        for (int attempt = 1; attempt <= TREE_ATTEMPTS; attempt++) {
            long ticks = treeTicks(process, childrenByParent());
            Stat after = root();
            if (after.waitedForChildrenTicks() == process.waitedForChildrenTicks()) {
                return ticks / TICKS_PER_SECOND;
            }
            process = after;
        }
        throw new UncheckedIOException(new IOException("the children of process " + pid + " kept exiting while "
                + TREE_ATTEMPTS + " reads of its CPU time ran"));
    }

    private Stat root() {
        try {
            return Stat.read(pid)
                    .orElseThrow(() -> new NoSuchFileException("/proc/" + pid + "/stat", null,
                            "no such process"));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static long treeTicks(Stat process, Map<Long, List<Stat>> childrenByParent) {
        long ticks = process.ownTicks() + process.waitedForChildrenTicks();
        for (Stat child : childrenByParent.getOrDefault(process.pid(), List.of())) {
            ticks += treeTicks(child, childrenByParent);
        }
        return ticks;
    }

    /**
     * Every live process of the machine that can be read, by its parent. A process that exits meanwhile, or
     * whose statistics this user may not read, is left out: it is no child of a server this user measures,
     * or its time reaches its parent's cutime once the parent has waited for it.
     */
    private static Map<Long, List<Stat>> childrenByParent() {
        Map<Long, List<Stat>> children = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                try {
                    Stat.read(Long.parseLong(process.getFileName().toString()))
                            .ifPresent(stat -> children.computeIfAbsent(stat.parent(), ignored -> new ArrayList<>())
                                    .add(stat));
                } catch (IOException | RuntimeException unreadable) {
                    // skipped, as above
                }
            }
        } catch (DirectoryIteratorException e) {
            throw new UncheckedIOException("cannot list the processes of this machine", e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes of this machine", e);
        }
        return children;
    }

    /** The fields of {@code /proc/<pid>/stat} this needs. */
    private record Stat(long pid, long parent, long ownTicks, long waitedForChildrenTicks) {

        /** Empty if the process is gone. */
        static Optional<Stat> read(long pid) throws IOException {
            String stat;
            try {
                stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            } catch (NoSuchFileException gone) {
                return Optional.empty();
            }
            // The command name (field 2) may contain spaces; the fields after it are counted from its last ')':
            // index 0 is field 3 (state), 1 the parent (field 4), 11-14 utime, stime, cutime, cstime (14-17).
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(pid, Long.parseLong(fields[1]),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])));
        }
    }
}
