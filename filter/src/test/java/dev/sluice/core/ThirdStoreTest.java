package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * A bucket store that core knows nothing about ({@link TestStoreProvider}, listed in the test class
 * path's service file) plugs in with its own {@code sluice.teststore.*} keys.
 */
class ThirdStoreTest {

    @Test
    void aThirdStoreOpensWithItsOwnSettingsAndFaultMode() {
        SluiceConfig config = SluiceConfig.parse(Map.of("sluice.store", "teststore", "sluice.teststore.label", "blue",
                "sluice.teststore.max-keys", "5", "sluice.teststore.fault-mode", "fail-closed"));
        assertThat(config.store()).isEqualTo("teststore");
        assertThat(config.faultMode()).isEqualTo(FaultMode.FAIL_CLOSED);
        assertThat(config.storeSettings("teststore")).isEqualTo(new TestStoreProvider.Settings(5, "blue"));
        try (Sluice engine = Sluice.builder(config).build()) {
            assertThat(engine.store()).isInstanceOf(LocalBucketStore.class);
        }
    }

    @Test
    void theStoreCanBeNamedByItsProviderClass() {
        SluiceConfig config = SluiceConfig.parse(Map.of("sluice.store", TestStoreProvider.class.getName(),
                "sluice.teststore.label", "blue"));
        assertThat(config.store()).isEqualTo("teststore");
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.store", "java.lang.String")))
                .hasMessage("sluice.store=java.lang.String: expected a class that implements dev.sluice.core.BucketStoreProvider");
    }

    @Test
    void itsKeysAreValidatedByItAndUnknownOnesRefused() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.teststore.colour", "blue")))
                .hasMessage("sluice.teststore.colour=blue: unknown key; expected sluice.teststore.<field> with a field among"
                        + " fault-mode, label, max-keys");
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.teststore.max-keys", "many")))
                .hasMessage("sluice.teststore.max-keys=many: expected a positive whole number");
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.teststore.fault-mode", "maybe")))
                .hasMessage("sluice.teststore.fault-mode=maybe: expected fail-open, fail-closed or local");
    }

    @Test
    void aProblemWithoutAKeyNamesTheSourceOfTheProvidersKeys() {
        Properties file = new Properties();
        file.setProperty("sluice.teststore.max-keys", "3");
        System.setProperty("sluice.store", "teststore");
        try {
            assertThatThrownBy(() -> SluiceConfig.load(file, "classpath:sluice.properties"))
                    .hasMessage("classpath:sluice.properties: the test store needs a label: set sluice.teststore.label");
        } finally {
            System.clearProperty("sluice.store");
        }
    }
}
