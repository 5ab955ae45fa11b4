package io.simanchor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BoundedConcurrencyTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 50).boxed().toList();

    @Test
    void keeps_at_most_n_calls_in_flight_and_returns_results_in_item_order() {
        List<CompletableFuture<Integer>> pending = new ArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();

        CompletableFuture<List<Integer>> run = BoundedConcurrency.map(ITEMS, 4, item -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<Integer> call = new CompletableFuture<>();
            pending.add(call);
            return call.thenApply(ignored -> {
                inFlight.decrementAndGet();
                return item * 10;
            });
        });
        // Answer the calls in reverse order of arrival, one at a time, as a server might.
        while (!run.isDone()) {
            assertThat(pending).isNotEmpty();
            pending.remove(pending.size() - 1).complete(0);
        }

        assertThat(mostInFlight.get()).isEqualTo(4);
        assertThat(run.join()).isEqualTo(ITEMS.stream().map(i -> i * 10).toList());
    }

    @Test
    void many_instant_answers_do_not_overflow_the_stack() {
        List<Integer> many = IntStream.range(0, 200_000).boxed().toList();

        List<Integer> results = BoundedConcurrency.map(many, 2, CompletableFuture::completedFuture).join();

        assertThat(results).hasSize(200_000).startsWith(0, 1, 2).endsWith(199_999);
    }

    @Test
    void reports_the_first_failure_after_every_item_has_finished() {
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<List<Integer>> run = BoundedConcurrency.map(ITEMS, 3, item -> {
            started.incrementAndGet();
            return item == 7
                    ? CompletableFuture.failedFuture(new IllegalStateException("device 7 refused"))
                    : CompletableFuture.supplyAsync(() -> item);
        });

        assertThatThrownBy(run::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("device 7 refused");
        assertThat(started.get()).isEqualTo(ITEMS.size());
    }

    @Test
    void an_empty_list_completes_at_once() {
        assertThat(BoundedConcurrency.map(List.<Integer>of(), 8, CompletableFuture::completedFuture).join())
                .isEmpty();
    }
}
