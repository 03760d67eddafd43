package dev.sluice.bench;

import java.io.IOException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The naive alternative users write by hand: a bounded map of Bucket4j local buckets by API key
 * and one header. The baseline Sluice's filter must beat.
 */
public final class NaiveBucket4jFilter implements Filter {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000).build();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String key = ((HttpServletRequest) request).getHeader("X-Api-Key");
        Bucket bucket = buckets.get(key == null ? request.getRemoteAddr() : key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(1_000_000).refillGreedy(1_000_000, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        HttpServletResponse http = (HttpServletResponse) response;
        http.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        if (!probe.isConsumed()) {
            http.setStatus(429);
            return;
        }
        chain.doFilter(request, response);
    }
}
