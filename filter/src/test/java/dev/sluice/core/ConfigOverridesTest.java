package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigOverridesTest {

    /** A resolver for configuration tests. */
    public static final class Doubling implements LimitResolver {
        @Override
        public String limit(String policy, Instant now) {
            return "20/minute";
        }
    }

    @Test
    void aPolicyWithoutPathIsAnOverrideNotAFilterPolicy() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.policy.api.path", "/api/*",
                "sluice.policy.api.limit", "10/second",
                "sluice.policy.Orders#get.limit", "1/minute",
                "sluice.policy.Orders#get.key", "path:id"));
        assertThat(config.policies()).extracting(Policy::name).containsExactly("api");
        assertThat(config.overrideNames()).containsExactly("Orders#get");
        assertThat(config.configured("Orders#get").key().usesPathParameters()).isTrue();
    }

    @Test
    void aFilterPolicyStillNeedsALimit() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.api.path", "/api/*")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("policy 'api' does nothing: set sluice.policy.api.limit (for example 100/minute), sluice.policy.api.pool or sluice.policy.api.breaker");
    }

    @Test
    void enabledFalseSwitchesAFilterPolicyOff() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.policy.api.path", "/api/*",
                "sluice.policy.api.limit", "10/second",
                "sluice.policy.api.enabled", "false"));
        assertThat(config.policies()).isEmpty();
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.api.enabled", "no")))
                .hasMessage("sluice.policy.api.enabled=no: expected true or false");
    }

    @Test
    void methodsNarrowOnlyAPath() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.methods", "GET")))
                .hasMessageStartingWith("sluice.policy.x.methods=GET: methods only narrow a path");
    }

    @Test
    void pathKeysBelongToAnnotations() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of(
                "sluice.policy.api.path", "/api/*", "sluice.policy.api.limit", "1/second", "sluice.policy.api.key", "path:id")))
                .hasMessageStartingWith("sluice.policy.api.key=path:id: path parameters exist only for JAX-RS resources");
    }

    @Test
    void aResolverMustBeALimitResolver() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.resolver", "java.lang.String")))
                .hasMessage("sluice.policy.x.resolver=java.lang.String: expected a class that implements dev.sluice.core.LimitResolver");
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.resolver", "com.example.Missing")))
                .hasMessageStartingWith("sluice.policy.x.resolver=com.example.Missing: cannot create it through a public"
                        + " no-argument constructor: java.lang.ClassNotFoundException");
    }

    @Test
    void resolverIntervalsAreDurations() {
        SluiceConfig config = SluiceConfig.parse(Map.of(
                "sluice.policy.x.resolver", Doubling.class.getName(),
                "sluice.policy.x.resolver-interval", "30s"));
        assertThat(config.configured("x").interval()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.resolver-interval", "soon")))
                .hasMessage("sluice.policy.x.resolver-interval=soon: invalid duration 'soon': expected a whole number and a unit (ms, s, m, h, d), such as 250ms or 10s");
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.api.path", "/api/*",
                "sluice.policy.api.limit", "1/second", "sluice.policy.api.resolver-interval", "1m")))
                .hasMessage("sluice.policy.api.resolver-interval=1m: a resolver interval needs a resolver: set sluice.policy.api.resolver too");
    }

    @Test
    void unknownFieldsAreStillErrors() {
        assertThatThrownBy(() -> SluiceConfig.parse(Map.of("sluice.policy.x.limt", "1/second")))
                .hasMessageStartingWith("sluice.policy.x.limt=1/second: unknown key");
    }
}
