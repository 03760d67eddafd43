package dev.sluice.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** A pool as configured ({@code sluice.pool.<name>.*}); the engine turns it into an {@link IsolationPool}. */
record PoolSpec(String name, PoolMode mode, int threads, int queue, Duration timeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_THREADS = 10_000;

    static PoolSpec parse(String name, Map<String, String> fields) {
        String prefix = SluiceConfig.POOL_PREFIX + name + ".";
        if (!fields.containsKey("threads")) {
            throw new ConfigurationException("pool '" + name + "' has no size: set " + prefix + "threads, for example 8");
        }
        long threads = SluiceConfig.positiveLong(prefix + "threads", fields.get("threads"));
        if (threads > MAX_THREADS) {
            throw new ConfigurationException(prefix + "threads", fields.get("threads"), "expected at most " + MAX_THREADS);
        }
        int queue = 0;
        if (fields.containsKey("queue")) {
            String text = fields.get("queue");
            try {
                queue = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                queue = -1;
            }
            if (queue < 0 || queue > 1_000_000) {
                throw new ConfigurationException(prefix + "queue", text, "expected a whole number from 0 to 1000000");
            }
        }
        Duration timeout = DEFAULT_TIMEOUT;
        if (fields.containsKey("timeout")) {
            try {
                timeout = Durations.parse(fields.get("timeout"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "timeout", fields.get("timeout"), e.getMessage());
            }
            if (timeout.isZero()) {
                throw new ConfigurationException(prefix + "timeout", fields.get("timeout"), "expected a duration above zero");
            }
        }
        PoolMode mode = PoolMode.THREADS;
        if (fields.containsKey("mode")) {
            mode = switch (fields.get("mode").toLowerCase(Locale.ROOT)) {
                case "threads" -> PoolMode.THREADS;
                case "permits" -> PoolMode.PERMITS;
                default -> throw new ConfigurationException(prefix + "mode", fields.get("mode"), "expected threads or permits");
            };
        }
        return new PoolSpec(name, mode, (int) threads, queue, timeout);
    }

    IsolationPool create(java.util.concurrent.ScheduledExecutorService timer) {
        return new IsolationPool(name, mode, threads, queue, timeout, timer);
    }
}
