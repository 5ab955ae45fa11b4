package io.simanchor.support.ratelimit;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts rate-limit refusals between two reports, in bounded memory: totals per scope, and counts for at most
 * {@value #MAX_KEYS} keys (the rest are in the totals only), so a flood is one summary event, not one event
 * per refused request.
 */
public final class RefusalTally {

    static final int MAX_KEYS = 1_000;
    static final int TOP = 5;

    /**
     * The refusals of one period.
     *
     * @param byScope refusals per scope
     * @param top the most refused keys ({@code scope:key}) with their counts, most first
     */
    public record Summary(Map<RequestRateLimits.Scope, Long> byScope, Map<String, Long> top) {

        /** All refusals of the period. */
        public long total() {
            return byScope.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final class Window {

        final Map<RequestRateLimits.Scope, LongAdder> byScope = new EnumMap<>(RequestRateLimits.Scope.class);
        final Map<String, LongAdder> byKey = new ConcurrentHashMap<>();

        Window() {
            for (RequestRateLimits.Scope scope : RequestRateLimits.Scope.values()) {
                byScope.put(scope, new LongAdder());
            }
        }
    }

    private final AtomicReference<Window> current = new AtomicReference<>(new Window());

    void count(RequestRateLimits.Scope scope, String key) {
        Window window = current.get();
        window.byScope.get(scope).increment();
        String scoped = scope.name() + ':' + key;
        LongAdder counter = window.byKey.get(scoped);
        if (counter == null && window.byKey.size() < MAX_KEYS) {
            counter = window.byKey.computeIfAbsent(scoped, k -> new LongAdder());
        }
        if (counter != null) {
            counter.increment();
        }
    }

    /** The refusals counted since the last drain, if any; counting goes on in a new period. */
    Optional<Summary> drain() {
        Window window = current.getAndSet(new Window());
        Map<RequestRateLimits.Scope, Long> byScope = new EnumMap<>(RequestRateLimits.Scope.class);
        window.byScope.forEach((scope, count) -> byScope.put(scope, count.sum()));
        if (byScope.values().stream().allMatch(count -> count == 0)) {
            return Optional.empty();
        }
        Map<String, Long> top = new LinkedHashMap<>();
        window.byKey.entrySet()
                .stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return Optional.of(new Summary(byScope, top));
    }
}
