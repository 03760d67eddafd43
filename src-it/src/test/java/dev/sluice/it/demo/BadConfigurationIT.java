package dev.sluice.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo WAR, unchanged, deployed on Jetty 12 and on Tomcat 11 (each in a JVM of its own) with a
 * misspelt value in a {@code -D} system property, as an operator retuning a limit would type it: the
 * shop does not start, and its output names the source, the key and the value in one line, once,
 * with none of Sluice's stack frames (issue 11: "a bad value is reported once").
 */
class BadConfigurationIT {

    /** The bad value's line: its source, its key and its value. */
    private static final String BAD_LIMIT = "-D system property: sluice.policy.orders.limit=5/minnute: invalid limit '5/minnute'";
    private static final String UNCLAIMED = "-D system property: sluice.policy.ordrs.limit=5/minute: policy 'ordrs' has no path";

    @ParameterizedTest
    @EnumSource(DemoInstance.Container.class)
    void aBadLimitStopsTheShopAndIsReportedInOneLineOnce(DemoInstance.Container container) throws Exception {
        List<String> output = failedDeployment(container, "sluice.policy.orders.limit=5/minnute");

        assertThat(output.stream().filter(line -> line.contains("5/minnute")))
                .as("the lines naming the bad value").hasSize(1)
                .allSatisfy(line -> assertThat(line).contains(BAD_LIMIT));
        assertNoSluiceFrames(output);
    }

    @ParameterizedTest
    @EnumSource(DemoInstance.Container.class)
    void anOverrideThatNoAnnotationClaimsStopsTheShopNamingItsSourceInOneLine(DemoInstance.Container container)
            throws Exception {
        List<String> output = failedDeployment(container, "sluice.policy.ordrs.limit=5/minute");

        // The container reports a servlet's failure itself, Jetty and Tomcat twice each; Sluice adds nothing.
        assertThat(output.stream().filter(line -> line.contains("ordrs")))
                .as("the lines naming the override").isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(UNCLAIMED).doesNotStartWith("jakarta.servlet.ServletException"));
        assertNoSluiceFrames(output);
    }

    /** Starts the shop with one more system property, and returns its output once it has exited. */
    private static List<String> failedDeployment(DemoInstance.Container container, String property) throws Exception {
        String name = container.name().toLowerCase(java.util.Locale.ROOT);
        int member = DemoInstance.freePort();
        try (DemoInstance shop = DemoInstance.start(container, name,
                Path.of("target", "demo-bad-" + UUID.randomUUID().toString().substring(0, 8)), member, List.of(
                        "sluice.hazelcast.cluster-name=demo-bad-" + UUID.randomUUID(),
                        "sluice.hazelcast.members=127.0.0.1:" + member,
                        property))) {
            int status = shop.awaitExit(180);
            List<String> output = shop.output();
            assertThat(status).as("the launcher's exit status, when the shop failed to start:\n%s", shop.tail()).isEqualTo(1);
            assertThat(output).as("the shop never served requests").noneMatch(line -> line.startsWith(Launch.READY));
            return output;
        }
    }

    private static void assertNoSluiceFrames(List<String> output) {
        assertThat(output).as("stack frames of Sluice's own code")
                .noneMatch(line -> line.startsWith("\tat dev.sluice.") && !line.startsWith("\tat dev.sluice.it."));
    }
}
