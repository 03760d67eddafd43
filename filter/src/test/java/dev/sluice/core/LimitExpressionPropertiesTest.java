package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.greenbytes.http.sfv.Parser;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random limit expressions, near-valid and garbage: each either deploys as a policy whose
 * {@code RateLimit-Policy} and {@code RateLimit} headers an independent RFC 8941 parser accepts,
 * or stops deployment with a {@link ConfigurationException} that names the key and the position.
 * Never any other exception.
 */
class LimitExpressionPropertiesTest {

    @Property(tries = 2000)
    void anExpressionDeploysWithValidHeadersOrFailsNamingThePosition(@ForAll("expressions") String expression) {
        SluiceConfig config;
        try {
            config = SluiceConfig.parse(Map.of("sluice.policy.p.path", "/*", "sluice.policy.p.limit", expression,
                    "sluice.policy.p.key", "global"));
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).startsWith("sluice.policy.p.limit=" + expression.trim() + ": invalid limit")
                    .containsPattern("at position [0-9]+$");
            return;
        }
        RateLimiter limiter = new RateLimiter(LocalBucketStore.create(10, ManualClock.startingNow()));
        Verdict verdict = limiter.check(List.of(config.policies().get(0)), FakeRequest.from("192.0.2.1"));
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitResponse.headers(verdict, HeaderStyle.IETF, headers::put);
        assertThat(headers).containsKeys("RateLimit-Policy", "RateLimit");
        assertThat(Parser.parseList(headers.get("RateLimit-Policy")).get()).hasSize(1);
        assertThat(Parser.parseList(headers.get("RateLimit")).get()).hasSize(1);
    }

    @Provide
    Arbitrary<String> expressions() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2_000).map(String::valueOf),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.strings().withChars("0123456789٥٣١").ofMinLength(1).ofMaxLength(25));
        Arbitrary<String> unit = Arbitraries.of("s", "sec", "second", "minutes", "m", "h", "hour", "d", "days", "fortnight", "");
        Arbitrary<String> separator = Arbitraries.of("/", " per ", "/ ", "-");
        Arbitrary<String> suffix = Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> " burst " + n),
                Arbitraries.just(" fixed"), number.map(n -> " burst " + n + " fixed"), Arbitraries.just(" burst"));
        Arbitrary<String> limit = Combinators.combine(number, separator, Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> n + " ")),
                unit, suffix).as((count, sep, amount, u, end) -> count + sep + amount + u + end);
        Arbitrary<String> joined = limit.list().ofMinSize(1).ofMaxSize(3).map(items -> String.join(";", items));
        Arbitrary<String> garbage = Arbitraries.strings().withChars("0123456789/;perburstfixedsmhd ٥\t").ofMaxLength(30);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, joined),
                net.jqwik.api.Tuple.of(2, garbage));
    }
}
