package dev.sluice.core;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.bucket4j.TimeMeter;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

/**
 * A circuit breaker as configured ({@code sluice.breaker.<name>.*}); the engine turns it into a
 * {@link Breaker} on its clock.
 *
 * <p>{@code consecutive-failures=N} opens after N failures in a row (a count window of N calls that
 * must all fail); {@code failure-rate=P} opens when P percent of the calls in {@code window} (a
 * number of calls, or a duration such as {@code 30s}) failed, once {@code minimum-calls} were seen.
 */
record BreakerSpec(String name, float failureRate, SlidingWindowType windowType, int windowSize, int minimumCalls,
        Duration openFor, int halfOpenCalls, Duration slowCall, Set<Breaker.Outcome> failures) {

    static BreakerSpec parse(String name, Map<String, String> fields) {
        String prefix = SluiceConfig.BREAKER_PREFIX + name + ".";
        boolean consecutive = fields.containsKey("consecutive-failures");
        boolean rate = fields.containsKey("failure-rate");
        if (consecutive == rate) {
            throw ConfigurationException.about(fields.keySet().stream().map(prefix::concat).toList(),
                    "breaker '" + name + "' needs exactly one of " + prefix
                    + "consecutive-failures (for example 3) and " + prefix + "failure-rate (a percentage, for example 50)");
        }
        float failureRate;
        SlidingWindowType windowType = SlidingWindowType.COUNT_BASED;
        int windowSize;
        int minimumCalls;
        if (consecutive) {
            for (String field : new String[] {"window", "minimum-calls"}) {
                if (fields.containsKey(field)) {
                    throw new ConfigurationException(prefix + field, fields.get(field),
                            "applies to failure-rate breakers; consecutive-failures counts the last calls only");
                }
            }
            windowSize = ConfigValues.intIn(prefix + "consecutive-failures", fields.get("consecutive-failures"), 1, 10_000);
            minimumCalls = windowSize;
            failureRate = 100;
        } else {
            failureRate = ConfigValues.intIn(prefix + "failure-rate", fields.get("failure-rate"), 1, 100);
            String window = fields.getOrDefault("window", "20");
            if (ConfigValues.isDigits(window)) {
                windowSize = ConfigValues.intIn(prefix + "window", window, 1, 10_000);
            } else {
                windowType = SlidingWindowType.TIME_BASED;
                Duration duration = ConfigValues.durationOrZero(prefix + "window", window);
                if (duration.toMillis() < 1000 || duration.toSeconds() > 3600) {
                    throw new ConfigurationException(prefix + "window", window,
                            "expected a number of calls, or a duration from 1s to 1h");
                }
                windowSize = (int) duration.toSeconds();
            }
            minimumCalls = fields.containsKey("minimum-calls")
                    ? ConfigValues.intIn(prefix + "minimum-calls", fields.get("minimum-calls"), 1, 10_000)
                    : windowType == SlidingWindowType.COUNT_BASED ? windowSize : 10;
        }
        Duration openFor = fields.containsKey("open-for") ? ConfigValues.durationOrZero(prefix + "open-for", fields.get("open-for")) : Duration.ofSeconds(10);
        if (openFor.isZero()) {
            throw new ConfigurationException(prefix + "open-for", fields.get("open-for"), "expected a duration above zero");
        }
        int halfOpenCalls = fields.containsKey("half-open-calls")
                ? ConfigValues.intIn(prefix + "half-open-calls", fields.get("half-open-calls"), 1, 10_000) : 1;
        Duration slowCall = fields.containsKey("slow-call") ? ConfigValues.durationOrZero(prefix + "slow-call", fields.get("slow-call")) : null;
        Set<Breaker.Outcome> failures = EnumSet.of(Breaker.Outcome.SERVER_ERROR, Breaker.Outcome.EXCEPTION, Breaker.Outcome.TIMEOUT);
        if (fields.containsKey("failures")) {
            failures = EnumSet.noneOf(Breaker.Outcome.class);
            for (String kind : fields.get("failures").split(",")) {
                failures.add(switch (kind.trim().toLowerCase(Locale.ROOT)) {
                    case "5xx" -> Breaker.Outcome.SERVER_ERROR;
                    case "exceptions" -> Breaker.Outcome.EXCEPTION;
                    case "timeouts" -> Breaker.Outcome.TIMEOUT;
                    default -> throw new ConfigurationException(prefix + "failures", fields.get("failures"),
                            "expected a comma-separated list of 5xx, exceptions, timeouts; found '" + kind.trim() + "'");
                });
            }
        }
        return new BreakerSpec(name, failureRate, windowType, windowSize, minimumCalls, openFor, halfOpenCalls, slowCall, failures);
    }

    Breaker create(TimeMeter clock) {
        CircuitBreakerConfig.Builder config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRate)
                .slidingWindow(windowSize, minimumCalls, windowType)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .recordException(failure -> true);
        return new Breaker(name, config, failures, slowCall, openFor, clock);
    }
}
