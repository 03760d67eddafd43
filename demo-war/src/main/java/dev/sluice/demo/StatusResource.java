package dev.sluice.demo;

import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.sluice.core.BreakerStats;
import dev.sluice.core.Sluice;
import dev.sluice.hazelcast.HazelcastSettings;
import dev.sluice.jaxrs.RateLimit;
import dev.sluice.servlet.SluiceServletContext;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The shop's status: whether it is peak time, the Hazelcast cluster Sluice keeps its buckets in, and
 * the state of Sluice's pools and circuit breakers. Its limit is dynamic ({@link PeakHours}): lower
 * during peak hours. It runs on container threads, at most a few at once (the {@code status}
 * {@code permits} pool of the filter's configuration).
 */
@Path("status")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {

    @Context
    private ServletContext servletContext;

    /** Created by the JAX-RS runtime for each request. */
    public StatusResource() {
        // fields are injected
    }

    /** The status document. */
    @GET
    @RateLimit(value = "30/minute", name = "status", key = "header:X-Api-Key,ip", resolver = PeakHours.class)
    public Map<String, Object> status() {
        ShopSettings settings = Shop.of(servletContext).settings();
        Sluice engine = SluiceServletContext.engine(servletContext);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", "up");
        status.put("peakHours", settings.isPeak(LocalTime.ofInstant(Instant.now(), settings.zone())));
        status.put("bucketStore", engine.storeAvailable() ? "available" : "unavailable");
        status.put("cluster", cluster(((HazelcastSettings) engine.config().storeSettings("hazelcast")).clusterName()));
        status.put("pools", engine.poolStats());
        status.put("breakers", engine.breakerStats().stream().map(StatusResource::breaker).toList());
        return status;
    }

    /** The members of the grid Sluice started in this application, or {@code null} without one ({@code sluice.store=local}). */
    private static Map<String, Object> cluster(String name) {
        for (HazelcastInstance instance : Hazelcast.getAllHazelcastInstances()) {
            if (instance.getConfig().getClusterName().equals(name) && instance.getLifecycleService().isRunning()) {
                Map<String, Object> cluster = new LinkedHashMap<>();
                cluster.put("name", name);
                cluster.put("self", address(instance.getCluster().getLocalMember()));
                List<String> members = instance.getCluster().getMembers().stream().map(StatusResource::address).sorted().toList();
                cluster.put("members", members);
                cluster.put("safe", instance.getPartitionService().isClusterSafe());
                return cluster;
            }
        }
        return null;
    }

    /**
     * A breaker's state; {@code failureRate} is {@code null} while the breaker has fewer calls than
     * it needs to compute one ({@code calls} is 0 before any call).
     */
    private static Map<String, Object> breaker(BreakerStats stats) {
        Map<String, Object> breaker = new LinkedHashMap<>();
        breaker.put("breaker", stats.breaker());
        breaker.put("state", stats.state());
        breaker.put("calls", stats.calls());
        breaker.put("failureRate", stats.failureRate() < 0 ? null : stats.failureRate());
        breaker.put("notPermitted", stats.notPermitted());
        return breaker;
    }

    private static String address(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }
}
