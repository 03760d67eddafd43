package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11, "Configuration values": every bad value stops deployment with one line naming its
 * source, key and value; nothing deploys silently wrong.
 */
class ConfigurationValuesTest {

    private static final String FILE = "file:/etc/shop/sluice.properties";

    private static Map<String, String> policy(String field, String value) {
        Map<String, String> entries = new HashMap<>();
        entries.put("sluice.policy.api.path", "/api/*");
        entries.put("sluice.policy.api.limit", "5/minute");
        entries.put("sluice.policy.api." + field, value);
        return entries;
    }

    private static Properties file(Map<String, String> entries) {
        Properties file = new Properties();
        file.putAll(entries);
        return file;
    }

    @Test
    void aBadValueFromTheFileNamesTheFile() {
        assertThatThrownBy(() -> SluiceConfig.load(file(policy("limit", "5/minnute")), FILE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(FILE + ": sluice.policy.api.limit=5/minnute: invalid limit");
    }

    @Test
    void aBadValueFromASystemPropertyNamesTheSystemProperty() {
        System.setProperty("sluice.policy.api.cost", "lots");
        try {
            assertThatThrownBy(() -> SluiceConfig.load(file(policy("limit", "5/minute")), FILE))
                    .hasMessage("-D system property: sluice.policy.api.cost=lots: expected a positive whole number");
        } finally {
            System.clearProperty("sluice.policy.api.cost");
        }
    }

    @Test
    void aProblemOfASectionNamesTheSourcesOfItsKeys() {
        System.setProperty("sluice.pool.payment.queue", "4");
        try {
            assertThatThrownBy(() -> SluiceConfig.load(file(Map.of("sluice.pool.payment.timeout", "2s")), FILE))
                    .hasMessage("-D system property and " + FILE + ": pool 'payment' has no size: set sluice.pool.payment.threads,"
                            + " for example 8");
        } finally {
            System.clearProperty("sluice.pool.payment.queue");
        }
    }

    @Test
    void aProblemFoundWhenTheStoreOpensNamesTheSource() {
        Properties file = file(Map.of("sluice.store", "hazelcast", "sluice.hazelcast.mode", "provided"));
        assertThatThrownBy(() -> Sluice.builder(SluiceConfig.load(file, FILE)).build())
                .hasMessageStartingWith(FILE + ": sluice.hazelcast.mode=provided: needs the application's HazelcastInstance");
    }

    @Test
    void theMessageIsOneLineWithoutAStackTrace() {
        ConfigurationException problem = new ConfigurationException("sluice.x", "y", "bad");
        assertThat(problem.getStackTrace()).isEmpty();
        assertThat(problem.getCause()).isNull();
    }

    @ParameterizedTest(name = "methods={0}")
    @CsvSource(delimiter = '|', textBlock = """
            GETT          | GETT
            GET,POTS      | POTS
            GET,          | ''
            +             | +
            PROP FIND     | PROP FIND
            """)
    void aMethodThatIsNotStandardStopsDeployment(String methods, String found) {
        assertThatThrownBy(() -> SluiceConfig.parse(policy("methods", methods)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("sluice.policy.api.methods=" + methods + ": expected HTTP methods such as GET,POST, found '"
                        + found + "'; the standard methods are GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and PATCH");
    }

    @Test
    void anExtensionMethodIsAllowedWithAPlusAndMatchedExactly() {
        SluiceConfig config = SluiceConfig.parse(policy("methods", "get, patch, +PROPFIND"));
        PathRule rule = config.rules().get(0);
        assertThat(rule.methods()).containsExactlyInAnyOrder("GET", "PATCH", "PROPFIND");
        assertThat(rule.matches("PROPFIND", "/api/x")).isTrue();
        assertThat(rule.matches("propfind", "/api/x")).isFalse();
        assertThat(rule.matches("POST", "/api/x")).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            limit     | 5/9999999999999 days               | invalid limit '5/9999999999999 days': expected a window of at most 36500 days at position 3
            limit     | 2000000000/second                  | invalid limit '2000000000/second': expected at most one request per nanosecond (1000000000 per PT1S), found 2000000000 at position 1
            limit     | 1/day burst 999999999999999        | invalid limit '1/day burst 999999999999999': expected a bucket that refills fully within 36500 days; this one takes longer (lower the burst or shorten the window) at position 1
            limit     | 1/day burst 999999999999999 fixed  | invalid limit '1/day burst 999999999999999 fixed': expected a bucket that refills fully within 36500 days; this one takes longer (lower the burst or shorten the window) at position 1
            limit     | 1000000000000000/36500 days        | invalid limit '1000000000000000/36500 days': expected a request count of at most 999999999999999 at position 1
            limit     | 5/minute burst 1000000000000000    | invalid limit '5/minute burst 1000000000000000': expected a burst capacity of at most 999999999999999 at position 16
            limit     | 5/99999999999999999999999 s        | invalid limit '5/99999999999999999999999 s': expected a window length of at most 999999999999999 at position 3
            limit     | ٥/minute                           | invalid limit '٥/minute': expected a request count (a positive whole number), found '٥' at position 1
            limit     | 5/٣ minutes                        | invalid limit '5/٣ minutes': expected a time unit (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)) at position 3
            cost      | ٥                                  | expected a positive whole number
            cost      | 99999999999999999999               | expected a positive whole number
            """)
    void numbersThatOverflowOrAreNotAsciiStopDeploymentNamingTheKey(String field, String value, String problem) {
        assertThatThrownBy(() -> SluiceConfig.parse(policy(field, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.policy.api." + field + "=" + value + ": " + problem);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            sluice.pool.p.threads                    | ٨             | expected a positive whole number
            sluice.pool.p.queue                      | ٨             | expected a whole number from 0 to 1000000
            sluice.pool.p.timeout                    | 999999999999d | invalid duration '999999999999d': expected at most 36500 days
            sluice.breaker.b.consecutive-failures    | ٣             | expected a whole number from 1 to 10000
            sluice.local.max-keys                    | ١٠٠           | expected a positive whole number
            sluice.local.max-keys                    | 99999999999999999999 | expected a positive whole number
            sluice.trusted-proxies                   | 10.0.0.0/٨    | invalid trusted proxy '10.0.0.0/٨': expected a prefix length from 0 to 32 after '/'
            sluice.trusted-proxies                   | ١0.0.0.1      | invalid trusted proxy '١0.0.0.1': expected an IP address or a CIDR block such as 10.0.0.0/8
            sluice.hazelcast.interface               | ١0.0.0.5      | expected the IP address of a local interface, such as 10.0.0.5 (or a pattern such as 10.0.*.*)
            sluice.hazelcast.timeout                 | 999999999999d | invalid duration '999999999999d': expected at most 36500 days
            sluice.policy.x.resolver-interval        | 999999999999d | invalid duration '999999999999d': expected at most 36500 days
            sluice.breaker.b.open-for                | 999999999999d | invalid duration '999999999999d': expected at most 36500 days
            """)
    void otherNumbersAreAsciiAndBounded(String key, String value, String problem) {
        Map<String, String> entries = new HashMap<>();
        entries.put("sluice.pool.p.threads", "2");
        entries.put("sluice.breaker.b.consecutive-failures", "3");
        entries.put(key, value);
        assertThatThrownBy(() -> SluiceConfig.parse(entries))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(key + "=" + value + ": " + problem);
    }

    @Test
    void theLargestLimitTheHeadersCarryDeploys() {
        Limit limit = Limits.parse("999999999999999/36500 days").limits().get(0);
        assertThat(limit.capacity()).isEqualTo(999_999_999_999_999L);
        assertThat(limit.windowSeconds()).isEqualTo(36_500L * 86_400);
        assertThat(Limits.parse("1000000000/second").toBucketConfiguration()).isNotNull();
    }

    @Test
    void anUnusedPoolOrBreakerIsReportedOnceAtTheFirstRequest() {
        Map<String, String> entries = new HashMap<>(policy("pool", "payment"));
        entries.put("sluice.pool.payment.threads", "2");
        entries.put("sluice.pool.payment.mode", "permits");
        entries.put("sluice.pool.paymnt.threads", "2");
        entries.put("sluice.breaker.psp.consecutive-failures", "3");
        entries.put("sluice.breaker.unused.consecutive-failures", "3");
        try (Sluice engine = Sluice.builder(SluiceConfig.parse(entries)).build()) {
            assertThat(engine.breaker("psp")).isNotNull();
            assertThat(engine.checkUnusedOnce()).containsExactly("pool 'paymnt'", "breaker 'unused'");
            assertThat(engine.checkUnusedOnce()).isEmpty();
        }
    }
}
