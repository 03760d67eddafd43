package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.sluice.hazelcast.HazelcastSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code sluice.store} and {@code sluice.hazelcast.*} keys: defaults, values and the messages of mistakes. */
class SluiceConfigHazelcastTest {

    private static SluiceConfig parse(String... keysAndValues) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                entries.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return SluiceConfig.parse(entries);
    }

    private static HazelcastSettings hz(SluiceConfig config) {
        return (HazelcastSettings) config.storeSettings("hazelcast");
    }

    @Test
    void defaults() {
        SluiceConfig config = parse("sluice.store", "hazelcast");
        HazelcastSettings hazelcast = hz(config);
        assertThat(config.store()).isEqualTo("hazelcast");
        assertThat(hazelcast.mode()).isEqualTo(HazelcastSettings.Mode.EMBEDDED);
        assertThat(hazelcast.clusterName()).isEqualTo("sluice");
        assertThat(hazelcast.port()).isEqualTo(5701);
        assertThat(hazelcast.networkInterface()).isEqualTo("127.0.0.1");
        assertThat(hazelcast.members()).isEmpty();
        assertThat(hazelcast.configLocation()).isEmpty();
        assertThat(hazelcast.map()).isEqualTo("sluice-buckets");
        assertThat(hazelcast.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(hazelcast.maxKeys()).isEmpty();
        assertThat(config.faultMode()).isEqualTo(FaultMode.LOCAL);
        assertThat(parse().store()).isEqualTo("local");
    }

    @Test
    void everyKeyOfAnEmbeddedMember() {
        SluiceConfig config = parse(
                "sluice.store", "Hazelcast",
                "sluice.hazelcast.mode", "EMBEDDED",
                "sluice.hazelcast.cluster-name", "shop",
                "sluice.hazelcast.port", "5702",
                "sluice.hazelcast.interface", "10.0.0.5",
                "sluice.hazelcast.members", "10.0.0.5:5701, 10.0.0.6 ,hz-3.internal:5703,[::1]:5704",
                "sluice.hazelcast.map", "shop-buckets",
                "sluice.hazelcast.timeout", "2s",
                "sluice.hazelcast.max-keys", " 250000 ",
                "sluice.hazelcast.fault-mode", "Fail-Closed");
        HazelcastSettings hazelcast = hz(config);
        assertThat(hazelcast.clusterName()).isEqualTo("shop");
        assertThat(hazelcast.port()).isEqualTo(5702);
        assertThat(hazelcast.networkInterface()).isEqualTo("10.0.0.5");
        assertThat(hazelcast.members()).containsExactly("10.0.0.5:5701", "10.0.0.6", "hz-3.internal:5703", "[::1]:5704");
        assertThat(hazelcast.map()).isEqualTo("shop-buckets");
        assertThat(hazelcast.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(hazelcast.maxKeys()).hasValue(250_000);
        assertThat(config.faultMode()).isEqualTo(FaultMode.FAIL_CLOSED);
    }

    @Test
    void aClientWithItsOwnFileAndAProvidedInstance() {
        assertThat(hz(parse("sluice.store", "hazelcast", "sluice.hazelcast.mode", "client",
                "sluice.hazelcast.config", "classpath:hz-client.yaml")).configLocation())
                .contains("classpath:hz-client.yaml");
        SluiceConfig provided = parse("sluice.store", "hazelcast", "sluice.hazelcast.mode", "provided",
                "sluice.hazelcast.fault-mode", "fail-open", "sluice.hazelcast.timeout", "250ms");
        assertThat(hz(provided).mode()).isEqualTo(HazelcastSettings.Mode.PROVIDED);
        assertThat(provided.faultMode()).isEqualTo(FaultMode.FAIL_OPEN);
        assertThat(hz(provided).timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aSystemPropertyOverridesTheFile() {
        Properties file = new Properties();
        file.setProperty("sluice.store", "hazelcast");
        file.setProperty("sluice.hazelcast.port", "5701");
        System.setProperty("sluice.hazelcast.port", "5799");
        try {
            assertThat(hz(SluiceConfig.load(file, "test.properties")).port()).isEqualTo(5799);
        } finally {
            System.clearProperty("sluice.hazelcast.port");
        }
    }

    @Test
    void durations() {
        for (List<Object> example : List.<List<Object>>of(
                List.of("100ms", Duration.ofMillis(100)), List.of("2 s", Duration.ofSeconds(2)),
                List.of("1m", Duration.ofMinutes(1)), List.of("1h", Duration.ofHours(1)))) {
            assertThat(hz(parse("sluice.hazelcast.timeout", (String) example.get(0))).timeout()).isEqualTo(example.get(1));
        }
    }

    @Test
    void hazelcastKeysAreValidatedButNotRefusedWhileTheStoreIsLocal() {
        // Operators switch a Hazelcast deployment to local buckets with -Dsluice.store=local.
        assertThat(parse("sluice.store", "local", "sluice.hazelcast.mode", "provided", "sluice.hazelcast.port", "5702")
                .store()).isEqualTo("local");
        assertThatThrownBy(() -> parse("sluice.store", "local", "sluice.hazelcast.port", "none"))
                .hasMessage("sluice.hazelcast.port=none: expected a port number from 1 to 65535");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            sluice.store                  | redis          | sluice.store=redis: unknown store; expected local, hazelcast or teststore (a bucket store provider on the classpath), or the class name of a provider
            sluice.hazelcast.prot         | 5701           | sluice.hazelcast.prot=5701: unknown key; expected sluice.hazelcast.<field> with a field among cluster-name, config, fault-mode, interface, map, max-keys, members, mode, port, timeout
            sluice.hazelcst.port          | 5701           | sluice.hazelcst.port=5701: unknown key; expected one of sluice.client-ip-header, sluice.config, sluice.headers, sluice.local.max-keys, sluice.store, sluice.trusted-proxies, sluice.policy.<name>.<field>, sluice.pool.<name>.<field>, sluice.breaker.<name>.<field>, sluice.hazelcast.<field> or sluice.teststore.<field>
            sluice.hazelcast.mode         | member         | sluice.hazelcast.mode=member: expected embedded, client or provided
            sluice.hazelcast.port         | 70000          | sluice.hazelcast.port=70000: expected a port number from 1 to 65535
            sluice.hazelcast.port         | 0              | sluice.hazelcast.port=0: expected a port number from 1 to 65535
            sluice.hazelcast.interface    | eth0           | sluice.hazelcast.interface=eth0: expected the IP address of a local interface, such as 10.0.0.5 (or a pattern such as 10.0.*.*)
            sluice.hazelcast.members      | 10.0.0.5:5701-5703 | sluice.hazelcast.members=10.0.0.5:5701-5703: expected host or host:port entries separated by commas, such as 10.0.0.5:5701,10.0.0.6:5701; found '10.0.0.5:5701-5703'
            sluice.hazelcast.members      | a:1,,b:2       | sluice.hazelcast.members=a:1,,b:2: expected host or host:port entries separated by commas, such as 10.0.0.5:5701,10.0.0.6:5701; found ''
            sluice.hazelcast.config       | /etc/hz.yaml   | sluice.hazelcast.config=/etc/hz.yaml: expected file:PATH or classpath:RESOURCE naming a Hazelcast .xml, .yaml or .yml file
            sluice.hazelcast.cluster-name | my cluster     | sluice.hazelcast.cluster-name=my cluster: expected a name of letters, digits and _ . -
            sluice.hazelcast.map          | ''             | sluice.hazelcast.map=: expected a name of letters, digits and _ . -
            sluice.hazelcast.timeout      | fast           | sluice.hazelcast.timeout=fast: invalid duration 'fast': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s
            sluice.hazelcast.timeout      | 0ms            | sluice.hazelcast.timeout=0ms: expected a duration above zero
            sluice.hazelcast.timeout      | 100            | sluice.hazelcast.timeout=100: invalid duration '100': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s
            sluice.hazelcast.fault-mode   | open           | sluice.hazelcast.fault-mode=open: expected fail-open, fail-closed or local
            sluice.hazelcast.max-keys     | 0              | sluice.hazelcast.max-keys=0: expected a whole number from 1 to 2147483647
            sluice.hazelcast.max-keys     | -5             | sluice.hazelcast.max-keys=-5: expected a whole number from 1 to 2147483647
            sluice.hazelcast.max-keys     | 2147483648     | sluice.hazelcast.max-keys=2147483648: expected a whole number from 1 to 2147483647
            sluice.hazelcast.max-keys     | 99999999999999999999 | sluice.hazelcast.max-keys=99999999999999999999: expected a whole number from 1 to 2147483647
            sluice.hazelcast.max-keys     | 100k           | sluice.hazelcast.max-keys=100k: expected a whole number from 1 to 2147483647
            sluice.hazelcast.max-keys     | ٥٠٠٠           | sluice.hazelcast.max-keys=٥٠٠٠: expected a whole number from 1 to 2147483647
            """)
    void aBadValueIsNamedWithItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> parse("sluice.store", "hazelcast", key, value))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            client   | sluice.hazelcast.port         | 5702             | sluice.hazelcast.port=5702: applies only to mode embedded; a client connects to sluice.hazelcast.members
            client   | sluice.hazelcast.interface    | 10.0.0.5         | sluice.hazelcast.interface=10.0.0.5: applies only to mode embedded; a client connects to sluice.hazelcast.members
            provided | sluice.hazelcast.members      | 10.0.0.5         | sluice.hazelcast.members=10.0.0.5: not used in mode provided, where the application's own HazelcastInstance is used as configured
            provided | sluice.hazelcast.config       | file:/etc/hz.xml | sluice.hazelcast.config=file:/etc/hz.xml: not used in mode provided, where the application's own HazelcastInstance is used as configured
            provided | sluice.hazelcast.max-keys     | 5000             | sluice.hazelcast.max-keys=5000: not used in mode provided, where the application's own HazelcastInstance is used as configured
            client   | sluice.hazelcast.max-keys     | 5000             | sluice.hazelcast.max-keys=5000: applies only to mode embedded; the cluster a client connects to bounds the bucket map in its own configuration
            """)
    void aKeyTheModeWouldIgnoreIsAnError(String mode, String key, String value, String message) {
        String members = mode.equals("client") ? "10.0.0.5" : null;
        assertThatThrownBy(() -> parse("sluice.store", "hazelcast", "sluice.hazelcast.mode", mode, key, value,
                "sluice.hazelcast.members", members))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void aFullHazelcastFileReplacesTheNetworkKeys() {
        assertThatThrownBy(() -> parse("sluice.store", "hazelcast", "sluice.hazelcast.config", "file:/etc/hz.yaml",
                "sluice.hazelcast.port", "5702"))
                .hasMessage("sluice.hazelcast.port=5702: conflicts with sluice.hazelcast.config=file:/etc/hz.yaml; "
                        + "set it in that Hazelcast file instead");
    }

    @Test
    void aClientNeedsTheClusterAddresses() {
        assertThatThrownBy(() -> parse("sluice.store", "hazelcast", "sluice.hazelcast.mode", "client"))
                .hasMessage("mode client needs the cluster's addresses: set sluice.hazelcast.members, "
                        + "for example 10.0.0.5:5701,10.0.0.6:5701");
    }
}
