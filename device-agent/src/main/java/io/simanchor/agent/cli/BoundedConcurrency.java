package io.simanchor.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Runs asynchronous work over a list with at most N calls in flight, the way a fleet of N devices talking
 * at once loads a service: each of N lanes starts the next item when its previous one completes.
 */
final class BoundedConcurrency<I, O> {

    private final List<I> items;
    private final Function<I, CompletionStage<O>> work;
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicInteger lanesRunning;
    private final AtomicReferenceArray<O> results;
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final CompletableFuture<List<O>> done = new CompletableFuture<>();

    private BoundedConcurrency(List<I> items, int concurrency, Function<I, CompletionStage<O>> work) {
        this.items = items;
        this.work = work;
        this.lanesRunning = new AtomicInteger(Math.max(1, Math.min(concurrency, items.size())));
        this.results = new AtomicReferenceArray<>(items.size());
    }

    /**
     * Applies {@code work} to every item, {@code concurrency} at a time. Completes with the results in the
     * order of {@code items} once all have finished, or with the first failure.
     */
    static <I, O> CompletableFuture<List<O>> map(List<I> items, int concurrency,
            Function<I, CompletionStage<O>> work) {
        BoundedConcurrency<I, O> run = new BoundedConcurrency<>(items, concurrency, work);
        if (items.isEmpty()) {
            run.done.complete(List.of());
        }
        for (int lane = run.lanesRunning.get(); lane > 0 && !items.isEmpty(); lane--) {
            run.nextInLane();
        }
        return run.done;
    }

    /** Starts items until one is still running (its completion continues the lane) or none is left. */
    private void nextInLane() {
        while (true) {
            int index = cursor.getAndIncrement();
            if (index >= items.size()) {
                laneFinished();
                return;
            }
            CompletableFuture<O> call;
            try {
                call = work.apply(items.get(index)).toCompletableFuture();
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            if (!call.isDone()) {
                call.whenComplete((result, failure) -> {
                    record(index, result, failure);
                    nextInLane();
                });
                return;
            }
            // Completed at once: loop rather than recurse, so a long run of instant answers cannot
            // overflow the stack.
            if (call.isCompletedExceptionally()) {
                record(index, null, failureOf(call));
            } else {
                record(index, call.join(), null);
            }
        }
    }

    private void record(int index, O result, Throwable failure) {
        if (failure != null) {
            firstFailure.compareAndSet(null, Await.causeOf(failure));
        } else {
            results.set(index, result);
        }
    }

    private void laneFinished() {
        if (lanesRunning.decrementAndGet() > 0) {
            return;
        }
        if (firstFailure.get() != null) {
            done.completeExceptionally(firstFailure.get());
            return;
        }
        List<O> ordered = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ordered.add(results.get(i));
        }
        done.complete(ordered);
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("the call did not fail");
        } catch (CompletionException | CancellationException e) {
            return e;
        }
    }
}
