package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.FakeRequest;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.ManualClock;
import dev.sluice.core.Sluice;
import dev.sluice.core.SluiceConfig;
import dev.sluice.servlet.SluiceServletContext;

/** {@code sluice.hazelcast.mode=provided}: the application's own instance, which Sluice uses and never shuts down. */
class ProvidedModeTest {

    private static final Map<String, String> PROVIDED = Map.of(
            "sluice.store", "hazelcast",
            "sluice.hazelcast.mode", "provided",
            "sluice.policy.all.path", "/*",
            "sluice.policy.all.limit", "2/minute",
            "sluice.policy.all.key", "global");

    private static HazelcastInstance applicationMember;

    @TempDir
    Path directory;

    private final ManualClock clock = ManualClock.startingNow();

    /** The application's member, configured as the README tells applications to. */
    @BeforeAll
    static void startApplicationMember() {
        int port = TestGrid.freePorts(1)[0];
        Config config = new Config();
        config.setClusterName(TestGrid.clusterName("provided"));
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        SluiceHazelcast.registerSerializers(config.getSerializationConfig());
        applicationMember = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stopApplicationMember() {
        if (applicationMember != null) {
            applicationMember.shutdown();
        }
    }

    @Test
    void theFilterUsesTheInstanceInTheContextAttributeAndLeavesItRunning() throws Exception {
        applicationMember.getMap("sluice-buckets").clear();
        String properties = """
                sluice.store=hazelcast
                sluice.hazelcast.mode=provided
                sluice.policy.all.path=/*
                sluice.policy.all.limit=2/minute
                sluice.policy.all.key=global
                """;
        try (GridApp app = GridApp.start(properties, directory, Map.of(
                SluiceServletContext.HAZELCAST_INSTANCE_ATTRIBUTE, applicationMember,
                SluiceServletContext.CLOCK_ATTRIBUTE, clock))) {
            assertThat(List.of(app.get("/a").statusCode(), app.get("/a").statusCode(), app.get("/a").statusCode()))
                    .containsExactly(200, 200, 429);
            assertThat(applicationMember.getMap("sluice-buckets").size()).isEqualTo(1);
            app.undeploy();
        }
        assertThat(applicationMember.getLifecycleService().isRunning()).isTrue();
    }

    @Test
    void theEngineBuilderTakesTheInstanceAndLeavesItRunning() {
        applicationMember.getMap("sluice-buckets").clear();
        try (Sluice engine = Sluice.builder(SluiceConfig.parse(PROVIDED)).clock(clock).hazelcastInstance(applicationMember).build()) {
            assertThat(engine.store()).isInstanceOf(HazelcastBucketStore.class);
            assertThat(engine.check("GET", "/a", FakeRequest.from("192.0.2.1")).admitted()).isTrue();
            assertThat(applicationMember.getMap("sluice-buckets").size()).isEqualTo(1);
        }
        assertThat(applicationMember.getLifecycleService().isRunning()).isTrue();
    }

    /**
     * Sluice leaves the application's instance as configured; a bucket map there without eviction
     * is said once at start, a bounded one is not.
     */
    @Test
    void aBucketMapWithoutEvictionOnTheApplicationsMemberIsAWarning() {
        applicationMember.getConfig().addMapConfig(new MapConfig("bounded-buckets").setEvictionConfig(new EvictionConfig()
                .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(10_000)));
        List<LogRecord> log = new ArrayList<>();
        Logger logger = Logger.getLogger(HazelcastBucketStore.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (log) {
                    log.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            Map<String, String> bounded = new HashMap<>(PROVIDED);
            bounded.put("sluice.hazelcast.map", "bounded-buckets");
            Sluice.builder(SluiceConfig.parse(bounded)).clock(clock).hazelcastInstance(applicationMember).build().close();
            assertThat(log).isEmpty();

            Sluice.builder(SluiceConfig.parse(PROVIDED)).clock(clock).hazelcastInstance(applicationMember).build().close();
            assertThat(log).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("Sluice's bucket map 'sluice-buckets' on the provided HazelcastInstance '"
                        + applicationMember.getName() + "' has no eviction, so only expiry bounds it and a spray of distinct keys "
                        + "can fill the member's memory; configure eviction for that map (LRU, max-size-policy PER_NODE) "
                        + "on every member of the cluster");
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void anInstanceWithoutTheSerializersIsRefused() {
        HazelcastInstance plain = (HazelcastInstance) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HazelcastInstance.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getConfig" -> new Config();
                    case "getName" -> "plain";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        assertThatThrownBy(() -> Sluice.builder(SluiceConfig.parse(PROVIDED)).hazelcastInstance(plain).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.mode=provided: the HazelcastInstance 'plain' lacks Bucket4j's serializers; "
                        + "call SluiceHazelcast.registerSerializers(config.getSerializationConfig()) before starting it, "
                        + "on every member and client of its cluster");
    }

    @Test
    void providedModeNeedsAnInstance() {
        assertThatThrownBy(() -> Sluice.builder(SluiceConfig.parse(PROVIDED)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.mode=provided: needs the application's HazelcastInstance, in the servlet "
                        + "context attribute dev.sluice.hazelcast.instance or through Sluice.Builder.hazelcastInstance; none was given");
        assertThatThrownBy(() -> Sluice.builder(SluiceConfig.parse(PROVIDED)).hazelcastInstance("hz").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("; found a java.lang.String");
    }

    @Test
    void anInstanceHandedOverInAnotherModeIsAMistake() {
        Map<String, String> client = Map.of("sluice.store", "hazelcast", "sluice.hazelcast.mode", "client",
                "sluice.hazelcast.members", "127.0.0.1:1");
        assertThatThrownBy(() -> Sluice.builder(SluiceConfig.parse(client)).hazelcastInstance(applicationMember).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.mode=client: the application handed Sluice a HazelcastInstance, which only "
                        + "mode provided uses; set sluice.hazelcast.mode=provided");
    }
}
