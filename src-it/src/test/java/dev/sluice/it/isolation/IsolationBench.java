package dev.sluice.it.isolation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.sluice.it.TestServer;

/**
 * The critical endpoint's latency alone, and during a flood of slow requests on the shared one
 * (60 concurrent 1-second requests, 5x the shared pool's capacity), with executor isolation
 * ({@code threads}), with concurrency isolation ({@code permits}) and without isolation, on Jetty 12
 * with 20 container threads: the application of {@link IsolationContract#floodApp}. The same shape as the payment demo's {@code /api/orders} and
 * {@code /api/logs}.
 *
 * <p>Run: {@code src-it/bench.sh isolation}.
 */
public final class IsolationBench {

    private IsolationBench() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("sluice-isolation-bench");
        String critical = "/critical/x?ms=5";
        System.out.printf("| isolation | critical p50 ms alone | p99 alone | p50 under the flood | p99 under the flood | flood refused |%n");
        System.out.printf("|---|---|---|---|---|---|%n");
        for (String mode : new String[] {"threads", "permits", null}) {
            List<Long> alone;
            try (TestServer server = IsolationContract.floodApp(TestServer.Kind.JETTY, mode, directory)) {
                Flood.time(server, critical, 4, 20);
                alone = Flood.time(server, critical, 4, 50);
            }
            List<Long> flooded;
            int refused;
            try (TestServer server = IsolationContract.floodApp(TestServer.Kind.JETTY, mode, directory)) {
                Flood.time(server, critical, 4, 20);
                Probe.reset(0);
                try (Flood flood = Flood.start(server.uri("/shared/x?ms=1000"), 60)) {
                    for (int i = 0; i < 500 && Probe.running.get() < 4; i++) {
                        Thread.sleep(10);
                    }
                    flooded = Flood.time(server, critical, 4, mode == null ? 3 : 50);
                    refused = flood.refused.get();
                }
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d |%n", mode == null ? "none" : mode,
                    percentile(alone, 0.5), percentile(alone, 0.99), percentile(flooded, 0.5), percentile(flooded, 0.99), refused);
        }
    }

    private static long percentile(List<Long> latencies, double quantile) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * quantile) - 1);
    }
}
