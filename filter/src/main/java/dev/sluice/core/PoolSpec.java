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
            throw ConfigurationException.about(fields.keySet().stream().map(prefix::concat).toList(),
                    "pool '" + name + "' has no size: set " + prefix + "threads, for example 8");
        }
        long threads = ConfigValues.positiveLong(prefix + "threads", fields.get("threads"));
        if (threads > MAX_THREADS) {
            throw new ConfigurationException(prefix + "threads", fields.get("threads"), "expected at most " + MAX_THREADS);
        }
        int queue = fields.containsKey("queue") ? ConfigValues.intIn(prefix + "queue", fields.get("queue"), 0, 1_000_000) : 0;
        Duration timeout = fields.containsKey("timeout") ? ConfigValues.duration(prefix + "timeout", fields.get("timeout"))
                : DEFAULT_TIMEOUT;
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

    IsolationPool create(Scheduler timer) {
        return new IsolationPool(name, mode, threads, queue, timeout, timer);
    }
}
