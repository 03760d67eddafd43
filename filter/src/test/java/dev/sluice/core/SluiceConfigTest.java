package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SluiceConfigTest {

    private static final Map<String, String> ORDERS = Map.of(
            "sluice.policy.orders.path", "/api/orders/*",
            "sluice.policy.orders.limit", "5/minute");

    private static Map<String, String> with(String key, String value) {
        Map<String, String> entries = new java.util.HashMap<>(ORDERS);
        entries.put(key, value);
        return entries;
    }

    @Test
    void defaults() {
        SluiceConfig config = SluiceConfig.parse(ORDERS);
        assertThat(config.localMaxKeys()).isEqualTo(100_000);
        assertThat(config.headerStyle()).isEqualTo(HeaderStyle.IETF);
        assertThat(config.policies()).hasSize(1);
        Policy orders = config.policies().get(0);
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.cost()).isEqualTo(1);
        assertThat(orders.enforce()).isTrue();
        assertThat(orders.key()).hasToString("ip");
    }

    @Test
    void everyKeyIsRead() {
        SluiceConfig config = SluiceConfig.parse(Map.ofEntries(
                Map.entry("sluice.store", "local"),
                Map.entry("sluice.local.max-keys", "500"),
                Map.entry("sluice.trusted-proxies", "127.0.0.1, 10.0.0.0/8"),
                Map.entry("sluice.headers", "both"),
                Map.entry("sluice.policy.pay.path", "/pay/*, *.do"),
                Map.entry("sluice.policy.pay.methods", "post, PUT"),
                Map.entry("sluice.policy.pay.limit", "10/second burst 20; 100/hour"),
                Map.entry("sluice.policy.pay.key", "header:X-Api-Key,ip"),
                Map.entry("sluice.policy.pay.cost", "2"),
                Map.entry("sluice.policy.pay.enforce", "false")));
        assertThat(config.localMaxKeys()).isEqualTo(500);
        assertThat(config.trustedProxies().contains("10.3.4.5")).isTrue();
        assertThat(config.headerStyle()).isEqualTo(HeaderStyle.BOTH);
        PathRule rule = config.rules().get(0);
        assertThat(rule.methods()).containsExactlyInAnyOrder("POST", "PUT");
        assertThat(rule.matches("POST", "/pay/now")).isTrue();
        assertThat(rule.matches("POST", "/x/y.do")).isTrue();
        assertThat(rule.matches("GET", "/pay/now")).isFalse();
        Policy pay = rule.policy();
        assertThat(pay.limits().limits()).hasSize(2);
        assertThat(pay.cost()).isEqualTo(2);
        assertThat(pay.enforce()).isFalse();
        assertThat(pay.key()).hasToString("header:X-Api-Key,ip");
    }

    @Test
    void policiesAreOrderedByName() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.policy.b.path", "/*", "sluice.policy.b.limit", "1/s",
                "sluice.policy.a.path", "/*", "sluice.policy.a.limit", "1/s"));
        assertThat(config.policies()).extracting(Policy::name).containsExactly("a", "b");
    }

    @Test
    void keysOutsideTheSluiceNamespaceAreIgnored() {
        assertThat(SluiceConfig.parse(with("other.setting", "x")).policies()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            sluice.policy.orders.limit   | 5/minnute   | sluice.policy.orders.limit=5/minnute: invalid limit '5/minnute': expected a time unit (s, sec, second(s), m, min, minute(s), h, hour(s), d, day(s)), found 'minnute' at position 3
            sluice.policy.orders.key     | cookie:x    | sluice.policy.orders.key=cookie:x: invalid key 'cookie:x': unknown key kind 'cookie:x'; expected global, ip, header:NAME, principal, query:NAME, path:NAME or class:NAME
            sluice.policy.orders.key     | path:id     | sluice.policy.orders.key=path:id: path parameters exist only for JAX-RS resources; use @RateLimit(key = "path:NAME") there
            sluice.policy.orders.cost    | 0           | sluice.policy.orders.cost=0: expected a positive whole number
            sluice.policy.orders.cost    | 6           | sluice.policy.orders.cost=6: cost 6 exceeds the capacity 5 of limit '5/minute': no request could ever be admitted
            sluice.policy.orders.enforce | yes         | sluice.policy.orders.enforce=yes: expected true or false
            sluice.policy.orders.path    | api/*       | sluice.policy.orders.path=api/*: invalid path 'api/*': expected an exact path (/a/b), a prefix (/a/*) or an extension (*.ext)
            sluice.policy.orders.methods | GET,PO ST   | sluice.policy.orders.methods=GET,PO ST: expected HTTP methods such as GET,POST, found 'PO ST'; the standard methods are GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and PATCH, and an extension method is written with a leading + (such as +PROPFIND)
            sluice.policy.orders.limt    | 5/minute    | sluice.policy.orders.limt=5/minute: unknown key; expected sluice.policy.<name>.<field> with a field among breaker, cost, enabled, enforce, key, limit, methods, path, pool, resolver, resolver-interval
            sluice.polcy.orders.limit    | 5/minute    | sluice.polcy.orders.limit=5/minute: unknown key; expected one of sluice.client-ip-header, sluice.config, sluice.headers, sluice.local.max-keys, sluice.store, sluice.trusted-proxies, sluice.policy.<name>.<field>, sluice.pool.<name>.<field>, sluice.breaker.<name>.<field>, sluice.hazelcast.<field> or sluice.teststore.<field>
            sluice.store                 | redis       | sluice.store=redis: unknown store; expected local, hazelcast or teststore (a bucket store provider on the classpath), or the class name of a provider
            sluice.local.max-keys        | lots        | sluice.local.max-keys=lots: expected a positive whole number
            sluice.headers               | rfc         | sluice.headers=rfc: expected ietf, legacy, both or none, found 'rfc'
            sluice.trusted-proxies       | 10.0.0.0/99 | sluice.trusted-proxies=10.0.0.0/99: invalid trusted proxy '10.0.0.0/99': expected a prefix length from 0 to 32 after '/'
            """)
    void badEntriesNameTheKeyTheValueAndTheProblem(String key, String value, String message) {
        assertThatThrownBy(() -> SluiceConfig.parse(with(key, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void aFilterPolicyThatAppliesNothingIsAnError() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.path", "/x")))
                .hasMessage("policy 'x' does nothing: set sluice.policy.x.limit (for example 100/minute), sluice.policy.x.pool or sluice.policy.x.breaker");
    }

    @Test
    void aBadPolicyNameIsAnError() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.a b.limit", "1/s", "sluice.policy.a b.path", "/")))
                .hasMessageContaining("invalid policy name 'a b'");
    }

    @Test
    void systemPropertiesOverrideAndExtendTheFile() {
        Properties file = new Properties();
        file.putAll(ORDERS);
        System.setProperty("sluice.policy.orders.limit", "7/minute");
        System.setProperty("sluice.policy.orders.key", "global");
        try {
            Policy orders = SluiceConfig.load(file, "test.properties").policies().get(0);
            assertThat(orders.limits().expression()).isEqualTo("7/minute");
            assertThat(orders.key()).hasToString("global");
        } finally {
            System.clearProperty("sluice.policy.orders.limit");
            System.clearProperty("sluice.policy.orders.key");
        }
    }
}
