package io.simanchor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Process CPU from /proc, alone and with children (how a PostgreSQL with one backend per connection is counted). */
class ProcessCpuTest {

    private static final long SELF = ProcessHandle.current().pid();
    /**
     * A child that spins until the kernel kills it at one second of CPU (dash's ulimit -t sets the soft and
     * the hard limit: SIGKILL at the hard one).
     */
    private static final String[] ONE_CPU_SECOND = {"sh", "-c", "ulimit -t 1; while :; do :; done"};

    @Test
    void an_exited_child_is_counted_once_with_children_and_not_at_all_alone() throws Exception {
        double jvmBefore = jvmCpuSeconds();
        double aloneBefore = ProcessCpu.of(SELF).seconds();
        double childrenBefore = childrenOnly();
        Process child = new ProcessBuilder(ONE_CPU_SECOND).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(childrenOnly() - childrenBefore).isCloseTo(1.0, within(0.25));
        // Alone, it gained what this JVM itself spent meanwhile (its compiler and collector may be busy on a
        // loaded machine), read around it, plus a few clock ticks; never the child's second.
        double aloneGained = ProcessCpu.of(SELF).seconds() - aloneBefore;
        assertThat(aloneGained).isLessThan(jvmCpuSeconds() - jvmBefore + 0.05);
    }

    @Test
    void a_live_child_is_counted_while_it_runs() throws Exception {
        childrenOnly(); // the first listing of /proc loads and compiles what it needs
        Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            ProcessCpu alone = ProcessCpu.of(child.pid());
            // The child spins throughout: its own time read just inside and just outside the tree's two reads
            // bounds what the tree may have gained (plus a clock tick of rounding at each end).
            double outerBefore = alone.seconds();
            double childrenBefore = childrenOnly();
            double innerBefore = alone.seconds();
            Thread.sleep(700);
            double innerAfter = alone.seconds();
            double childrenAfter = childrenOnly();
            double outerAfter = alone.seconds();
            assertThat(innerAfter - innerBefore).isGreaterThan(0.1);
            assertThat(childrenAfter - childrenBefore).isBetween(innerAfter - innerBefore - 0.03,
                    outerAfter - outerBefore + 0.03);
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_process_that_is_gone_cannot_be_measured() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> ProcessCpu.withChildren(done.pid()).seconds())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("process " + done.pid());
        assertThatThrownBy(() -> ProcessCpu.of(done.pid()).seconds()).isInstanceOf(UncheckedIOException.class);
    }

    /** This JVM's own CPU seconds as the JVM reports them (its process times, without children's). */
    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** This JVM's children's CPU seconds: with children minus alone, read back to back. */
    private static double childrenOnly() {
        double alone = ProcessCpu.of(SELF).seconds();
        return ProcessCpu.withChildren(SELF).seconds() - alone;
    }
}
