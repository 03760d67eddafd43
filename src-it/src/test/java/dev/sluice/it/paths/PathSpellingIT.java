package dev.sluice.it.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.it.TestServer;
import dev.sluice.it.TestServer.Kind;

/**
 * A path rule cannot be skipped by spelling its path differently: on Jetty 12 and Tomcat 11 with
 * Jersey, each spelling of a limited or pooled path is either limited (the same bucket) and capped
 * (the same pool) like the canonical path, or refused by the container or the JAX-RS runtime
 * before the resource runs (400 or 404). The expected outcome of each spelling was measured on both
 * containers; a change of container behaviour shows here.
 */
class PathSpellingIT {

    /** Each spelling: {r} is the resource's name, {%r} the name with its first letter (s) percent-encoded. */
    private static final String SPELLINGS = """
            /api/{r}                 | served | served
            /api/{r}/                | served | served
            /api/{r};a=b             | served | served
            /api/{r};jsessionid=x    | served | served
            /api/{r}/;a=b            | served | served
            /api/{r}//               | 400    | 404
            /api//{r}                | 400    | 404
            //api/{r}                | 400    | 404
            /api/./{r}               | 404    | 404
            /api/{r}/.               | 404    | 404
            /api/x/../{r}            | 404    | 404
            /api/{r}/..              | 404    | 404
            /api;a=b/{r}             | 404    | 404
            /api/x;a=b/../{r}        | 404    | 404
            /api/x/..;/{r}           | 400    | 404
            /api/{%r}                | 404    | 404
            /api/{r}%2F              | 400    | 400
            /api%2F{r}               | 400    | 400
            /api/%2e/{r}             | 400    | 404
            /api/{r}/%2e             | 400    | 404
            /api/x/%2e%2e/{r}        | 400    | 404
            /api/{r}%3Ba=b           | 404    | 404
            /api/{r}%00              | 400    | 400
            /api\\{r}                | 400    | 400
            /API/{r}                 | 404    | 404
            """;

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final Map<Kind, TestServer> SERVERS = new EnumMap<>(Kind.class);

    @TempDir
    static Path directory;

    @BeforeAll
    static void start() throws Exception {
        for (Kind kind : Kind.values()) {
            SERVERS.put(kind, TestServer.app()
                    .sluiceFilter("""
                            sluice.policy.status.path=/api/status
                            sluice.policy.status.limit=2/minute
                            sluice.policy.status.key=header:X-Client
                            sluice.pool.cap.mode=permits
                            sluice.pool.cap.threads=1
                            sluice.pool.cap.queue=0
                            sluice.policy.slow.path=/api/slow
                            sluice.policy.slow.pool=cap
                            """, directory)
                    .servlet(ServletContainer.class, "/api/*", "jakarta.ws.rs.Application", PathApp.class.getName())
                    .start(kind, directory));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
    }

    @ParameterizedTest(name = "{0} on Jetty: {1}, on Tomcat: {2}")
    @CsvSource(delimiter = '|', textBlock = SPELLINGS)
    void aSpellingTheApplicationServesDrawsFromTheCanonicalPathsBucket(String spelling, String jetty, String tomcat)
            throws Exception {
        String path = spell(spelling, "status");
        for (Kind kind : Kind.values()) {
            TestServer server = SERVERS.get(kind);
            String expected = kind == Kind.JETTY ? jetty : tomcat;
            String client = "X-Client: " + CLIENTS.incrementAndGet();
            if (expected.equals("served")) {
                assertThat(get(server, "/api/status", client)).as("%s %s", kind, path).startsWith("200 status /api|/status");
                assertThat(get(server, path, client)).as("%s %s", kind, path).startsWith("200 status /api|/status");
                assertThat(get(server, path, client)).as("%s %s", kind, path)
                        .startsWith("429 ").contains("\"violated-policies\":[\"status\"]");
                assertThat(get(server, "/api/status", client)).as("%s %s", kind, path).startsWith("429 ");
            } else {
                assertThat(get(server, path, client)).as("%s %s with a full bucket", kind, path)
                        .startsWith(expected + " ").doesNotContain("status /api");
            }
        }
    }

    @ParameterizedTest(name = "{0} on Jetty: {1}, on Tomcat: {2}")
    @CsvSource(delimiter = '|', textBlock = SPELLINGS)
    void aSpellingTheApplicationServesTakesTheCanonicalPathsPermit(String spelling, String jetty, String tomcat)
            throws Exception {
        String path = spell(spelling, "slow");
        for (Kind kind : Kind.values()) {
            TestServer server = SERVERS.get(kind);
            String expected = kind == Kind.JETTY ? jetty : tomcat;
            PathApp.entered = new CountDownLatch(1);
            PathApp.release = new CountDownLatch(1);
            if (expected.equals("served")) {
                CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> getUnchecked(server, path));
                try {
                    assertThat(PathApp.entered.await(10, TimeUnit.SECONDS)).as("%s %s reached the resource", kind, path).isTrue();
                    assertThat(get(server, "/api/slow")).as("%s canonical while %s holds the permit", kind, path)
                            .startsWith("503 ").contains("cap");
                    assertThat(get(server, path)).as("%s %s while it holds the permit", kind, path)
                            .startsWith("503 ").contains("cap");
                } finally {
                    PathApp.release.countDown();
                }
                assertThat(held.get(10, TimeUnit.SECONDS)).as("%s %s", kind, path).startsWith("200 slow /api|/slow");
            } else {
                PathApp.release.countDown();
                assertThat(get(server, path)).as("%s %s with the pool free", kind, path)
                        .startsWith(expected + " ").doesNotContain("slow /api");
                assertThat(PathApp.entered.getCount()).as("%s %s reached the resource", kind, path).isEqualTo(1);
            }
        }
    }

    private static String spell(String spelling, String name) {
        return spelling.replace("{%r}", "%" + Integer.toHexString(name.charAt(0)) + name.substring(1)).replace("{r}", name);
    }

    private static String getUnchecked(TestServer server, String rawPath) {
        try {
            return get(server, rawPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the path byte for byte (an HTTP client would normalise some spellings before sending)
     * and answers the status code, a space and the body.
     */
    private static String get(TestServer server, String rawPath, String... headers) throws IOException {
        try (Socket socket = new Socket(server.base().getHost(), server.base().getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET ").append(rawPath)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            return text.substring(9, 12) + " " + text.substring(headerEnd + 4);
        }
    }
}
