package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.hazelcast.config.Config;
import com.hazelcast.config.YamlConfigBuilder;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;

import io.github.bucket4j.grid.hazelcast.serialization.SerializationUtilities;

/**
 * Faults of a real grid in real time (generous margins: the build machine is small and loaded):
 * a client whose cluster disappears and comes back, and a member too slow to answer. Each request
 * must be answered within the deadline plus a margin, as the fault mode says, and the engine must
 * go back to the grid by itself, logging each change once.
 */
class GridFaultIT {

    private static final Duration DEADLINE = Duration.ofMillis(200);
    private static final long MARGIN_MILLIS = 500;

    @TempDir
    Path directory;

    private final List<LogRecord> log = new ArrayList<>();
    private final Logger faultLogger = Logger.getLogger("dev.sluice.core.StoreFaults");
    private final Handler capture = new Handler() {
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
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        faultLogger.addHandler(capture);
    }

    @AfterEach
    void release() throws Exception {
        faultLogger.removeHandler(capture);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail-open", "fail-closed", "local"})
    void aClientWhoseClusterIsGoneAnswersWithinTheDeadlineAndRecoversWhenAMemberReturns(String faultMode) throws Exception {
        String cluster = TestGrid.clusterName("client-" + faultMode);
        int port = TestGrid.freePorts(1)[0];
        HazelcastInstance first = standaloneMember(cluster, port);
        resources.add(first::shutdown);
        GridApp app = GridApp.start("""
                sluice.store=hazelcast
                sluice.hazelcast.mode=client
                sluice.hazelcast.cluster-name=%s
                sluice.hazelcast.members=127.0.0.1:%d
                sluice.hazelcast.timeout=%dms
                sluice.hazelcast.fault-mode=%s
                sluice.policy.global.path=/*
                sluice.policy.global.limit=5/hour
                sluice.policy.global.key=global
                """.formatted(cluster, port, DEADLINE.toMillis(), faultMode), directory, Map.of());
        resources.add(app);
        assertThat(app.get("/a").headers().firstValue("RateLimit")).contains("\"global\";r=4;t=720");
        assertThat(app.get("/a").headers().firstValue("RateLimit")).contains("\"global\";r=3;t=1440");

        first.getLifecycleService().terminate();
        List<HttpResponse<String>> during = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            during.add(timedGet(app));
        }
        switch (faultMode) {
            case "fail-open" -> assertThat(during).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("RateLimit")).isEmpty();
            });
            case "fail-closed" -> assertThat(during).allSatisfy(GridFaultIT::assertServiceUnavailable);
            default -> {
                // This instance's own bucket starts full: 5 more, then its own 429s.
                assertThat(during).extracting(HttpResponse::statusCode).containsExactly(
                        200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429);
            }
        }

        HazelcastInstance second = standaloneMember(cluster, port);
        resources.add(0, second::shutdown);
        HttpResponse<String> response = awaitGrid(app);
        // The member that came back holds a new, full bucket.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit")).contains("\"global\";r=4;t=720");
        assertThat(log).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
    }

    @Test
    void aMemberTooSlowToAnswerIsTreatedAsUnavailable() throws Exception {
        String cluster = TestGrid.clusterName("slow");
        int port = TestGrid.freePorts(1)[0];
        GridApp app = GridApp.start("""
                sluice.store=hazelcast
                sluice.hazelcast.cluster-name=%s
                sluice.hazelcast.port=%d
                sluice.hazelcast.timeout=%dms
                sluice.hazelcast.fault-mode=fail-closed
                sluice.policy.global.path=/*
                sluice.policy.global.limit=5/hour
                sluice.policy.global.key=global
                """.formatted(cluster, port, DEADLINE.toMillis()), directory, Map.of());
        resources.add(app);
        assertThat(app.get("/a").statusCode()).isEqualTo(200);
        HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
                .filter(instance -> instance.getConfig().getClusterName().equals(cluster)).findFirst().orElseThrow();
        String key = member.<String, byte[]>getMap("sluice-buckets").keySet().iterator().next();

        // Occupies the partition thread that owns the bucket, as a long GC pause or an overloaded member would.
        member.<String, byte[]>getMap("sluice-buckets").submitToKey(key, new Sleep(2_000));
        assertServiceUnavailable(timedGet(app));

        // A take that missed its deadline still runs once the member gets to it: it counts, on the strict side.
        HttpResponse<String> response = awaitGrid(app);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit")).hasValueSatisfying(
                value -> assertThat(value).matches("\"global\";r=[0-3];t=\\d+"));
        assertThat(log).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
        assertThat(log.get(0).getMessage()).startsWith("Sluice bucket store is unavailable (Hazelcast did not answer within 200 ms)");
    }

    /** Requests every 50 ms, each within the deadline, until one is decided on the grid again (at most 30 s). */
    private static HttpResponse<String> awaitGrid(GridApp app) {
        return await("a request decided on the grid").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> timedGet(app),
                        response -> response.statusCode() == 200 && response.headers().firstValue("RateLimit").isPresent());
    }

    private static HttpResponse<String> timedGet(GridApp app) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = app.get("/a");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("milliseconds to answer").isLessThanOrEqualTo(DEADLINE.toMillis() + MARGIN_MILLIS);
        return response;
    }

    private static void assertServiceUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains(
                "\"type\":\"https://iana.org/assignments/http-problem-types#temporary-reduced-capacity\"",
                "\"status\":503", "\"unchecked-policies\":[\"global\"]");
    }

    /** A member from the README's standalone YAML, with Bucket4j's serializers named by class. */
    private static HazelcastInstance standaloneMember(String cluster, int port) throws Exception {
        Properties variables = new Properties();
        variables.setProperty("cluster", cluster);
        variables.setProperty("port", Integer.toString(port));
        Config config;
        try (InputStream yaml = GridFaultIT.class.getResourceAsStream("standalone-member.yaml")) {
            config = new YamlConfigBuilder(yaml).setProperties(variables).build();
        }
        System.setProperty(SerializationUtilities.TYPE_ID_BASE_PROP_NAME, Integer.toString(SluiceHazelcast.SERIALIZER_TYPE_ID_BASE));
        try {
            return Hazelcast.newHazelcastInstance(config);
        } finally {
            System.clearProperty(SerializationUtilities.TYPE_ID_BASE_PROP_NAME);
        }
    }

    /** Holds the partition thread of the entry it runs on. */
    private static final class Sleep implements EntryProcessor<String, byte[], Object> {
        private static final long serialVersionUID = 1L;
        private final long millis;

        Sleep(long millis) {
            this.millis = millis;
        }

        @Override
        public Object process(Map.Entry<String, byte[]> entry) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }
}
