package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sluice.trusted-proxies} and {@code sluice.client-ip-header}: what deploys and what the {@code ip} key then reads. */
class ClientIpHeaderConfigTest {

    private static SluiceConfig parse(String... keysAndValues) {
        Map<String, String> entries = new HashMap<>(Map.of(
                "sluice.policy.p.path", "/*",
                "sluice.policy.p.limit", "5/minute"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SluiceConfig.parse(entries);
    }

    private static String client(SluiceConfig config, RequestInfo request) {
        return config.policies().get(0).key().resolve(request);
    }

    @Test
    void byDefaultOnlyXForwardedForIsRead() {
        SluiceConfig config = parse("sluice.trusted-proxies", "10.0.0.0/8");
        assertThat(config.trustedProxies().clientIpHeader()).isEqualTo("X-Forwarded-For");
        FakeRequest request = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", "198.51.100.4")
                .header("Forwarded", "for=203.0.113.9");
        assertThat(client(config, request)).isEqualTo("198.51.100.4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Forwarded        | 203.0.113.9
            forwarded        | 203.0.113.9
            ' CF-Connecting-IP ' | 192.0.2.7
            X-Real-IP        | 10.0.0.5
            """)
    void theNamedHeaderIsTheOnlyOneRead(String header, String client) {
        SluiceConfig config = parse("sluice.trusted-proxies", "10.0.0.0/8", "sluice.client-ip-header", header);
        FakeRequest request = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", "198.51.100.4")
                .header("Forwarded", "for=203.0.113.9").header("CF-Connecting-IP", "192.0.2.7");
        assertThat(client(config, request)).isEqualTo(client);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            X Real IP
            X-Real-IP:
            Forwarded;for
            X-Réal-IP
            "X-Real-IP"
            (X-Real-IP)
            ''
            """)
    void aValueThatIsNoHeaderNameStopsDeployment(String header) {
        assertThatThrownBy(() -> parse("sluice.trusted-proxies", "10.0.0.0/8", "sluice.client-ip-header", header))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.client-ip-header=" + header + ": expected the name of the header your proxies set,"
                        + " such as X-Forwarded-For, Forwarded or CF-Connecting-IP (an HTTP field name: letters, digits"
                        + " and !#$%&'*+-.^_`|~)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0/0                | trusted proxy list '0.0.0.0/0' trusts every IPv4 address
            ::/0                     | trusted proxy list '::/0' trusts every IPv6 address
            10.0.0.0/8, ::/0         | trusted proxy list '10.0.0.0/8, ::/0' trusts every IPv6 address
            0.0.0.0/1, 128.0.0.0/1   | trusted proxy list '0.0.0.0/1, 128.0.0.0/1' trusts every IPv4 address
            *.*.*.*                  | invalid trusted proxy '*.*.*.*': expected an IP address or a CIDR block such as 10.0.0.0/8
            10.*.*.*                 | invalid trusted proxy '10.*.*.*': expected an IP address or a CIDR block such as 10.0.0.0/8
            *                        | invalid trusted proxy '*': expected an IP address or a CIDR block such as 10.0.0.0/8
            """)
    void aTrustedProxyListThatTrustsEveryoneStopsDeployment(String list, String problem) {
        assertThatThrownBy(() -> parse("sluice.trusted-proxies", list))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("sluice.trusted-proxies=" + list + ": " + problem);
    }
}
