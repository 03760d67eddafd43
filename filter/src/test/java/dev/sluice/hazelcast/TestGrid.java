package dev.sluice.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.SluiceConfig;

/**
 * Test clusters on loopback: free ports from 15701 up, unique cluster names, and members built by
 * Sluice's own configuration code (TCP-IP join, multicast and auto-detection off, phone-home off).
 */
final class TestGrid {

    private static final int FIRST_PORT = 15701;
    private static final int PORT_SPAN = 1200;
    /** A random start, so that test runs in other worktrees of this machine rarely pick the same ports. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(ThreadLocalRandom.current().nextInt(PORT_SPAN));

    private TestGrid() {
    }

    /** A cluster name no other test uses. */
    static String clusterName(String test) {
        return test + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code count} ports free on 127.0.0.1 right now, never handed out before in this JVM. */
    static int[] freePorts(int count) {
        int[] ports = new int[count];
        int found = 0;
        for (int tries = 0; found < count && tries < PORT_SPAN; tries++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_SPAN);
            if (isFree(port)) {
                ports[found++] = port;
            }
        }
        if (found < count) {
            throw new IllegalStateException("no free ports from " + FIRST_PORT);
        }
        return ports;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code sluice.hazelcast.*} settings of the given key-value pairs, parsed as Sluice parses them. */
    static HazelcastSettings settings(String... keysAndValues) {
        Map<String, String> entries = new HashMap<>();
        entries.put("sluice.store", "hazelcast");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return (HazelcastSettings) SluiceConfig.parse(entries).storeSettings("hazelcast");
    }

    /** The members list {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    static String members(int... ports) {
        StringBuilder members = new StringBuilder();
        for (int port : ports) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
        }
        return members.toString();
    }

    /** Starts a member as the embedded mode would, joining the members on {@code clusterPorts}. */
    static HazelcastInstance member(String cluster, int port, int... clusterPorts) {
        return Hazelcast.newHazelcastInstance(HazelcastConfigs.member(settings(
                "sluice.hazelcast.cluster-name", cluster,
                "sluice.hazelcast.port", Integer.toString(port),
                "sluice.hazelcast.members", members(clusterPorts.length == 0 ? new int[] {port} : clusterPorts))));
    }
}
