package io.simanchor.agent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process on this machine has used, from {@code /proc/<pid>/stat} (proc(5): utime and
 * stime, fields 14 and 15, in clock ticks of 1/100 s on Linux), summed over all its threads.
 */
record ProcessCpu(long pid) {

    private static final double TICKS_PER_SECOND = 100.0;

    /** User plus system CPU seconds so far. */
    double seconds() {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
        // The command name (field 2) may contain spaces; the fields after it are counted from its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
