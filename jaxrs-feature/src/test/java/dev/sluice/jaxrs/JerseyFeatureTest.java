package dev.sluice.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.servlet.Servlet;
import org.glassfish.jersey.servlet.ServletContainer;

/** The feature's cases on Jersey 4, and Jersey's auto-discovery. */
class JerseyFeatureTest extends FeatureContract {

    @Override
    Class<? extends Servlet> runtime() {
        return ServletContainer.class;
    }

    @Test
    void jerseyDiscoversTheFeatureWithoutRegistration() throws Exception {
        try (TestServer server = TestServer.start(new TestServer.Setup(runtime(), Set.of(Resources.Orders.class)))) {
            server.get("/orders/1");
            HttpResponse<String> response = server.get("/orders/1");
            assertThat(response.headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("\"Orders#get\";r=1;"));
        }
    }

    @Test
    void anApplicationPropertyTurnsAutoDiscoveryOff() throws Exception {
        try (TestServer server = TestServer.start(new TestServer.Setup(runtime(), Set.of(Resources.Orders.class))
                .withProperties(Map.of(SluiceFeature.AUTO_DISCOVERY, "false")))) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = server.get("/orders/1");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("RateLimit-Policy")).isEmpty();
            }
        }
    }
}
